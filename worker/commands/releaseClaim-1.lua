--[[
  End a claim without a bank answer.

  Input:
    KEYS[1] ledger key

    ARGV[1] token of the claim to end (only its holder may end it)
    ARGV[2] '1' when the bank may have received the request (time-out, 5xx,
            dropped connection, aborted call), '0' when it certainly did not
            (429, 401: refused before processing)
    ARGV[3] now, ms epoch

  Output:
     1  released: entry deleted (nothing can be at the bank)
     2  released, kept as 'sending' + uncertain: the next claim gets code 2
     0  not released: no entry, not 'sending', or another token holds it
]]
local key = KEYS[1]
if redis.call('HGET', key, 'state') ~= 'sending' then return 0 end
if redis.call('HGET', key, 'token') ~= ARGV[1] then return 0 end
if ARGV[2] == '1' or redis.call('HGET', key, 'uncertain') == '1' then
  redis.call('HSET', key, 'token', '', 'claimedAt', 0, 'uncertain', 1, 'updatedAt', ARGV[3])
  return 2
end
redis.call('DEL', key)
return 1
