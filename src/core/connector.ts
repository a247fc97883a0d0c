import { compose } from './compose.js';
import type { ChainLayer } from './chain.js';
import { orderLayers } from './chain.js';
import type { ConnectorEvents, ConnectorState } from './connector-events.js';
import { ConnectorError } from './errors.js';
import { TypedEvents, type Disposable } from './events.js';
import type { CallContext, Handler } from './middleware.js';
import type { HealthStatus, Transport } from './transport.js';

/**
 * Per-call options every connector's `execute` accepts.
 *
 * @example
 * ```ts
 * import type { ExecuteOptions } from 'ia-connectors';
 * const opts: ExecuteOptions = { signal: AbortSignal.timeout(5000), timeout: 2000 };
 * ```
 */
export interface ExecuteOptions {
  /** Cancels the call; the transport releases its socket or stream. */
  signal?: AbortSignal;
  /** Total time for this call in milliseconds, all attempts included; overrides the connector's. */
  timeout?: number;
}

/**
 * The contract every protocol's connector fulfils.
 *
 * @example
 * ```ts
 * import type { Connector, ApiRequest, ApiResponse } from 'ia-connectors';
 * async function ping(c: Connector<ApiRequest, ApiResponse>) { return (await c.healthCheck()).ok; }
 * ```
 */
export interface Connector<Req, Res> extends AsyncDisposable {
  readonly name: string;
  readonly state: ConnectorState;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  execute(request: Req, options?: ExecuteOptions): Promise<Res>;
  healthCheck(): Promise<HealthStatus>;
  on<K extends keyof ConnectorEvents>(event: K, listener: (payload: ConnectorEvents[K]) => void): Disposable;
}

/**
 * Shared lifecycle for connectors: single-flight `connect()`, idempotent
 * `disconnect()`, the policy chain composed once at connect, and typed events.
 *
 * `execute()` before `connect()` connects lazily (the first call pays for it); after
 * `disconnect()` it fails with `NOT_CONNECTED` until `connect()` is called again, so a
 * closed connector never reopens sockets behind its owner's back.
 *
 * @example
 * ```ts
 * import { BaseConnector, type Transport } from 'ia-connectors';
 * class EchoConnector extends BaseConnector<string, string> {
 *   constructor(t: Transport<string, string>) { super('echo', t, []); }
 *   async healthCheck() { return { ok: true, latencyMs: 0 }; }
 * }
 * ```
 */
export abstract class BaseConnector<Req, Res> implements Connector<Req, Res> {
  #state: ConnectorState = 'idle';
  #opening: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #handler: Handler<Req, Res> | undefined;
  readonly #layers: ChainLayer<Req, Res>[];

  protected constructor(
    readonly name: string,
    protected readonly transport: Transport<Req, Res>,
    layers: readonly ChainLayer<Req, Res>[],
    /** Shared with the transport and layers so they can emit too. */
    readonly events: TypedEvents<ConnectorEvents> = new TypedEvents<ConnectorEvents>(),
  ) {
    this.#layers = orderLayers(layers);
  }

  /** Current lifecycle state. */
  get state(): ConnectorState {
    return this.#state;
  }

  /** Subscribes to a connector event; dispose the handle to unsubscribe. */
  on<K extends keyof ConnectorEvents>(event: K, listener: (payload: ConnectorEvents[K]) => void): Disposable {
    return this.events.on(event, listener);
  }

  /** Opens the transport and every layer's setup; concurrent calls share one attempt. */
  connect(): Promise<void> {
    if (this.#state === 'connected') return Promise.resolve();
    if (this.#closing) return this.#closing.then(() => this.connect());
    this.#opening ??= this.#open().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  /** Closes the transport and layers; safe to call many times. */
  disconnect(): Promise<void> {
    if (this.#state === 'closed' || this.#state === 'idle') {
      this.#setState('closed');
      return Promise.resolve();
    }
    this.#closing ??= this.#close().finally(() => {
      this.#closing = undefined;
    });
    return this.#closing;
  }

  /** Runs one call through the chain and the transport. */
  execute(request: Req, options?: ExecuteOptions): Promise<Res> {
    const handler = this.#handler;
    if (handler !== undefined && this.#state === 'connected') {
      try {
        return handler(this.#context(request, options));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (this.#state === 'closed' || this.#state === 'disconnecting') {
      return Promise.reject(
        new ConnectorError('NOT_CONNECTED', `connector "${this.name}" is closed; call connect() before using it again`, {
          details: { connector: this.name },
        }),
      );
    }
    return this.connect().then(() => this.execute(request, options));
  }

  /** Probes the service; never throws. */
  abstract healthCheck(): Promise<HealthStatus>;

  /** Same as `disconnect()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.disconnect();
  }

  /** The composed chain; available after connect. */
  protected get handler(): Handler<Req, Res> | undefined {
    return this.#handler;
  }

  #context(request: Req, options: ExecuteOptions | undefined): CallContext<Req> {
    const startedAt = performance.now();
    const timeout = options?.timeout;
    if (timeout !== undefined && !(timeout > 0)) {
      throw new ConnectorError('INVALID_REQUEST', `timeout: must be a positive number of milliseconds, got ${timeout}`);
    }
    return {
      connector: this.name,
      request,
      signal: options?.signal,
      attempt: 1,
      deadline: timeout === undefined ? undefined : startedAt + timeout,
      startedAt,
    };
  }

  async #open(): Promise<void> {
    this.#setState('connecting');
    const opened: ChainLayer<Req, Res>[] = [];
    try {
      await this.transport.open();
      for (const layer of this.#layers) {
        await layer.open?.();
        opened.push(layer);
      }
      this.#handler = compose(
        this.#layers.filter((l) => l.active?.() ?? true).map((l) => l.middleware),
        this.transport.send,
      );
      this.#setState('connected');
    } catch (error) {
      await Promise.allSettled([...opened.reverse().map((l) => l.close?.()), this.transport.close()]);
      this.#setState('idle');
      throw error;
    }
  }

  async #close(): Promise<void> {
    if (this.#opening) await this.#opening.catch(() => undefined);
    this.#setState('disconnecting');
    this.#handler = undefined;
    const results = await Promise.allSettled([...[...this.#layers].reverse().map((l) => l.close?.()), this.transport.close()]);
    this.#setState('closed');
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw new ConnectorError('NETWORK', `connector "${this.name}" did not close cleanly`, { cause: failed.reason });
  }

  #setState(to: ConnectorState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.events.emit('stateChange', { connector: this.name, from, to });
  }
}
