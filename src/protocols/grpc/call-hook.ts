import type { ChainLayer } from '../../core/chain.js';
import { ConnectorError } from '../../core/errors.js';
import type { CallContext } from '../../core/middleware.js';
import type { GrpcMethod } from './methods.js';
import type { GrpcCall, GrpcMethodInfo, GrpcResult } from './types.js';

/**
 * Stands between a gRPC connector and its channel, for a recording (a cassette): it
 * learns the methods the connector loaded and sees every call once its method is
 * known. Offline, the connector opens no channel and loads no methods: `methods()`
 * names them and `call()` answers every call without `next`, so nothing reaches the
 * network.
 *
 * @example
 * ```ts
 * import type { GrpcCallHook } from 'ia-connectors';
 * const passThrough: GrpcCallHook = { offline: false, methods: async () => [], loaded: () => {}, call: (_ctx, _method, next) => next() };
 * ```
 */
export interface GrpcCallHook {
  /** `true`: no channel is opened, no `.proto` file read, no reflection asked; `call()` answers every call. */
  readonly offline: boolean;
  /** The methods the connector knows when offline. */
  methods(): Promise<readonly GrpcMethodInfo[]>;
  /** Told, when the connector is live, the methods it loaded at connect. */
  loaded(methods: readonly GrpcMethodInfo[]): void;
  /** Each attempt once its method is resolved; `next` performs it on the channel (live only). */
  call(ctx: CallContext<GrpcCall>, method: GrpcMethodInfo, next: () => Promise<GrpcResult>): Promise<GrpcResult>;
}

/**
 * A chain layer that also carries a {@link GrpcCallHook}: how a hook reaches a
 * connector built by a registry, which passes layers. The connector takes the hook of
 * the first such layer in `extras.layers`.
 *
 * @example
 * ```ts
 * import type { GrpcCallHookLayer } from 'ia-connectors';
 * const hookOf = (layer: GrpcCallHookLayer) => layer.grpcCallHook;
 * ```
 */
export interface GrpcCallHookLayer extends ChainLayer<GrpcCall, GrpcResult> {
  readonly grpcCallHook: GrpcCallHook;
}

/**
 * The {@link GrpcCallHook} carried by one of `layers`, if any.
 *
 * @example
 * ```ts
 * import { grpcCallHookOf } from './call-hook.js';
 * grpcCallHookOf([]); // undefined
 * ```
 */
export function grpcCallHookOf(layers: readonly ChainLayer<GrpcCall, GrpcResult>[] | undefined): GrpcCallHook | undefined {
  const layer = layers?.find((l): l is GrpcCallHookLayer => typeof (l as Partial<GrpcCallHookLayer>).grpcCallHook === 'object');
  return layer?.grpcCallHook;
}

/**
 * A method known from a recording: it resolves names and kinds like any other, but
 * cannot be sent (there is no channel), and its requests are not checked against a
 * message type.
 *
 * @example
 * ```ts
 * import { offlineMethod } from './call-hook.js';
 * offlineMethod({ path: '/p.S/Do', service: 'p.S', name: 'Do', kind: 'unary', idempotent: false, requestType: undefined, responseType: undefined }).kind; // 'unary'
 * ```
 */
export function offlineMethod(info: GrpcMethodInfo): GrpcMethod {
  const refuse = (): never => {
    throw new ConnectorError('UNSUPPORTED', `${info.path} is known from a recording only; it cannot be sent without a channel`);
  };
  const { path, service, name, kind, idempotent, requestType, responseType } = info;
  return { path, service, name, kind, idempotent, requestType, responseType, serialize: refuse, deserialize: refuse, check: undefined };
}

/**
 * The facts of a method, without its (de)serializers.
 *
 * @example
 * ```ts
 * import { methodInfo } from './call-hook.js';
 * declare const method: import('./methods.js').GrpcMethod;
 * JSON.stringify(methodInfo(method));
 * ```
 */
export function methodInfo(method: GrpcMethodInfo): GrpcMethodInfo {
  const { path, service, name, kind, idempotent, requestType, responseType } = method;
  return { path, service, name, kind, idempotent, requestType, responseType };
}
