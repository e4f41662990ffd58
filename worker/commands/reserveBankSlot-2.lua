--[[
  Reserve the next moment a request may leave for the bank: moments are
  `intervalMs` apart (1000 / R plus a margin), so that no sliding second at
  the bank ever holds more than R of them, even with a request arriving a
  little late. Evenly spaced, not R at once then a pause: a burst reaches the
  bank over the time it takes to serve it, and would crowd the next second.

  The key holds the next free moment. One round trip per request, no polling:
  the caller sleeps until its moment. Redis' clock serves every process, so
  workers on several hosts share one budget.

  Input:
    KEYS[1] the next free moment, ms epoch (3 decimals)
    KEYS[2] count of moments given up (a caller woke too late for its moment)

    ARGV[1] intervalMs between two moments
    ARGV[2] '1' when the caller gave up its last moment (counted), else '0'

  Output:
    { reserved moment, Redis' now }, both ms epoch as strings (3 decimals)
]]
local key = KEYS[1]
local interval = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
if ARGV[2] == '1' then redis.call('INCR', KEYS[2]) end
local at = tonumber(redis.call('GET', key) or '0')
if at < now then at = now end
redis.call('SET', key, string.format('%.3f', at + interval), 'PX', math.ceil(at + interval - now) + 1000)
return { string.format('%.3f', at), string.format('%.3f', now) }
