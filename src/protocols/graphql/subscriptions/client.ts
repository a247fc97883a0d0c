import { randomUUID } from 'node:crypto';
import { createClient, type Client, type FormattedExecutionResult, type Sink, type SubscribePayload } from 'graphql-ws';
import { resolveSecretRefs } from '../../../auth/secret-ref.js';
import type { AuthCredentials } from '../../../auth/strategy.js';
import { isConnectorError } from '../../../core/errors.js';
import type { TypedEvents } from '../../../core/events.js';
import type { Redactor } from '../../../observability/redact.js';
import { backoffDelay, type BackoffOptions } from '../../../policies/backoff.js';
import type { GraphQLSocketCall, OpenedSocket } from '../call.js';
import { sameCredentials, type CredentialWatch } from '../credential-watch.js';
import type { GraphQLConnectorEvents, SubscriptionReconnectReason } from '../events.js';
import { chainedSocketClass, ChainedSocket } from './chained-socket.js';
import { isCloseInfo } from './close-errors.js';
import type { SubscriptionsConfig } from './config.js';

/**
 * What a {@link SubscriptionClient} needs from its connector.
 *
 * @example
 * ```ts
 * import type { SubscriptionClientOptions } from 'ia-connectors';
 * type Opener = SubscriptionClientOptions['open']; // (call, signal) => Promise<OpenedSocket>
 * ```
 */
export interface SubscriptionClientOptions {
  readonly connector: string;
  readonly url: string;
  readonly config: SubscriptionsConfig;
  /** Backoff between reconnections: the connector's retry settings. */
  readonly backoff: BackoffOptions;
  /** Opens a socket through the connector's policy chain. */
  readonly open: (call: GraphQLSocketCall, signal: AbortSignal) => Promise<OpenedSocket>;
  readonly events: TypedEvents<GraphQLConnectorEvents>;
  readonly watch: CredentialWatch;
  /** Whether the auth strategy can renew a refused credential. */
  readonly canRenew: boolean;
  /** Re-reads a credential that can expire (reporting it to `watch`); absent for static ones. */
  readonly recheck?: (() => Promise<unknown>) | undefined;
  /** Learns the secrets that `${env:...}` references in `connectionParams` resolve to. */
  readonly redactor: Redactor;
}

/**
 * One graphql-ws client per connector, on sockets opened through the policy chain.
 * It connects on the first subscription and closes after the last; after a drop it
 * reconnects with backoff (up to `reconnectAttempts` in a row) and sends every active
 * subscription again. A new credential (seen by the {@link CredentialWatch}) or one the
 * server refused (an auth close code) reconnects at once with the renewed credential,
 * without an error reaching the consumers; `subscriptionReconnect` records each.
 *
 * @example
 * ```ts
 * import { SubscriptionClient, type SubscriptionClientOptions } from 'ia-connectors';
 * declare const options: SubscriptionClientOptions;
 * const client = new SubscriptionClient(options);
 * const stop = client.subscribe({ query: 'subscription { tick }' }, { next: console.log, error: console.error, complete: () => {} });
 * ```
 */
export class SubscriptionClient {
  #client: Client | undefined;
  #socket: ChainedSocket | undefined;
  readonly #active = new Map<object, { dispose: () => void; sink: Sink<FormattedExecutionResult<Record<string, unknown>, unknown>> }>();
  #reason: SubscriptionReconnectReason = 'connection_lost';
  #closeCode: number | undefined;
  #rejected: AuthCredentials | undefined;
  #authRetried = false;
  #immediate = false;
  #previousDelay = 0;
  #pong: NodeJS.Timeout | undefined;
  #check: NodeJS.Timeout | undefined;
  #params: Promise<Record<string, unknown>> | undefined;

