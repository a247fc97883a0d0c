import { createRequire } from 'node:module';
import type * as IoRedis from 'ioredis';

// ioredis is CommonJS, so it loads synchronously on first use: constructors that open
// a connection (RedisStores) keep their synchronous signature and their `client`.
const require = createRequire(import.meta.url);
let loaded: typeof IoRedis | undefined;

/**
 * ioredis, loaded the first time a connection is opened: importing the library or
 * running without Redis never pays its start-up cost. It is the same module instance
 * that `import 'ioredis'` (and BullMQ) gets.
 *
 * @example
 * ```ts
 * import { loadIoredis } from './load-ioredis.js';
 * const { Redis } = loadIoredis();
 * const client = new Redis('redis://127.0.0.1:6379');
 * ```
 */
export function loadIoredis(): typeof IoRedis {
  return (loaded ??= require('ioredis') as typeof IoRedis);
}
