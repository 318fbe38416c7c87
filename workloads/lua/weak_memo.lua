-- weak_memo.lua: memoization through weak tables. Three caches: a weak-valued cache
-- from a string key to a computed result table (entries vanish when nothing else holds
-- the result), a weak-keyed cache from an object to data derived from it (an ephemeron
-- table: entries vanish with their key; one value in eight refers back to its key,
-- which only an ephemeron-aware collector can still clear; Lua 5.1 keeps those), and a
-- fully weak interning table of canonical objects. A stream of lookups hits and misses
-- while a small strong set of objects and results is kept and replaced.
-- Usage: weak_memo.lua [lookups]   (default 500000; large 2000000; smoke 20000)
-- What a lookup returns never depends on whether the collector has cleared an entry
-- (a miss recomputes the same value), and the checksum counts only such values and
-- entries whose keys are strongly held, never hits, misses or table sizes.
-- Random choices come from a Park-Miller LCG (exact on doubles and on 5.4 integers).
-- The last line is a checksum that every interpreter must print identically.

local N = tonumber(arg and arg[1]) or 500000
local M = 2147483647
local STRONG = 4096

local seed = 5150
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end

local by_name = setmetatable({}, { __mode = "v" })   -- "k123" -> result table
local derived = setmetatable({}, { __mode = "k" })   -- object -> derived table
local canon = setmetatable({}, { __mode = "kv" })    -- key string -> canonical object

-- An expensive-ish pure function of k: its result is a small table.
local function compute(k)
  local a, b = k, 0
  for i = 1, 8 do
    a = (a * 48271 + i) % 2147483647
    b = b + a % 1000
  end
  return { k = k, value = b, digits = string.format("%09d", a % 1000000000) }
end

local function lookup(k)
  local name = "k" .. k
  local r = by_name[name]
  if r == nil then
    r = compute(k)
    by_name[name] = r
  end
  return r
end

local function object_for(k)
  local name = "o" .. k
  local o = canon[name]
  if o == nil then
    o = { id = k }
    canon[name] = o
  end
  return o
end

local function derive(o)
  local d = derived[o]
  if d == nil then
    d = { sum = o.id * 3 + 1, label = "d" .. o.id }
    if o.id % 8 == 0 then d.owner = o end -- a value that refers to its key
    derived[o] = d
  end
  return d
end

local strong_results, strong_objects = {}, {}
local total = 0
local KEYS = 200000
for i = 1, N do
  local k = rand(KEYS)
  local r = lookup(k)
  total = (total + r.value + #r.digits) % M
  local o = object_for(rand(KEYS))
  local d = derive(o)
  total = (total + d.sum + #d.label) % M
  -- Keep a small, changing strong set: these must survive any collection.
  if i % 16 == 0 then
    local s = rand(STRONG)
    strong_results[s] = r
    strong_objects[s] = o
  end
  -- Some garbage that is not cached at all.
  if i % 4 == 0 then
    local tmp = { i, tostring(i % 1000) }
    total = (total + #tmp[2]) % M
  end
end

-- Entries whose keys or values are strongly held are certainly present and unchanged.
local present = 0
for s = 1, STRONG do
  local r, o = strong_results[s], strong_objects[s]
  if r then
    assert(by_name["k" .. r.k] == r, "weak-valued entry of a live value lost")
    present = present + 1
  end
  if o then
    assert(canon["o" .. o.id] == o, "interned object that is still live lost")
    local d = derived[o]
    assert(d and d.sum == o.id * 3 + 1, "ephemeron entry of a live key lost")
    present = present + 1
  end
end
-- After a full collection every entry left must still be consistent.
collectgarbage("collect")
local consistent = 0
for name, r in pairs(by_name) do
  assert(name == "k" .. r.k)
  consistent = consistent + 1
end
for o, d in pairs(derived) do
  assert(d.sum == o.id * 3 + 1)
end
io.write(string.format("lookups %d, strongly held entries %d\n", N, present))
io.write(string.format("checksum weak_memo %d %d %d\n", N, total, present))
