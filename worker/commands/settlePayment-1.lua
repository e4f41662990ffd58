--[[
  Record the bank's answer for a claimed payment: 'sent' (201) or 'final'.
  Written whatever the token (the bank's answer is a fact, even when this
  worker lost its lock meanwhile), but never downgrades 'final'/'exported'
  to 'sent'.

  Input:
    KEYS[1] ledger key

    ARGV[1] new state: 'sent' or 'final'
    ARGV[2] ledger ttl, ms
    ARGV[3..n] field, value pairs to set

  Output:
     1  recorded
     0  not recorded: the entry is already 'final' or 'exported'
]]
local key = KEYS[1]
local state = redis.call('HGET', key, 'state')
if state == 'exported' then return 0 end
if state == 'final' and ARGV[1] == 'sent' then return 0 end
redis.call('HSET', key, 'state', ARGV[1], 'token', '', 'claimedAt', 0)
for i = 3, #ARGV, 2 do
  redis.call('HSET', key, ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIRE', key, ARGV[2])
return 1