  constructor(private readonly options: SubscriptionClientOptions) {
    options.watch.onChange((credentials) => this.#rotate(credentials));
  }

  /** Active subscriptions. */
  get active(): number {
    return this.#active.size;
  }

  /** Starts a subscription; the returned function unsubscribes. */
  subscribe(payload: SubscribePayload, sink: Sink<FormattedExecutionResult<Record<string, unknown>, unknown>>): () => void {
    const client = (this.#client ??= this.#create());
    const key = {};
    const finish = (): boolean => this.#active.delete(key);
    const dispose = client.subscribe(payload, {
      next: (value) => sink.next(value),
      error: (error) => {
        if (finish()) sink.error(error);
      },
      complete: () => {
        if (finish()) sink.complete();
      },
    });
    this.#active.set(key, { dispose, sink });
    return () => {
      if (finish()) dispose();
    };
  }

  /** Completes every subscription and closes the connection. */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    this.#stopTimers();
    const active = [...this.#active.values()];
    this.#active.clear();
    for (const { dispose, sink } of active) {
      dispose();
      sink.complete();
    }
    this.#socket?.close(1000, 'Normal Closure');
    this.#socket = undefined;
    try {
      await client?.dispose();
    } catch {
      // A connection still being opened rejects the pending dispose; it is closed either way.
    }
  }

  #create(): Client {
    const { config } = this.options;
    return createClient<Record<string, unknown> | undefined>({
      url: this.options.url,
      webSocketImpl: chainedSocketClass((signal) => this.#open(signal), (socket) => (this.#socket = socket)),
      lazy: true,
      keepAlive: config.keepAlive === false ? 0 : config.keepAlive,
      connectionAckWaitTimeout: config.ackTimeout,
      retryAttempts: config.reconnectAttempts,
      retryWait: (retries) => this.#wait(retries),
      shouldRetry: (reason) => this.#shouldRetry(reason),
      connectionParams: () => this.#connectionParams(),
      generateID: () => randomUUID(),
      on: {
        connected: (_socket, _payload, wasRetry) => this.#connected(wasRetry),
        closed: (event) => this.#closed(event),
        ping: (received) => {
          if (!received) this.#armPong();
        },
        pong: (received) => {
          if (received) this.#clearPong();
        },
      },
    });
  }

  #open(signal: AbortSignal): Promise<OpenedSocket> {
    const rejected = this.#rejected;
    const url = this.options.url;
    return this.options.open(rejected ? { kind: 'socket', url, rejected } : { kind: 'socket', url }, signal);
  }

  async #connectionParams(): Promise<Record<string, unknown> | undefined> {
    const credentials = this.#socket?.credentials;
    const custom = this.options.config.connectionParams;
    if (typeof custom === 'function') return custom(credentials);
    // References such as "${env:WS_KEY}" are resolved once, on the first connection.
    this.#params ??= resolveSecretRefs(custom ?? {}, { field: 'subscriptions.connectionParams', redactor: this.options.redactor }).catch((error: unknown) => {
      this.#params = undefined;
      throw error;
    });
    const payload = { ...credentials?.headers, ...(await this.#params) };
    return Object.keys(payload).length > 0 ? payload : undefined;
  }

  #connected(wasRetry: boolean): void {
    this.#rejected = undefined;
    this.#authRetried = false;
    this.#previousDelay = 0;
    if (this.options.recheck && this.options.config.credentialCheck !== false && this.#check === undefined) {
      const recheck = this.options.recheck;
      // A failed re-read is reported by the strategy's authRefresh event; the next reconnect surfaces it.
      this.#check = setInterval(() => void recheck().catch(() => undefined), this.options.config.credentialCheck);
      this.#check.unref();
    }
    const { events, connector } = this.options;
    if (wasRetry && events.has('subscriptionReconnect')) {
      events.emit('subscriptionReconnect', { connector, reason: this.#reason, subscriptions: this.#active.size, closeCode: this.#closeCode });
    }
    this.#reason = 'connection_lost';
    this.#closeCode = undefined;
  }

  #closed(event: unknown): void {
    this.#stopTimers();
    if (!isCloseInfo(event) || this.#reason === 'credentials_rotated') return;
    this.#closeCode = event.code;
    if (this.options.config.authCloseCodes.includes(event.code)) {
      this.#reason = 'credentials_rejected';
      this.#rejected = this.#socket?.credentials ?? this.options.watch.latest;
      this.#immediate = this.options.canRenew && !this.#authRetried;
    }
  }

  #shouldRetry(reason: unknown): boolean {
    if (isCloseInfo(reason)) {
      if (!this.options.config.authCloseCodes.includes(reason.code)) return reason.code !== 1009;
      // One renewal per refusal: a credential refused twice in a row will not get better.
      if (!this.options.canRenew || this.#authRetried) return false;
      this.#authRetried = true;
      return true;
    }
    return isConnectorError(reason) && reason.retryable;
  }

  async #wait(retries: number): Promise<void> {
    if (this.#immediate) {
      this.#immediate = false;
      return;
    }
    const delay = backoffDelay(retries + 1, this.#previousDelay, this.options.backoff);
    this.#previousDelay = delay;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }

  #rotate(credentials: AuthCredentials): void {
    const socket = this.#socket;
    if (!this.#client || !socket || socket.readyState !== ChainedSocket.OPEN || sameCredentials(socket.credentials, credentials)) return;
    this.#reason = 'credentials_rotated';
    this.#closeCode = undefined;
    this.#immediate = true;
    this.#client.terminate();
  }

  #armPong(): void {
    clearTimeout(this.#pong);
    const socket = this.#socket;
    // No pong in time: the peer is gone, and a closing handshake would never finish either.
    this.#pong = setTimeout(() => socket?.kill(), this.options.config.pongTimeout);
    this.#pong.unref();
  }

  #clearPong(): void {
    clearTimeout(this.#pong);
    this.#pong = undefined;
  }

  #stopTimers(): void {
    this.#clearPong();
    clearInterval(this.#check);
    this.#check = undefined;
  }
}
