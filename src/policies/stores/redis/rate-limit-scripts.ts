import { LuaScript, SERVER_NOW_LUA } from './scripts.js';

// The same token bucket as the memory store: `t` tokens (negative while callers wait
// for promised tokens) and `u`, the time of the last refill (in the future while
// paused). A full bucket equals no bucket, so a key expires once it would be full again.
const BUCKET_LUA = `${SERVER_NOW_LUA}
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local stored = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = tonumber(stored[1])
local updated = tonumber(stored[2])
local fresh = tokens == nil or updated == nil
if fresh then
  tokens = burst
  updated = now
elseif now > updated then
  tokens = math.min(burst, tokens + (now - updated) * rate)
  updated = now
end
local function save()
  redis.call('HSET', KEYS[1], 't', tokens, 'u', updated)
  redis.call('PEXPIRE', KEYS[1], math.ceil(updated - now + (burst - tokens) / rate) + 1000)
end`;

/**
 * ARGV: ratePerMs, burst, maxWaitMs. Returns `{reserved (0|1), waitMs}`.
 *
 * @example
 * ```ts
 * import { reserveScript } from './rate-limit-scripts.js';
 * declare const client: import('ioredis').Redis;
 * reserveScript.define(client);
 * ```
 */
export const reserveScript = new LuaScript(
  'iacRateReserve',
  1,
  `${BUCKET_LUA}
local left = tokens - 1
local wait = 0
if left < -1e-9 or updated > now then
  wait = math.max(0, math.ceil(updated - now - left / rate - 1e-9))
  if wait > tonumber(ARGV[3]) then return {0, wait} end
end
tokens = left
save()
return {1, wait}`,
);

/**
 * ARGV: ratePerMs, burst. Gives one token back.
 *
 * @example
 * ```ts
 * import { releaseScript } from './rate-limit-scripts.js';
 * declare const client: import('ioredis').Redis;
 * releaseScript.define(client);
 * ```
 */
export const releaseScript = new LuaScript(
  'iacRateRelease',
  1,
  `${BUCKET_LUA}
if fresh then return 0 end
tokens = math.min(burst, tokens + 1)
save()
return 1`,
);

/**
 * ARGV: ratePerMs, burst, pauseMs. No token is handed out for `pauseMs` from the server's now.
 *
 * @example
 * ```ts
 * import { pauseScript } from './rate-limit-scripts.js';
 * declare const client: import('ioredis').Redis;
 * pauseScript.define(client);
 * ```
 */
export const pauseScript = new LuaScript(
  'iacRatePause',
  1,
  `${BUCKET_LUA}
tokens = math.min(tokens, 0)
updated = math.max(updated, now + tonumber(ARGV[3]))
save()
return 1`,
);
