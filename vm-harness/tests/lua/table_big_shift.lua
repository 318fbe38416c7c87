-- table.insert and table.remove on big arrays (4096 slots and more: luagc's collectors
-- trace such a table a chunk of slots at a time) while a collection is tracing them.
-- A shift moves every value after the position by one slot; a value the collector had
-- not reached yet may move into a chunk it has traced already, and the slot it came from
-- is then overwritten: it must stay alive all the same. Under GC stress each allocation
-- is a small collector step, so the shifts happen at many points of the tracing.

local N = 6000
local big = {}
for i = 1, N do
  big[i] = { i }
end

local function check()
  local s = 0
  for i = 1, #big do
    s = s + big[i][1]
  end
  return #big, s
end

for round = 1, 30 do
  collectgarbage()
  -- A few allocations: the next cycle starts and traces part of `big`.
  for i = 1, round do
    local _ = { i }
  end
  -- Insert near the front (shifts almost everything towards the end), then take one
  -- off the front half (shifts back), with fresh objects in between.
  table.insert(big, 1 + round % 7, { 100000 + round })
  local removed = table.remove(big, 2 * round)
  big[#big + 1] = { removed[1] }
  if round % 10 == 0 then
    print(round, check())
  end
end
collectgarbage()
print(check())
