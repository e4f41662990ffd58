--[[
  Retire a payment's ids before anything is sent under them (a bill changed or
  lost its approval after reservation, `stetpay cancel` of a queued payment),
  atomically against a concurrent claim: from then on every claim answers
  'done' and no channel sends these ids.

  Input:
    KEYS[1] ledger key

    ARGV[1] now, ms epoch
    ARGV[2] claim ttl, ms (a younger claim is live: a worker is sending it)
    ARGV[3] ledger ttl, ms
    ARGV[4] bill id
    ARGV[5] end-to-end id
    ARGV[6] status recorded when nothing can be at the bank ('withdrawn', 'cancelled')
    ARGV[7] its reason
    ARGV[8] reason recorded when an earlier try may have reached the bank
    ARGV[9] evidence kind recorded then

  Output:
     1  retired: there was no entry, nothing can be at the bank
     2  not retired but stopped: an earlier try may have reached the bank
        ('sending' with no live claim); recorded final needs_review
     0  refused: a worker holds a live claim on it right now
    -1  refused: already decided (sent, final, exported, released)
]]
local key = KEYS[1]
local now = tonumber(ARGV[1])
local state = redis.call('HGET', key, 'state')
if not state then
  redis.call('HSET', key, 'state', 'final', 'status', ARGV[6], 'reason', ARGV[7], 'token', '', 'claimedAt', 0,
    'uncertain', 0, 'claims', 0, 'billId', ARGV[4], 'endToEndId', ARGV[5], 'updatedAt', now)
  redis.call('PEXPIRE', key, ARGV[3])
  return 1
end
if state ~= 'sending' then return -1 end
local holder = redis.call('HGET', key, 'token')
local claimedAt = tonumber(redis.call('HGET', key, 'claimedAt') or '0') or 0
if holder and holder ~= '' and claimedAt + tonumber(ARGV[2]) > now then return 0 end
redis.call('HSET', key, 'state', 'final', 'status', 'needs_review', 'reason', ARGV[8], 'evidence', ARGV[9],
  'token', '', 'claimedAt', 0, 'updatedAt', now)
redis.call('PEXPIRE', key, ARGV[3])
return 2
