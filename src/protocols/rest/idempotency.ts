import { randomUUID } from 'node:crypto';
import type { ChainLayer } from '../../core/chain.js';
import type { ApiRequest, ApiResponse } from '../../core/types.js';
import type { PolicyConfig } from '../../policies/layers.js';

const HEADER = 'idempotency-key';

/**
 * Gives every POST and PATCH without an `Idempotency-Key` header a fresh UUID key,
 * once per call. The layer sits outside retry, so every attempt of the call
 * carries the same key and the server can drop duplicates; that is what makes
 * such a request safe to retry.
 *
 * @example
 * ```ts
 * import { createRestConnector, idempotencyLayer } from 'ia-connectors';
 * const api = createRestConnector({ name: 'api', baseUrl: 'http://127.0.0.1:8080' }, { layers: [idempotencyLayer()] });
 * ```
 */
export function idempotencyLayer(): ChainLayer<ApiRequest, ApiResponse> {
  return {
    name: 'idempotency',
    middleware: (ctx, next) => {
      const { request } = ctx;
      if ((request.method !== 'POST' && request.method !== 'PATCH') || hasKey(request.headers)) return next();
      const headers = { ...request.headers, [HEADER]: randomUUID() };
      return next({ ...ctx, request: { ...request, headers } });
    },
  };
}

/**
 * The idempotency layer when `retry.idempotencyKey` is `auto`, otherwise none.
 *
 * @example
 * ```ts
 * import { idempotencyLayers, retryConfigSchema } from 'ia-connectors';
 * idempotencyLayers({ retry: retryConfigSchema.parse({ idempotencyKey: 'auto' }) }).length; // 1
 * ```
 */
export function idempotencyLayers(config: Pick<PolicyConfig, 'retry'>): ChainLayer<ApiRequest, ApiResponse>[] {
  return config.retry.idempotencyKey === 'auto' ? [idempotencyLayer()] : [];
}

function hasKey(headers: Record<string, string> | undefined): boolean {
  if (!headers) return false;
  for (const name of Object.keys(headers)) if (name.toLowerCase() === HEADER) return true;
  return false;
}
