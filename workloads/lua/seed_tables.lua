-- seed_tables.lua: the scenario that started the project. Tens of millions of small
-- tables are kept live in one array (the heap is almost all live data), a full
-- collection is forced, then half of them are replaced with new tables: the old halves
-- die scattered through the whole heap and must be found by a collector that has to
-- trace everything else. Lua 5.1 and LuaJIT 2.x spend most of this program in the GC.
-- Usage: seed_tables.lua [N]   (default 10000000; large 60000000, 6.8 GB live on luagc;
--   smoke 20000)
-- Random choices come from a Park-Miller LCG whose products stay below 2^53, so every
-- interpreter (doubles or 5.4 integers) draws the same sequence.
-- The last line is a checksum that every interpreter must print identically.

local N = tonumber(arg and arg[1]) or 10000000

local seed = 7
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end

-- Phase 1: N small tables, three fields each, all kept live.
local live = {}
for i = 1, N do
  live[i] = { i, i % 1000, false }
end

collectgarbage("collect")

-- Phase 2: replace half of them, each slot with probability 1/2, so the garbage is
-- spread over the whole heap rather than being its young end.
local replaced = 0
for i = 1, N do
  if rand(2) == 1 then
    local old = live[i]
    live[i] = { old[1] + 1, old[2], true }
    replaced = replaced + 1
  end
end

collectgarbage("collect")

-- Phase 3: read everything back. Entries below 2N + 2 each: the sum is exact.
local sum, fresh = 0, 0
for i = 1, N do
  local t = live[i]
  sum = sum + t[1] + t[2]
  if t[3] then fresh = fresh + 1 end
end
io.write(string.format("replaced %d\n", replaced))
io.write(string.format("checksum seed_tables %d %d %d\n", N, sum % 2147483647, fresh))
