--[[
  Remove the head of the write-back list once Odoo confirmed the write, only
  while this drainer still holds the drain lock (else another drainer owns
  the list now and this one must not remove what it has not written). Items
  Odoo refused for good go to the dead-letter list in the same step, so an
  item is always in exactly one of the two lists.

  Input:
    KEYS[1] write-back list
    KEYS[2] drain lock key
    KEYS[3] dead-letter list

    ARGV[1] lock token
    ARGV[2] number of items handled (the head of the list)
    ARGV[3..] dead-letter entries (JSON), appended to KEYS[3]

  Output:
     1  trimmed (and the dead letters appended)
     0  lock lost: nothing removed or appended (the items will be handled again: harmless)
]]
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
for i = 3, #ARGV do
  redis.call('RPUSH', KEYS[3], ARGV[i])
end
redis.call('LTRIM', KEYS[1], tonumber(ARGV[2]), -1)
return 1
