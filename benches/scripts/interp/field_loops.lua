-- Interpreter benchmark: numeric for loops over arrays and records with field access by
-- string constant and by integer index. Allocates its data once.
-- Usage: field_loops.lua [n] (default 3000)
local size = 10000
local points = {}
for i = 1, size do
  points[i] = { x = i % 17, y = i % 23, z = 0 }
end
local weights = {}
for i = 1, size do
  weights[i] = (i % 5) + 1
end

local n = tonumber(arg and arg[1]) or 3000
local acc = 0
for round = 1, n do
  for i = 1, size do
    local p = points[i]
    p.z = p.x * weights[i] + p.y
    acc = acc + p.z
  end
  acc = acc % 1000003
end
io.write(string.format("checksum field_loops %d %d\n", n, acc))
