--[[
  A pain.001 file could not be written after its payments were claimed for it
  (`stetpay export pain001`): no channel has them. The export claim becomes
  final 'withdrawn': its ids are never sent (every claim answers 'done'), and
  the bill may be sent anew with new ids (`stetpay retry`). Called under the
  export lock, by the export that made the claim.

  Input:
    KEYS[1] ledger key

    ARGV[1] now, ms epoch
    ARGV[2] ledger ttl, ms
    ARGV[3] reason

  Output:
     1  withdrawn
     0  not an export claim: left as it is
]]
local key = KEYS[1]
if redis.call('HGET', key, 'state') ~= 'exported' then return 0 end
redis.call('HSET', key, 'state', 'final', 'status', 'withdrawn', 'reason', ARGV[3], 'token', '', 'claimedAt', 0, 'updatedAt', ARGV[1])
redis.call('PEXPIRE', key, ARGV[2])
return 1
