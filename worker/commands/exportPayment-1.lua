--[[
  Take a payment for the pain.001 fallback file: from then on the API must
  never send it.

  Input:
    KEYS[1] ledger key

    ARGV[1] now, ms epoch
    ARGV[2] ledger ttl, ms
    ARGV[3] bill id
    ARGV[4] end-to-end id

  Output:
     1  marked exported (or already exported)
     0  refused: the API has it, or may have it ('sending', 'sent', 'final')
]]
local key = KEYS[1]
local state = redis.call('HGET', key, 'state')
if state == 'exported' then return 1 end
if state then return 0 end
redis.call('HSET', key, 'state', 'exported', 'status', 'exported', 'token', '', 'claimedAt', 0,
  'uncertain', 0, 'claims', 0, 'billId', ARGV[3], 'endToEndId', ARGV[4], 'updatedAt', ARGV[1])
redis.call('PEXPIRE', key, ARGV[2])
return 1
