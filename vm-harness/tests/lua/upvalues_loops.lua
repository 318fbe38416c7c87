-- each loop iteration creates a fresh local for closures
local fs = {}
for i = 1, 5 do fs[i] = function() return i end end
local out = {}
for i = 1, 5 do out[i] = fs[i]() end
print(table.concat(out, " "))
-- modifying the captured loop variable affects only that closure's copy
local incs = {}
for i = 1, 3 do incs[i] = function() i = i + 100 return i end end
print(incs[1](), incs[1](), incs[2](), incs[3]())
-- generic for: fresh k,v per iteration
local t = {"a", "b", "c"}
local gs = {}
for k, v in ipairs(t) do gs[k] = function() return k .. v end end
print(gs[1](), gs[2](), gs[3]())
-- locals declared in a while body are fresh each iteration
local ws = {}
local n = 0
while n < 3 do
  n = n + 1
  local m = n
  ws[n] = function() return m end
end
print(ws[1](), ws[2](), ws[3]())
-- repeat body
local rs = {}
local j = 0
repeat
  j = j + 1
  local cap = j * j
  rs[j] = function() return cap end
until j == 3
print(rs[1](), rs[2](), rs[3]())
-- a variable declared outside the loop is shared by all closures
local shared = 0
local ss = {}
for i = 1, 3 do shared = i ss[i] = function() return shared end end
print(ss[1](), ss[2](), ss[3]())
-- closures in a loop sharing an inner local pair
local getters, setters = {}, {}
for i = 1, 2 do
  local v = i
  getters[i] = function() return v end
  setters[i] = function(x) v = x end
end
setters[1](11)
print(getters[1](), getters[2]())
-- break closes upvalues too
local bf
for i = 1, 10 do
  local z = i
  bf = function() return z end
  if i == 4 then break end
end
print(bf())
-- nested loops
local grid = {}
for a = 1, 2 do for b = 1, 2 do grid[#grid + 1] = function() return a * 10 + b end end end
local gout = {}
for i, f in ipairs(grid) do gout[i] = f() end
print(table.concat(gout, " "))
