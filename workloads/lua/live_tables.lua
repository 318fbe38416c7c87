-- live_tables.lua: a huge live heap of small tables under steady churn.
-- Builds N two-element tables kept live in one array, then runs passes that replace a
-- quarter of them (the old ones become garbage) and mutate others in place. Every
-- collection must deal with the whole live heap while only a little of it dies: the case
-- where list-sweeping collectors spend most of their time in the GC.
-- Usage: live_tables.lua [N] [passes]   (default 10000000 4; smoke: 10000)
-- Random choices come from a Park-Miller LCG whose products stay below 2^53, so every
-- interpreter (doubles or 5.4 integers) draws the same sequence.
-- The last line is a checksum that every interpreter must print identically.

local N = tonumber(arg and arg[1]) or 10000000
local passes = tonumber(arg and arg[2]) or 4

local seed = 42
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end

local live = {}
for i = 1, N do
  live[i] = { i, i * 2 }
end

local replaced, bumped = 0, 0
for pass = 1, passes do
  -- Replace a quarter of the tables: the old ones die, scattered across the heap.
  for _ = 1, math.floor(N / 4) do
    local j = rand(N)
    local old = live[j]
    live[j] = { old[1] + pass, old[2] }
    replaced = replaced + 1
  end
  -- Mutate another eighth in place: writes into old objects (the barrier's work).
  for _ = 1, math.floor(N / 8) do
    local t = live[rand(N)]
    t[1] = t[1] + 1
    bumped = bumped + 1
  end
end

-- Each entry is below 3N + passes^2, so the sum stays exact in a double.
local sum = 0
for i = 1, N do
  local t = live[i]
  sum = sum + t[1] + t[2]
end
io.write(string.format("replaced %d, bumped %d\n", replaced, bumped))
io.write(string.format("checksum live_tables %d %d\n", N, sum % 2147483647))
