// Shared prelude of the breaker scripts. KEYS: the state hash, the count-window ring
// (one byte per call: 's' success, 'f' failure) and the time-window hash (`t<start>`
// and `f<start>` per bucket). ARGV 1-13: the settings, the breaker name, the channel
// state changes are published on and the keys' TTL; script arguments follow.
// Every reply is {now, version, state, retryAt, reason, consecutive, opens, epoch,
// from, to, ...}: the caller's local copy is refreshed by every call.

/**
 * The Lua every breaker script starts with: reads the state, and defines the state
 * machine's steps (open, close, the outcome windows, save and publish, reply).
 *
 * @example
 * ```ts
 * import { PRELUDE } from './breaker-lua.js';
 * const lua = `${PRELUDE}\nreturn reply()`;
 * ```
 */
export const PRELUDE = `local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local K, W, T = KEYS[1], KEYS[2], KEYS[3]
local S = {
  mode = ARGV[1], threshold = tonumber(ARGV[2]), rate = tonumber(ARGV[3]), size = tonumber(ARGV[4]),
  window = tonumber(ARGV[5]), min = tonumber(ARGV[6]), open = tonumber(ARGV[7]), mult = tonumber(ARGV[8]),
  max = tonumber(ARGV[9]), probes = tonumber(ARGV[10]), name = ARGV[11], channel = ARGV[12], ttl = tonumber(ARGV[13])
}
local h = redis.call('HMGET', K, 's', 'v', 'r', 'why', 'c', 'o', 'ps', 'e', 'wn', 'wt', 'wf', 'lf')
local st = {
  s = h[1] or 'closed', v = tonumber(h[2]) or 0, r = tonumber(h[3]) or 0, why = h[4] or '', c = tonumber(h[5]) or 0,
  o = tonumber(h[6]) or 0, ps = tonumber(h[7]) or 0, e = h[8] or '', wn = tonumber(h[9]) or 0, wt = tonumber(h[10]) or 0,
  wf = tonumber(h[11]) or 0, lf = tonumber(h[12]) or 0
}
local from, to, dirty = '', '', false

local function duration()
  return math.min(S.max, math.floor(S.open * S.mult ^ math.max(0, st.o - 1) + 0.5))
end
local function clear_leases()
  for i = 1, S.probes do redis.call('DEL', K .. ':p' .. i) end
end
local function change(state)
  if from == '' then from = st.s end
  to = state
  st.s = state
  st.v = st.v + 1
  dirty = true
end
local function open_now(reason)
  st.o = st.o + 1
  change('open')
  st.r = now + duration()
  st.why = reason
  clear_leases()
end
local function close_now()
  change('closed')
  st.c, st.o, st.r, st.why, st.ps, st.wn, st.wt, st.wf, st.lf = 0, 0, 0, '', 0, 0, 0, 0, 0
  redis.call('DEL', W, T)
  clear_leases()
end
local function ring_push(n, ch)
  if n >= S.size then
    redis.call('SET', W, string.rep(ch, S.size))
    st.wt, st.wf, st.wn = S.size, (ch == 'f') and S.size or 0, (st.wn + n) % S.size
    return
  end
  while n > 0 do
    local take = math.min(n, S.size - st.wn)
    local old = redis.call('GETRANGE', W, st.wn, st.wn + take - 1)
    local _, olds = string.gsub(old, 's', '')
    local _, oldf = string.gsub(old, 'f', '')
    redis.call('SETRANGE', W, st.wn, string.rep(ch, take))
    st.wt = st.wt - olds - oldf + take
    st.wf = st.wf - oldf + ((ch == 'f') and take or 0)
    st.wn = (st.wn + take) % S.size
    n = n - take
  end
end
local bucket_ms = math.max(1, math.ceil(S.window / 10))
local function time_counts()
  local oldest = now - bucket_ms * 10
  local all = redis.call('HGETALL', T)
  local total, failures = 0, 0
  for i = 1, #all, 2 do
    local field, n = all[i], tonumber(all[i + 1])
    if tonumber(string.sub(field, 2)) <= oldest then
      redis.call('HDEL', T, field)
    elseif string.sub(field, 1, 1) == 't' then
      total = total + n
    else
      failures = failures + n
    end
  end
  return total, failures
end
local function window_add(n, failures)
  dirty = true
  if S.size > 0 then
    if n - failures > 0 then ring_push(n - failures, 's') end
    if failures > 0 then ring_push(failures, 'f') end
    return
  end
  local start = now - (now % bucket_ms)
  redis.call('HINCRBY', T, 't' .. start, n)
  if failures > 0 then redis.call('HINCRBY', T, 'f' .. start, failures) end
  time_counts()
end
local function window_counts()
  if S.size > 0 then return st.wt, st.wf end
  return time_counts()
end
local function save()
  if not dirty then return end
  if st.e == '' then st.e = tostring(now) end
  redis.call('HSET', K, 's', st.s, 'v', st.v, 'r', st.r, 'why', st.why, 'c', st.c, 'o', st.o, 'ps', st.ps, 'e', st.e,
    'wn', st.wn, 'wt', st.wt, 'wf', st.wf, 'lf', st.lf)
  redis.call('PEXPIRE', K, S.ttl)
  if redis.call('EXISTS', W) == 1 then redis.call('PEXPIRE', W, S.ttl) end
  if redis.call('EXISTS', T) == 1 then redis.call('PEXPIRE', T, S.ttl) end
  if to ~= '' then
    redis.call('PUBLISH', S.channel, cjson.encode({ k = S.name, v = st.v, s = st.s, r = st.r, why = st.why, c = st.c, o = st.o, e = st.e, now = now }))
  end
end
local function reply(a, b, c)
  return { now, st.v, st.s, st.r, st.why, st.c, st.o, st.e, from, to, a or '', b or 0, c or 0 }
end
`;
