-- big_objects.lua: large objects. Each round builds a big string (table.concat of
-- pieces, then string.rep and a gsub over it: each a fresh multi-MB string) and a big
-- table (an array of up to a million numbers, or a hash of a hundred thousand string
-- keys), reads them, keeps the newest few in a small live set and drops the rest: the
-- large-object space's allocation and release at a steady rate, with little else live.
-- Usage: big_objects.lua [rounds]   (default 150; large 600; smoke 4)
-- Random choices come from a Park-Miller LCG (exact on doubles and on 5.4 integers).
-- The last line is a checksum that every interpreter must print identically.

local N = tonumber(arg and arg[1]) or 150
local KEEP = 3
local M = 2147483647

local seed = 1729
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end

local live = {}
local h, bytes, elements = 0, 0, 0

local function sample(s)
  -- Hash 64 evenly spaced bytes of a big string.
  local x, step = 0, math.floor(#s / 64) + 1
  for i = 1, #s, step do x = (x * 31 + string.byte(s, i)) % M end
  return x
end

for r = 1, N do
  local kind = rand(4)
  local obj
  if kind == 1 then
    -- A string of 0.5 to 4 MB built from pieces.
    local pieces = {}
    local target = 500000 + rand(3500000)
    local len, n = 0, 0
    while len < target do
      n = n + 1
      local piece = string.format("%d:%d;", r, rand(1000000))
      pieces[n] = piece
      len = len + #piece
    end
    obj = table.concat(pieces)
    bytes = bytes + #obj
    h = (h + sample(obj)) % M
  elseif kind == 2 then
    -- A repeated block, then rewritten: two big strings, the first dropped at once.
    local block = string.format("<%08d>", rand(99999999))
    local s = string.rep(block, 50000 + rand(250000))
    local t, count = string.gsub(s, "0", "o")
    obj = t
    bytes = bytes + #s + #t
    h = (h + sample(t) + count) % M
  elseif kind == 3 then
    -- An array of numbers, grown by appending (its part reallocated as it doubles).
    local a = {}
    local n = 200000 + rand(800000)
    for i = 1, n do a[i] = (i * r) % 1000 end
    local s = 0
    for i = 1, n, 97 do s = s + a[i] end
    obj = a
    elements = elements + n
    h = (h + s) % M
  else
    -- A hash table with string keys.
    local t = {}
    local n = 20000 + rand(80000)
    for i = 1, n do t["k" .. i] = i end
    local s = 0
    for i = 1, n, 13 do s = s + t["k" .. i] end
    obj = t
    elements = elements + n
    h = (h + s) % M
  end
  -- The live set: the newest KEEP objects; the one falling out is garbage.
  table.insert(live, 1, obj)
  live[KEEP + 1] = nil
end

-- Read back the survivors.
for i = 1, #live do
  local o = live[i]
  if type(o) == "string" then h = (h + #o) % M else h = (h + #o % 1000) % M end
end
io.write(string.format("rounds %d, string bytes %d, table elements %d\n", N, bytes, elements))
io.write(string.format("checksum big_objects %d %d %d\n", N, h, (bytes + elements) % M))
