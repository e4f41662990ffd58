--[[
  Request n to the bank has ended (reserveBankSlot-1.lua): its answer, error or
  time-out was observed before this script runs, so Redis' TIME now is no
  earlier than the bank's stamp of it. Request n + R may leave a second after.

  Input:
    KEYS[1] the hash
    ARGV[1] n
    ARGV[2] ring: R (as when n was reserved)
    ARGV[3] 'sent' or 'unsent' (nothing left: n + R only has to follow n - R)
    ARGV[4] graceMs: added to now for a request sent but not answered (the bank
            may still read it)

  Output: 1 when recorded, 0 when the slot was already taken by n + R (n had
  expired) or n already ended.
]]
local key = KEYS[1]
local n = ARGV[1]
local slot = tostring(tonumber(n) % tonumber(ARGV[2]))
local v = redis.call('HGET', key, slot)
if not v then return 0 end
local vn, _, vs, prev = string.match(v, '^([^:]+):([^:]+):([^:]+):([^:]+)$')
if vn ~= n or vs ~= 'p' then return 0 end
local ended
if ARGV[3] == 'unsent' then
  ended = tonumber(prev)
else
  local t = redis.call('TIME')
  ended = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 + tonumber(ARGV[4])
end
redis.call('HSET', key, slot, string.format('%s:%.3f:e:%s', n, ended, prev))
return 1
