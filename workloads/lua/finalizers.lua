-- finalizers.lua: objects with __gc finalizers created and dropped at a steady rate,
-- some resurrected by their finalizer. On Lua 5.1, LuaJIT and luagc they are
-- newproxy(true) userdata whose own metatable carries the object's fields and __gc; on
-- Lua 5.4, which has no newproxy, tables with a shared metatable (detected at run
-- time). Each object also owns a payload table. A ring of live objects is replaced at
-- random; every finalizer checks its object's payload, adds the object's id to
-- order-independent sums, and resurrects one object in five into a list that the
-- program drains (and drops again) from time to time.
-- Usage: finalizers.lua [objects]   (default 2000000; large 8000000; smoke 20000)
-- When finalizers run depends on the collector; the checksum does not: after the last
-- full collections every object has been finalized exactly once, which the script
-- asserts (totals of ids, payload sums and resurrections, each order-independent,
-- against the same totals computed at creation), then it prints those totals. On a heap
-- that never collects (detected at run time) no finalizer runs and only that is checked.
-- Random choices come from a Park-Miller LCG (exact on doubles and on 5.4 integers).
-- The last line is a checksum that every interpreter must print identically.

local N = tonumber(arg and arg[1]) or 2000000
local RING = 5000
local M = 2147483647

local seed = 6174
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end

local finalized, id_sum, payload_sum, bad = 0, 0, 0, 0
local res_count, res_ids = 0, 0
local resurrected, nres = {}, 0

local function on_gc(o, fields)
  finalized = finalized + 1
  id_sum = (id_sum + fields.id) % M
  local p = fields.payload
  local s = 0
  for i = 1, #p do s = s + p[i] end
  if s ~= fields.check then bad = bad + 1 end
  payload_sum = (payload_sum + s) % M
  if fields.id % 5 == 0 then
    res_count = res_count + 1
    res_ids = (res_ids + fields.id) % M
    nres = nres + 1
    resurrected[nres] = o -- resurrection: reachable again, never finalized again
  end
end

local new_object, fields_of
if newproxy then
  local function gc(u) on_gc(u, getmetatable(u)) end
  new_object = function(fields)
    local u = newproxy(true)
    local mt = getmetatable(u)
    for k, v in pairs(fields) do mt[k] = v end
    mt.__gc = gc
    return u
  end
  fields_of = getmetatable
else
  local mt = { __gc = function(o) on_gc(o, o) end }
  new_object = function(fields) return setmetatable(fields, mt) end
  fields_of = function(o) return o end
end

local function make(id)
  local payload = {}
  local s = 0
  for i = 1, 1 + id % 7 do
    local v = (id * 31 + i) % 1000
    payload[i] = v
    s = s + v
  end
  return new_object({ id = id, payload = payload, check = s })
end

-- Drop what the finalizers resurrected so far, after checking it is intact. The list is
-- swapped for a fresh one first: a finalizer may run at any allocation (on LuaJIT even
-- while a trace is compiled), so it must never find a half-drained list.
local drained = 0
local function drain()
  local fresh = {}
  local list, n = resurrected, nres
  resurrected, nres = fresh, 0
  for i = 1, n do
    local f = fields_of(list[i])
    if f.id % 5 ~= 0 then bad = bad + 1 end
    drained = drained + 1
  end
end

local ring = {}
for i = 1, RING do ring[i] = make(i) end
for id = RING + 1, N do
  ring[rand(RING)] = make(id) -- the replaced object becomes garbage
  if id % 10000 == 0 then drain() end
end

-- Drop everything and collect until every finalizer has run (LuaJIT may leave some
-- pending after one full collection) and every resurrected object has been dropped.
ring = nil
local rounds = 0
repeat
  collectgarbage("collect")
  drain()
  rounds = rounds + 1
until (finalized == N and nres == 0) or rounds == 100
collectgarbage("collect")
-- What the finalizers must have seen, from the creation side.
local expected_ids, expected_payload, expected_res, expected_res_ids = 0, 0, 0, 0
for id = 1, N do
  expected_ids = (expected_ids + id) % M
  for i = 1, 1 + id % 7 do expected_payload = (expected_payload + (id * 31 + i) % 1000) % M end
  if id % 5 == 0 then
    expected_res = expected_res + 1
    expected_res_ids = (expected_res_ids + id) % M
  end
end
-- A collector that never collects (luagc's epsilon, a reference point) runs no
-- finalizer: detect it with a weak table, and check the finalizers' totals only when
-- the heap does collect. Anywhere else a lost or repeated finalizer fails here.
local probe = setmetatable({}, { __mode = "k" })
probe[{}] = true
collectgarbage("collect")
local collects = next(probe) == nil
assert(bad == 0, "a finalizer found its object damaged")
if collects then
  assert(finalized == N, "finalized " .. finalized .. " of " .. N)
  assert(id_sum == expected_ids, "finalizers saw the wrong ids")
  assert(payload_sum == expected_payload, "finalizers saw the wrong payloads")
  assert(res_count == expected_res and res_ids == expected_res_ids, "resurrections differ")
else
  assert(finalized == 0)
end
io.write(string.format("objects %d, finalized %d, resurrected %d\n", N, finalized, res_count))
io.write(string.format("checksum finalizers %d %d %d %d %d\n", N, expected_ids, expected_payload,
  expected_res, expected_res_ids))
