--[[
  A person confirmed that the bank does not have this payment (stetpay
  resolve): its ids are retired for good (never sent again: the claim answers
  'done'), and the run may make a new attempt with new ids. Never releases a
  payment the bank accepted or said it has: the check is repeated here, inside
  the atomic step, so a sync or a worker recording the bank's answer meanwhile
  is never overwritten.

  Input:
    KEYS[1] ledger key

    ARGV[1] now, ms epoch
    ARGV[2] claim ttl, ms (a younger claim is live: a worker may be sending it)
    ARGV[3] ledger ttl, ms
    ARGV[4] bill id
    ARGV[5] end-to-end id
    ARGV[6] reason (who confirmed what, when)

  Output:
     1  released (an absent entry is created released: the decision is kept)
     0  refused: a worker holds a live claim on it right now
    -1  refused: the bank accepted it ('sent'), said it has it (a duplicate,
        a 201 without reference), executed it, or it went in a pain.001 file
]]
local key = KEYS[1]
local now = tonumber(ARGV[1])
local state = redis.call('HGET', key, 'state')
if state == 'sending' then
  local holder = redis.call('HGET', key, 'token')
  local claimedAt = tonumber(redis.call('HGET', key, 'claimedAt') or '0') or 0
  if holder and holder ~= '' and claimedAt + tonumber(ARGV[2]) > now then return 0 end
end
if state == 'sent' or state == 'exported' then return -1 end
if state == 'final' then
  local status = redis.call('HGET', key, 'status')
  local evidence = redis.call('HGET', key, 'evidence')
  if status ~= 'needs_review' and status ~= 'rejected' and status ~= 'cancelled' and status ~= 'withdrawn' then return -1 end
  if evidence == 'duplicate' or evidence == 'no_resource_id' then return -1 end
end
redis.call('HSET', key, 'state', 'released', 'status', '', 'token', '', 'claimedAt', 0,
  'billId', ARGV[4], 'endToEndId', ARGV[5], 'reason', ARGV[6], 'updatedAt', now)
redis.call('PEXPIRE', key, ARGV[3])
return 1
