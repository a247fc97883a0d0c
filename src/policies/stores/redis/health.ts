import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Disposable } from '../../../core/events.js';
import { LuaScript } from './scripts.js';

/** While Redis is unavailable, one PING this often tells when it is back. */
const PROBE_MS = 500;
/** Each holder announces itself this often; one silent for STALE_MS is gone. */
const HEARTBEAT_MS = 1000;
const STALE_MS = 3500;

const heartbeatScript = new LuaScript(
  'iacHeartbeat',
  1,
  `local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 3)
return redis.call('ZCARD', KEYS[1])`,
);

/**
 * A change of the store's availability: `up: false` with the (redacted) reason when
 * Redis became unavailable, `up: true` when it answers again.
 *
 * @example
 * ```ts
 * import type { HealthChange } from './health.js';
 * const c: HealthChange = { up: false, message: 'connect ECONNREFUSED 127.0.0.1:6379' };
 * ```
 */
export interface HealthChange {
  readonly up: boolean;
  readonly message: string;
}

/**
 * Whether Redis is usable now, decided once for all stores on one connection: a
 * failed command, a heartbeat that fails or a closed connection marks it down (the
 * stores then apply their failure policy without trying Redis); while down, one PING
 * every 500 ms in the background tells when it is back, so requests never probe.
 * It also counts the live processes: each holder adds itself to a sorted set every
 * second, and the last count seen is kept for when Redis is down.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisHealth } from './health.js';
 * const health = new RedisHealth(new Redis(), { keyPrefix: 'iac:', redact: String });
 * using _ = health.onChange((c) => console.log(c.up ? 'back' : `down: ${c.message}`));
 * ```
 */
export class RedisHealth {
  readonly #client: Redis;
  readonly #key: string;
  readonly #id = randomUUID();
  readonly #redact: (error: unknown) => string;
  readonly #listeners = new Set<(change: HealthChange) => void>();
  readonly #upWaiters = new Set<(up: boolean) => void>();
  readonly #heartbeat: NodeJS.Timeout;
  #state: 'connecting' | 'up' | 'down';
  #probe: NodeJS.Timeout | undefined;
  #probing = false;
  #processes = 1;
  #message = 'not connected yet';
  #closed = false;

  constructor(client: Redis, options: { keyPrefix: string; redact: (error: unknown) => string }) {
    this.#client = client;
    this.#key = `${options.keyPrefix}processes`;
    this.#redact = options.redact;
    this.#state = client.status === 'ready' ? 'up' : 'connecting';
    heartbeatScript.define(client);
    client.on('ready', this.#onReady);
    client.on('error', this.#onError);
    client.on('close', this.#onClose);
    this.#heartbeat = setInterval(() => this.#beat(), HEARTBEAT_MS).unref();
    if (this.#state === 'up') this.#beat();
  }

  /** True when commands may be sent: marked up and connected. */
  get up(): boolean {
    return this.#state === 'up' && this.#client.status === 'ready';
  }

  /** `connecting` until the first connection, then `up` or `down`. */
  get state(): 'connecting' | 'up' | 'down' {
    return this.#state;
  }

  /** Live processes (store holders) last counted in Redis, at least 1. */
  get processes(): number {
    return this.#processes;
  }

  /** Why Redis was last marked down (redacted). */
  get message(): string {
    return this.#message;
  }

  /** Subscribes to availability changes; dispose the handle to unsubscribe. */
  onChange(listener: (change: HealthChange) => void): Disposable {
    this.#listeners.add(listener);
    const dispose = (): void => {
      this.#listeners.delete(listener);
    };
    return { dispose, [Symbol.dispose]: dispose };
  }

  /** Resolves `true` once Redis is up, or `false` after `timeoutMs`; never rejects. */
  whenUp(timeoutMs: number): Promise<boolean> {
    if (this.up) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (up: boolean): void => {
        clearTimeout(timer);
        this.#upWaiters.delete(done);
        resolve(up);
      };
      const timer = setTimeout(() => done(this.up), timeoutMs).unref();
      this.#upWaiters.add(done);
    });
  }

  /** Reports a failed command: marks Redis down and starts probing. */
  fail(error: unknown): void {
    if (this.#closed || this.#state === 'down') return;
    this.#state = 'down';
    this.#message = this.#redact(error);
    this.#notify({ up: false, message: this.#message });
    this.#probe = setInterval(() => this.#ping(), PROBE_MS).unref();
  }

  /** Stops probing and heartbeats and removes this holder from the process count. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    clearInterval(this.#probe);
    this.#client.off('ready', this.#onReady);
    this.#client.off('error', this.#onError);
    this.#client.off('close', this.#onClose);
    this.#listeners.clear();
    for (const wake of [...this.#upWaiters]) wake(false);
    if (this.#client.status === 'ready') await this.#client.zrem(this.#key, this.#id).catch(() => undefined);
  }

  readonly #onReady = (): void => {
    if (this.#state !== 'connecting') return;
    this.#state = 'up';
    this.#beat();
    this.#wakeUpWaiters();
  };

  readonly #onError = (error: unknown): void => this.fail(error);

  readonly #onClose = (): void => this.fail(new Error('the connection to Redis closed'));

  #ping(): void {
    if (this.#probing || this.#closed) return;
    this.#probing = true;
    this.#client
      .ping()
      .then(() => this.#recover())
      .catch(() => undefined)
      .finally(() => {
        this.#probing = false;
      });
  }

  #recover(): void {
    if (this.#closed || this.#state !== 'down') return;
    clearInterval(this.#probe);
    this.#probe = undefined;
    this.#state = 'up';
    this.#beat();
    this.#notify({ up: true, message: 'Redis answers again' });
    this.#wakeUpWaiters();
  }

  #wakeUpWaiters(): void {
    for (const wake of [...this.#upWaiters]) wake(true);
  }

  #beat(): void {
    if (!this.up) return;
    heartbeatScript
      .run(this.#client, [this.#key], [this.#id, STALE_MS])
      .then((count) => {
        this.#processes = Math.max(1, Number(count) || 1);
      })
      .catch((error: unknown) => this.fail(error));
  }

  #notify(change: HealthChange): void {
    for (const listener of [...this.#listeners]) listener(change);
  }
}
