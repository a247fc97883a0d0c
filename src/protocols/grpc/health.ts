import type { Client } from '@grpc/grpc-js';
import { isConnectorError } from '../../core/errors.js';
import type { HealthStatus } from '../../core/transport.js';
import type { Redactor } from '../../observability/redact.js';
import { builtinRoot, HEALTH_PROTO } from './builtin-protos.js';
import { channelReady } from './channel-ready.js';
import { methodsOfRoot, type GrpcMethod } from './methods.js';
import { Code } from './status-codes.js';

/**
 * The path of the standard health check.
 *
 * @example
 * ```ts
 * import { HEALTH_CHECK_METHOD } from 'ia-connectors';
 * HEALTH_CHECK_METHOD; // '/grpc.health.v1.Health/Check'
 * ```
 */
export const HEALTH_CHECK_METHOD = '/grpc.health.v1.Health/Check';

let cached: GrpcMethod[] | undefined;

/**
 * The methods of `grpc.health.v1.Health`, callable on every gRPC connector by their
 * full path whatever its `.proto` files say; statuses decode as names (`SERVING`).
 *
 * @example
 * ```ts
 * import { healthMethods } from './health.js';
 * healthMethods().map((m) => m.path); // ['/grpc.health.v1.Health/Check', '/grpc.health.v1.Health/Watch']
 * ```
 */
export function healthMethods(): GrpcMethod[] {
  cached ??= methodsOfRoot(builtinRoot(HEALTH_PROTO), { longs: 'string', enums: 'string', bytes: 'buffer', defaults: true }).map((m) => ({ ...m, idempotent: true }));
  return cached;
}

/**
 * What a health probe concludes from the `Health/Check` outcome: `SERVING` is healthy,
 * any other status is not; a server that does not implement the health service is
 * judged by whether its channel connects within `timeoutMs`.
 *
 * @example
 * ```ts
 * import { Redactor } from 'ia-connectors';
 * import { healthFrom } from './health.js';
 * declare const client: import('@grpc/grpc-js').Client;
 * const status = await healthFrom({ ok: true, value: { status: 'SERVING' } }, { client, service: '', timeoutMs: 5000, started: performance.now(), target: 'grpc://127.0.0.1:50051', redactor: new Redactor() });
 * ```
 */
export async function healthFrom(
  outcome: { ok: true; value: { status?: unknown } } | { ok: false; error: unknown },
  probe: { client: Client | undefined; service: string; timeoutMs: number; started: number; target: string; redactor: Redactor },
): Promise<HealthStatus> {
  const latency = (): number => performance.now() - probe.started;
  if (outcome.ok) {
    const status = String(outcome.value.status ?? 'UNKNOWN');
    if (status === 'SERVING') return { ok: true, status: Code.OK, latencyMs: latency() };
    const name = probe.service === '' ? 'the server' : `service "${probe.service}"`;
    return { ok: false, status: Code.OK, latencyMs: latency(), error: { code: 'GRPC', message: `${name} reports ${status} to the health check` } };
  }
  const error = outcome.error;
  if (isConnectorError(error) && error.code === 'GRPC' && error.grpcCode === Code.UNIMPLEMENTED && probe.client) {
    try {
      await channelReady(probe.client, Date.now() + probe.timeoutMs, undefined, probe.target);
      return { ok: true, latencyMs: latency() };
    } catch (failure) {
      return unhealthy(failure, latency(), probe.redactor);
    }
  }
  return unhealthy(error, latency(), probe.redactor);
}

function unhealthy(error: unknown, latencyMs: number, redactor: Redactor): HealthStatus {
  const { code, message } = isConnectorError(error) ? error : { code: 'NETWORK', message: String(error) };
  const grpcCode = isConnectorError(error) ? error.grpcCode : undefined;
  return { ok: false, latencyMs, ...(grpcCode === undefined ? {} : { status: grpcCode }), error: { code, message: redactor.text(message) } };
}
