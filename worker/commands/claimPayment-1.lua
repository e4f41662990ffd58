--[[
  Claim one payment in the ledger before any bank call.

  Input:
    KEYS[1] ledger key (<prefix>:stetpay:ledger:<paymentInformationId>)

    ARGV[1] token (the BullMQ job token of this processing)
    ARGV[2] now, ms epoch
    ARGV[3] claim ttl, ms (a claim older than this is dead: its worker died or lost the lock)
    ARGV[4] ledger ttl, ms (how long the entry is kept: beyond the bank's 35 days)
    ARGV[5] bill id
    ARGV[6] end-to-end id

  Output:
     1  claimed fresh (no entry: nothing was ever sent)
     2  claimed, but an earlier attempt was 'sending': the bank may have it,
        re-send the SAME body and let its duplicate refusal answer
     0  held by a live claim of another worker: try later
    -1  already sent (resource id known), final or exported: never send
]]
local key = KEYS[1]
local token = ARGV[1]
local now = tonumber(ARGV[2])
local claimTtl = tonumber(ARGV[3])
local ledgerTtl = tonumber(ARGV[4])

local state = redis.call('HGET', key, 'state')
if not state then
  redis.call('HSET', key, 'state', 'sending', 'token', token, 'claimedAt', now,
    'uncertain', 0, 'claims', 1, 'billId', ARGV[5], 'endToEndId', ARGV[6], 'updatedAt', now)
  redis.call('PEXPIRE', key, ledgerTtl)
  return 1
end
if state ~= 'sending' then
  return -1
end
local holder = redis.call('HGET', key, 'token')
local claimedAt = tonumber(redis.call('HGET', key, 'claimedAt') or '0') or 0
if holder and holder ~= '' and holder ~= token and claimedAt + claimTtl > now then
  return 0
end
redis.call('HSET', key, 'token', token, 'claimedAt', now, 'uncertain', 1, 'updatedAt', now)
redis.call('HINCRBY', key, 'claims', 1)
redis.call('PEXPIRE', key, ledgerTtl)
return 2
