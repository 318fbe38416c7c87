-- Registers a call does not set hold what earlier calls left in those stack slots.
-- The VM must make the ones the code reads first nil (locals declared without a
-- value at function start, where 5.1's compiler leaves out the LOADNIL), and the
-- collector must never trace a stale slot whose object it has freed: under GC
-- stress a collection runs at every allocation, many of them between a frame's
-- entry and its writes to the registers.

local function leaves_tables(depth)
  local a, b, c, d, e, f = {depth}, {depth}, {depth}, {depth}, {depth}, {depth}
  if depth > 0 then leaves_tables(depth - 1) end
  return a[1] + f[1]
end

local function reads_fresh_locals()
  local x, y, z
  return x, y, z
end

local function allocates_before_writing()
  local t = {}
  for i = 1, 20 do t[i] = {i} end
  local a, b, c, d, e, f, g, h = 1, 2, 3, 4, 5, 6, 7, 8
  return #t + a + h
end

local sum = 0
for round = 1, 30 do
  sum = sum + leaves_tables(12)
  print(reads_fresh_locals())
  print(reads_fresh_locals(1, 2, 3))
  sum = sum + leaves_tables(12)
  sum = sum + allocates_before_writing()
  if round % 10 == 0 then collectgarbage() end
end
print(sum)

-- Varargs keep the fixed parameters above the actual arguments; the rest is nil.
local function vararg_fresh(p, ...)
  local x, y
  return p, x, y, select('#', ...)
end
leaves_tables(5)
print(vararg_fresh(1, 2, 3, 4))
print(vararg_fresh())
