import type { ConnectorEvents } from '../../core/connector-events.js';
import { isConnectorError } from '../../core/errors.js';
import type { TypedEvents } from '../../core/events.js';
import type { ObservedAttributes } from '../../core/observer.js';
import { GRPC_STATUS } from '../../protocols/grpc/status-codes.js';
import type { GrpcCall, GrpcResponse, GrpcResult } from '../../protocols/grpc/types.js';
import type { ObservationAdapter } from '../layers/adapter.js';
import type { ObservedResult } from '../observer.js';
import type { Redactor } from '../redact.js';
import { errorResult } from './common.js';
import { observedMessage } from './message.js';

/**
 * What {@link grpcObservation} needs to know about a gRPC connector. `describe` names
 * the service and method a call refers to (`SayHello` → `helloworld.Greeter`,
 * `SayHello`), once the connector knows its protos.
 *
 * @example
 * ```ts
 * import { Redactor, type GrpcObservationOptions } from 'ia-connectors';
 * const o: GrpcObservationOptions = { connector: 'greeter', target: 'grpc://127.0.0.1:50051', redactor: new Redactor() };
 * ```
 */
export interface GrpcObservationOptions {
  connector: string;
  /** The address dialled, e.g. `grpcs://api.example.com:443` or `dns:///host:port`. */
  target: string;
  redactor: Redactor;
  events?: TypedEvents<ConnectorEvents>;
  describe?: (method: string) => { service: string; name: string } | undefined;
}

/**
 * Observes gRPC calls by the RPC semantic conventions: span name `{service}/{method}`,
 * `rpc.system` `grpc`, `rpc.service`, `rpc.method`, `server.address`, `server.port`, and
 * `rpc.grpc.status_code` when the call ends (`error.type` is the status name on a
 * failure). Trace-context headers go out as call metadata.
 *
 * @example
 * ```ts
 * import { grpcObservation, Redactor } from 'ia-connectors';
 * const adapter = grpcObservation({ connector: 'greeter', target: '127.0.0.1:50051', redactor: new Redactor() });
 * ```
 */
export function grpcObservation(options: GrpcObservationOptions): ObservationAdapter<GrpcCall, GrpcResult> {
  const { connector, redactor, describe } = options;
  const server = grpcServerAttributes(options.target);
  const methodOf = (call: GrpcCall): { service: string | undefined; name: string } => {
    let known: { service: string; name: string } | undefined;
    try {
      known = describe?.(call.method);
    } catch {
      // An unknown method fails in the transport with its own error.
    }
    return known ?? splitMethod(call.method);
  };

  return {
    connector,
    protocol: 'grpc',
    events: options.events,
    call(call, startTime) {
      const { service, name } = methodOf(call);
      const attributes: ObservedAttributes = { 'rpc.system': 'grpc', ...(service ? { 'rpc.service': service } : {}), 'rpc.method': name, ...server };
      return {
        connector,
        protocol: 'grpc',
        name: service ? `${service}/${name}` : name,
        attributes: call.kind === 'unary' ? attributes : { ...attributes, 'ia_connectors.grpc.kind': call.kind },
        startTime,
        request: () => observedMessage(call.metadata ?? {}, call.kind === 'clientStream' || call.kind === 'bidi' ? messagesOf(call) : (call.request ?? {}), redactor),
      };
    },
    attempt: () => ({}),
    result(result): ObservedResult {
      if (!isUnaryResponse(result)) return { ok: true, attributes: {} };
      return { ok: true, attributes: { 'rpc.grpc.status_code': 0 }, response: () => observedMessage({ ...result.headers, ...result.trailers }, result.body, redactor) };
    },
    failure(error) {
      const code = isConnectorError(error) ? error.grpcCode : undefined;
      if (code === undefined) return errorResult(error, redactor);
      return errorResult(error, redactor, { 'rpc.grpc.status_code': code }, GRPC_STATUS[code] ?? String(code));
    },
    propagate: (call, headers) => ({ ...call, metadata: { ...withoutKeys(call.metadata, headers), ...headers } }),
  };
}

/**
 * `server.address` and `server.port` of a gRPC target: `host:port`, `[::1]:50051`,
 * `grpc(s)://host:port`, `dns:///host:port`; a unix socket's path as the address.
 *
 * @example
 * ```ts
 * import { grpcServerAttributes } from 'ia-connectors';
 * grpcServerAttributes('dns:///api.example.com:443'); // { 'server.address': 'api.example.com', 'server.port': 443 }
 * ```
 */
export function grpcServerAttributes(target: string): ObservedAttributes {
  if (/^unix(-abstract)?:/.test(target)) return { 'server.address': target.replace(/^unix(-abstract)?:(\/\/)?/, '') };
  // Drop the scheme and any resolver authority (`dns://8.8.8.8/`), keep `host[:port]`.
  const hostPort = target.replace(/^[a-z][a-z0-9+.-]*:(\/\/[^/]*\/|\/\/)?/i, '').replace(/\/.*$/, '');
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!match) return hostPort === '' ? {} : { 'server.address': hostPort };
  const host = (match[1] as string).replace(/^\[|\]$/g, '');
  // grpc-js dials 443 when no port is written.
  return { 'server.address': host, 'server.port': match[2] === undefined ? 443 : Number(match[2]) };
}

function splitMethod(method: string): { service: string | undefined; name: string } {
  const path = method.startsWith('/') ? method.slice(1) : method;
  const slash = path.lastIndexOf('/');
  return slash < 0 ? { service: undefined, name: path } : { service: path.slice(0, slash), name: path.slice(slash + 1) };
}

function messagesOf(call: GrpcCall): unknown {
  return Array.isArray(call.messages) ? call.messages : '[stream]';
}

function isUnaryResponse(result: GrpcResult): result is GrpcResponse {
  return typeof result === 'object' && result !== null && 'body' in result && 'trailers' in result && !(Symbol.asyncIterator in result);
}

function withoutKeys<T>(record: Readonly<Record<string, T>> | undefined, drop: Readonly<Record<string, string>>): Record<string, T> {
  const out: Record<string, T> = {};
  if (record) for (const [key, value] of Object.entries(record)) if (!Object.hasOwn(drop, key)) out[key] = value;
  return out;
}
