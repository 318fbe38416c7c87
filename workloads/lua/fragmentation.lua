-- fragmentation.lua: objects of mixed sizes with random lifetimes. Every step allocates
-- one object (a short or medium string, a table with an array part of 1 to 256 slots,
-- a hash table of 1 to 64 fields, or a closure) and gives it a lifetime drawn from a
-- heavy-tailed distribution (most die within a few hundred steps, some live for most of
-- the run); a timing wheel of buckets holds it until its step of death. Live data stays
-- roughly constant while dead objects leave holes of every size all over the heap: what
-- is measured is the heap's size over its live data, and how well freed cells are
-- reused.
-- Usage: fragmentation.lua [steps]   (default 3000000; large 12000000; smoke 20000)
-- Random choices come from a Park-Miller LCG (exact on doubles and on 5.4 integers).
-- The last line is a checksum that every interpreter must print identically.

local N = tonumber(arg and arg[1]) or 3000000
local M = 2147483647
local HORIZON = 262144 -- the longest lifetime, in steps

local seed = 1234
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end

-- A lifetime: 1..64 steps half the time, 1..4096 a third, up to HORIZON the rest.
local function lifetime()
  local r = rand(6)
  if r <= 3 then return rand(64) elseif r <= 5 then return rand(4096) end
  return rand(HORIZON - 1)
end

local letters = "abcdefghijklmnopqrstuvwxyz0123456789"
local function make(step)
  local kind = rand(8)
  if kind <= 2 then
    local len = rand(kind == 1 and 24 or 2000)
    local c = rand(36)
    return string.rep(string.sub(letters, c, c), len) .. step, 1
  elseif kind <= 5 then
    local n = rand(kind == 5 and 256 or 16)
    local t = {}
    for i = 1, n do t[i] = i + step end
    return t, 2
  elseif kind <= 7 then
    local t = {}
    for i = 1, rand(64) do t["f" .. i] = i end
    t.step = step
    return t, 3
  else
    local a, b = step, rand(1000)
    return function() return a + b end, 4
  end
end

local function weight(o, kind)
  if kind == 1 then return #o
  elseif kind == 2 then return #o + o[1]
  elseif kind == 3 then return o.step + (o.f1 or 0)
  else return o() end
end

-- wheel[s % HORIZON] holds the objects dying at step s, with their kinds.
local wheel = {}
for i = 0, HORIZON - 1 do wheel[i] = false end
local live, died, h = 0, 0, 0
local counts = { 0, 0, 0, 0 }
for step = 1, N do
  local o, kind = make(step)
  counts[kind] = counts[kind] + 1
  local at = (step + lifetime()) % HORIZON
  local bucket = wheel[at]
  if not bucket then bucket = {}; wheel[at] = bucket end
  bucket[#bucket + 1] = o
  bucket[#bucket + 1] = kind
  live = live + 1
  -- The objects whose time has come die now: read them one last time.
  local slot = step % HORIZON
  local dying = wheel[slot]
  if dying then
    for i = 1, #dying, 2 do
      h = (h + weight(dying[i], dying[i + 1])) % M
    end
    live = live - #dying / 2
    died = died + #dying / 2
    wheel[slot] = false
  end
end
io.write(string.format("steps %d, died %d, live at end %d\n", N, died, live))
io.write(string.format("checksum fragmentation %d %d %d %d %d\n", N, died, h, counts[1] + 2 * counts[2], counts[3] + 2 * counts[4]))
