--[[
  Remove the head of the write-back list once Odoo confirmed the write, only
  while this drainer still holds the drain lock (else another drainer owns
  the list now and this one must not remove what it has not written).

  Input:
    KEYS[1] write-back list
    KEYS[2] drain lock key

    ARGV[1] lock token
    ARGV[2] number of items written (the head of the list)

  Output:
     1  trimmed
     0  lock lost: nothing removed (the items will be written again: harmless)
]]
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('LTRIM', KEYS[1], tonumber(ARGV[2]), -1)
return 1
