import type * as OtelApi from '@opentelemetry/api';
import { ConnectorError } from '../../core/errors.js';

/**
 * The `@opentelemetry/api` module, as loaded at run time.
 *
 * @example
 * ```ts
 * import type { OpenTelemetryApi } from './load.js';
 * const active = (api: OpenTelemetryApi) => api.trace.getActiveSpan();
 * ```
 */
export type OpenTelemetryApi = typeof OtelApi;

/**
 * Imports `@opentelemetry/api` when tracing is asked for. It is an optional peer
 * dependency: the library loads and runs without it, and only this call fails, with
 * a `CONFIG` error saying what to install. `specifier` exists for tests.
 *
 * @example
 * ```ts
 * import { loadOpenTelemetryApi } from './load.js';
 * const api = await loadOpenTelemetryApi();
 * api.trace.getActiveSpan();
 * ```
 */
export async function loadOpenTelemetryApi(specifier = '@opentelemetry/api'): Promise<OpenTelemetryApi> {
  let loaded: unknown;
  try {
    loaded = await import(specifier);
  } catch (error) {
    if (isModuleNotFound(error)) {
      throw new ConnectorError('CONFIG', `the package "${specifier}" is not installed; install @opentelemetry/api to enable tracing (npm install @opentelemetry/api)`, {
        cause: error,
        details: { package: specifier },
      });
    }
    const why = error instanceof Error ? error.message : String(error);
    throw new ConnectorError('CONFIG', `the package "${specifier}" could not be loaded (${why}); reinstall @opentelemetry/api to enable tracing`, {
      cause: error,
      details: { package: specifier },
    });
  }
  const api = loaded as Partial<OpenTelemetryApi>;
  if (typeof api.trace?.getTracer !== 'function' || typeof api.context?.with !== 'function') {
    throw new ConnectorError('CONFIG', `"${specifier}" is not @opentelemetry/api 1.x; install @opentelemetry/api to enable tracing`, { details: { package: specifier } });
  }
  return api as OpenTelemetryApi;
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
