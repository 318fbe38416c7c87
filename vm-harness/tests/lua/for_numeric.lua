-- numeric for loops
local function collect(a, b, c)
  local t = {}
  if c then for i = a, b, c do t[#t + 1] = i end
  else for i = a, b do t[#t + 1] = i end end
  return "[" .. table.concat(t, " ") .. "]"
end
print(collect(1, 5))
print(collect(5, 1))
print(collect(5, 1, -1))
print(collect(1, 10, 3))
print(collect(10, 1, -3))
print(collect(1, 1))
print(collect(0, 1, 0.25))
print(collect(1, 0, -0.5))
print(collect(0.1, 0.5, 0.1))
print(collect(-3, 3, 2))
print(collect(1.5, 4))
print(collect(3, 3, -1))
-- loop bounds evaluated once
local n = 3
local count = 0
for i = 1, n do n = 10 count = count + 1 end
print(count, n)
-- loop variable is a local copy: changing it does not affect iteration
local seen = {}
for i = 1, 5 do seen[#seen + 1] = i i = i * 100 end
print(table.concat(seen, " "))
-- loop variable not visible after the loop
local i = "outer"
for i = 1, 2 do end
print(i)
-- strings are coerced to numbers for bounds
local s = {}
for k = "1", "3" do s[#s + 1] = k end
print(table.concat(s, " "), type(s[1]))
-- errors for non-numeric bounds
print(pcall(function() for k = 1, "x" do end end))
print(pcall(function() for k = nil, 2 do end end))
print(pcall(function() for k = 1, 2, {} do end end))
-- large ranges, sum
local sum = 0
for k = 1, 100000 do sum = sum + k end
print(sum)
-- float accumulation
local fsum, iters = 0, 0
for x = 0, 1, 0.1 do fsum = fsum + x iters = iters + 1 end
print(iters, string.format("%.10f", fsum))
-- zero step: 5.1 does not raise an error; loop with 1 > 0 is infinite, so bound it
-- (5.1 tests "limit <= idx" when step is not > 0, so 1,0,0 also loops forever)
local zc = 0
for k = 1, 2, 0 do zc = zc + 1 if zc >= 3 then break end end
print("zero step, 1 to 2:", zc)
local zc3 = 0
for k = 1, 0, 0 do zc3 = zc3 + 1 if zc3 >= 4 then break end end
print("zero step, 1 to 0:", zc3)
local zc2 = 0
for k = 1, 1, 0 do zc2 = zc2 + 1 if zc2 >= 5 then break end end
print("zero step, bounded by break:", zc2)
-- huge bound
local hc = 0
for k = 1, math.huge do hc = hc + 1 if hc == 3 then break end end
print(hc)
-- negative float step
print(collect(1, -1, -0.5))
-- nested loops
local pairs_ = {}
for a = 1, 3 do for b = a, 3 do pairs_[#pairs_ + 1] = a .. b end end
print(table.concat(pairs_, ","))
