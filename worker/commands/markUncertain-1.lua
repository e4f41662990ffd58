--[[
  Record that the bank may have a payment Redis has no trace of (the sweeper,
  before it queues a bill again after Redis lost or forgot it): 'sending' +
  uncertain with no claim, so the re-send's claim is a resume and a refusal of
  it reads as "may be at the bank" (needs_review), never as a first refusal.

  Input: KEYS[1] ledger key; ARGV[1] now (ms epoch), ARGV[2] ledger ttl (ms),
  ARGV[3] bill id, ARGV[4] end-to-end id (as exportPayment-1.lua), and
  ARGV[5] evidence kind ('no_trace').

  Output:
     1  recorded
     0  an entry exists already: left as it is
]]
local key = KEYS[1]
if redis.call('EXISTS', key) == 1 then return 0 end
redis.call('HSET', key, 'state', 'sending', 'token', '', 'claimedAt', 0, 'uncertain', 1, 'claims', 0,
  'billId', ARGV[3], 'endToEndId', ARGV[4], 'evidence', ARGV[5], 'updatedAt', ARGV[1])
redis.call('PEXPIRE', key, ARGV[2])
return 1
