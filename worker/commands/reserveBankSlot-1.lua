--[[
  Reserve the next request to the bank: its sequence number n and the moment it
  may leave. Why it holds (worker/bank-rate/bank-rate-limiter.ts): the bank stamps request k between
  the moment it left and the moment its answer was observed; if request k + R
  leaves at least a second (plus `gapMs` - 1000, for clock granularity) after k's
  answer was observed, the R chains n mod R each have at most one stamp in any
  sliding second at the bank, whatever the bank's stalls and the network do.

  So n may leave at max(now, the previous moment + 1000 / R (even pacing: no
  burst), end(n - R) + gapMs), where end(n - R) is when request n - R's answer
  was observed (endBankSlot-1.lua, Redis' TIME). While n - R has not ended, no
  number is given: the caller asks again shortly (nothing is taken, so a caller
  that gives up leaves no hole). A request whose process died never ends: it
  counts as ended at its moment + `expiryMs` (later than its own time-outs allow
  the bank to see it).

  One hash, bounded: fields `seq` (last number given), `at` (last moment), and
  a ring of `ring` slots, slot n mod ring = "n:t:state:prev": state `p` pending
  (t = its expiry) or `e` ended (t = when), prev = end(n - ring) (what an unsent
  request passes on to n + ring).

  Input:
    KEYS[1] the hash
    ARGV[1] ring: R, the requests allowed in any sliding second (an integer >= 1)
    ARGV[2] intervalMs: 1000 / R, the even pacing
    ARGV[3] gapMs: 1000 + a margin for clock granularity
    ARGV[4] expiryMs: from the moment to when a request never ended counts as ended

  Output:
    { 1, n, moment, now } when reserved; { 0, until, now } when n - R has not
    ended yet (until: when it will count as ended). Times are ms epoch, Redis'
    clock, strings with 3 decimals.
]]
local key = KEYS[1]
local ring = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local gap = tonumber(ARGV[3])
local expiry = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000

local n = tonumber(redis.call('HGET', key, 'seq') or '0') + 1
local slot = tostring(n % ring)
local prev = 0
local v = redis.call('HGET', key, slot)
if v then
  local _, pt, ps = string.match(v, '^([^:]+):([^:]+):([^:]+):')
  pt = tonumber(pt)
  if ps == 'p' and pt > now then
    return { 0, string.format('%.3f', pt), string.format('%.3f', now) }
  end
  prev = pt
end

local at = now
local last = tonumber(redis.call('HGET', key, 'at') or '0')
if last + interval > at then at = last + interval end
if prev + gap > at then at = prev + gap end

redis.call('HSET', key, 'seq', string.format('%d', n), 'at', string.format('%.3f', at), slot,
  string.format('%d:%.3f:p:%.3f', n, at + expiry, prev))
-- Idle for longer than any slot can matter: the whole ring goes.
redis.call('PEXPIRE', key, math.ceil(at - now + expiry + gap) + 1000)
return { 1, n, string.format('%.3f', at), string.format('%.3f', now) }
