import { PRELUDE } from './breaker-lua.js';
import { LuaScript } from './scripts.js';

/**
 * ARGV 14: the lease owner. Replies `pass`, `probe` (with the lease slot) or `refuse`
 * (with the time to try again). An open breaker past its retry time turns half-open;
 * each half-open probe is a lease, `SET <key>:p<slot> NX PX <open duration>`, so at
 * most `halfOpenProbes` calls probe across all processes, and a probe whose process
 * died frees its slot when the lease expires.
 *
 * @example
 * ```ts
 * import { admitScript } from './breaker-scripts.js';
 * declare const client: import('ioredis').Redis;
 * admitScript.define(client);
 * ```
 */
export const admitScript = new LuaScript(
  'iacBreakerAdmit',
  3,
  `${PRELUDE}
if st.s == 'open' then
  if now < st.r then return reply('refuse', 0, st.r) end
  change('half-open')
  st.ps = 0
  clear_leases()
end
local verdict, slot, retry = 'pass', 0, 0
if st.s == 'half-open' then
  local lease = duration()
  for i = 1, S.probes do
    if redis.call('SET', K .. ':p' .. i, ARGV[14], 'NX', 'PX', lease) then
      verdict, slot = 'probe', i
      break
    end
  end
  if slot == 0 then verdict, retry = 'refuse', now + lease end
end
save()
return reply(verdict, slot, retry)`,
);

/**
 * ARGV 14-17: the result (`success`, `failure`, `neutral`, or `none` to only add the
 * batched successes), `1` for a probe, the number of batched successes (applied
 * first) and the probe's lease slot; ARGV 18 the lease owner; ARGV 19 when the latest
 * batched success happened (server clock). Same rules as the memory store; a batched
 * success resets the consecutive count only if it happened after the last failure
 * counted, so a success that reaches Redis late cannot undo failures that came after it.
 *
 * @example
 * ```ts
 * import { recordScript } from './breaker-scripts.js';
 * declare const client: import('ioredis').Redis;
 * recordScript.define(client);
 * ```
 */
export const recordScript = new LuaScript(
  'iacBreakerRecord',
  3,
  `${PRELUDE}
local result, probe, ok, ok_at = ARGV[14], ARGV[15] == '1', tonumber(ARGV[16]), tonumber(ARGV[19])
if st.s == 'closed' and ok > 0 then
  if st.c > 0 and ok_at >= st.lf then st.c = 0; dirty = true end
  if S.mode == 'rate' then window_add(ok, 0) end
end
if probe then
  if st.s == 'half-open' then
    if result == 'neutral' then
      local lease = K .. ':p' .. ARGV[17]
      if redis.call('GET', lease) == ARGV[18] then redis.call('DEL', lease) end
    elseif result == 'failure' then
      open_now('a probe call failed')
    elseif result == 'success' then
      st.ps = st.ps + 1
      dirty = true
      if st.ps >= S.probes then close_now() end
    end
  end
elseif st.s == 'closed' and (result == 'success' or result == 'failure') then
  local failure = result == 'failure'
  st.c = failure and st.c + 1 or 0
  if failure then st.lf = now end
  dirty = true
  if S.mode == 'consecutive' then
    if st.c >= S.threshold then open_now(st.c .. ' consecutive failures') end
  else
    window_add(1, failure and 1 or 0)
    if failure then
      local total, failures = window_counts()
      if total >= S.min and failures / total >= S.rate then
        open_now(failures .. ' of the last ' .. total .. ' calls failed')
      end
    end
  end
end
save()
return reply()`,
);

/**
 * Reads the state without changing it (the periodic re-read).
 *
 * @example
 * ```ts
 * import { readScript } from './breaker-scripts.js';
 * declare const client: import('ioredis').Redis;
 * readScript.define(client);
 * ```
 */
export const readScript = new LuaScript('iacBreakerRead', 3, `${PRELUDE}\nreturn reply()`);

/**
 * ARGV 14-18: state, consecutive failures, opens, ms until the retry, reason; ARGV 19
 * the window as JSON `[[ageMs, total, failures], ...]`. Writes only when no shared
 * state exists: live state from other processes wins over a saved snapshot.
 *
 * @example
 * ```ts
 * import { restoreScript } from './breaker-scripts.js';
 * declare const client: import('ioredis').Redis;
 * restoreScript.define(client);
 * ```
 */
export const restoreScript = new LuaScript(
  'iacBreakerRestore',
  3,
  `${PRELUDE}
if redis.call('EXISTS', K) == 1 then return reply() end
change(ARGV[14] == 'closed' and 'closed' or 'open')
from = ''
st.c, st.o, st.why = tonumber(ARGV[15]), tonumber(ARGV[16]), ARGV[18]
if st.s == 'open' then st.r = now + tonumber(ARGV[17]) end
if S.mode == 'rate' then
  local saved_now = now
  for _, entry in ipairs(cjson.decode(ARGV[19])) do
    now = saved_now - entry[1]
    window_add(entry[2], entry[3])
  end
  now = saved_now
end
save()
return reply()`,
);
