-- Big tables (4096 slots and more, the size from which luagc's collectors trace a
-- table a chunk of slots at a time and its stores take the forward barrier) resized
-- while a collection is tracing them. A rehash moves every entry of the hash part to a
-- new position; an entry the collector had not reached yet may land in a part it has
-- traced already, and must stay alive all the same. Under GC stress each allocation is
-- a small collector step, so the rehashes below happen at many different points of the
-- tracing.

local N = 4096 -- keys: a full hash part of 4096 nodes
local big = {}
for i = 1, N do
  big[i + 0.5] = { i }
end

local function check()
  local s, n = 0, 0
  for k, v in pairs(big) do
    s = s + v[1]
    n = n + 1
  end
  return n, s
end

local next_key = N
for round = 1, 40 do
  collectgarbage()
  -- A few allocations: the next cycle starts and traces part of `big`.
  for i = 1, round do
    local _ = { i }
  end
  -- The hash part is full: a new key rehashes it (same size, every entry moved).
  local old = next_key - N + 1
  big[old + 0.5] = nil
  next_key = next_key + 1
  big[next_key + 0.5] = { next_key }
  -- Garbage that reuses the cells of anything wrongly freed.
  for i = 1, 20 do
    local _ = { -i, -i }
  end
  if round % 20 == 0 then
    print(round, check())
  end
end

-- The array part too: growing past 4096 slots copies it, shrinking moves its tail
-- into the hash part.
local arr = {}
for i = 1, 4200 do
  arr[i] = { i }
end
for i = 1, 4200 do
  if i % 5 ~= 0 then arr[i] = nil end
end
for i = 1, 400 do
  arr["x" .. i] = { i }
end
local s = 0
for k, v in pairs(arr) do
  s = s + v[1]
end
print("array", s)
collectgarbage()
print("end", check())
