import type { ChainableCommander, Redis } from 'ioredis';

/**
 * A Lua script registered on an ioredis client with `defineCommand`, so it is sent
 * as `EVALSHA` (ioredis re-sends it as `EVAL` after a `NOSCRIPT`, e.g. when Redis
 * restarted) in one round trip.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { LuaScript } from './scripts.js';
 * const now = new LuaScript('iacNow', 0, "return redis.call('TIME')");
 * const [seconds] = (await now.run(new Redis(), [], [])) as [string];
 * ```
 */
export class LuaScript {
  constructor(
    readonly name: string,
    readonly keys: number,
    readonly lua: string,
  ) {}

  /** Runs the script on `client`, defining it there first if needed. */
  run(client: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return this.#command(client).call(client, ...keys, ...args) as Promise<unknown>;
  }

  /** Defines the script on `client`; pipelines created afterwards have it too. */
  define(client: Redis): void {
    this.#command(client);
  }

  /** Queues the script on a pipeline made after {@link LuaScript.define} on its client. */
  queue(pipeline: ChainableCommander, keys: readonly string[], args: readonly (string | number)[]): void {
    const command = (pipeline as unknown as Record<string, unknown>)[this.name];
    if (typeof command !== 'function') throw new Error(`the Redis script ${this.name} was not defined before the pipeline was created`);
    (command as (...a: unknown[]) => unknown).call(pipeline, ...keys, ...args);
  }

  #command(client: Redis): (...args: unknown[]) => unknown {
    const own = client as unknown as Record<string, unknown>;
    if (typeof own[this.name] !== 'function') client.defineCommand(this.name, { numberOfKeys: this.keys, lua: this.lua });
    return own[this.name] as (...args: unknown[]) => unknown;
  }
}

/**
 * The server's clock in milliseconds, as a Lua expression prelude: every script reads
 * `now` from Redis `TIME`, so processes with skewed clocks still agree.
 *
 * @example
 * ```ts
 * import { SERVER_NOW_LUA } from './scripts.js';
 * const lua = `${SERVER_NOW_LUA}\nreturn math.floor(now)`;
 * ```
 */
export const SERVER_NOW_LUA = `local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000`;
