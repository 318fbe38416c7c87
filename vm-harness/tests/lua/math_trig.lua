-- trigonometric, exponential and logarithmic functions
local function p(...) 
  local t = {...}
  for i = 1, select('#', ...) do t[i] = string.format("%.10f", t[i]) end
  print(table.concat(t, " "))
end
p(math.sin(0), math.sin(math.pi / 2), math.sin(math.pi / 6), math.sin(-1))
p(math.cos(0), math.cos(math.pi), math.cos(math.pi / 3), math.cos(1))
p(math.tan(0), math.tan(math.pi / 4), math.tan(1))
p(math.asin(0), math.asin(1), math.asin(-0.5))
p(math.acos(1), math.acos(0), math.acos(-1))
p(math.atan(0), math.atan(1), math.atan(-1), math.atan(math.huge))
p(math.atan2(1, 1), math.atan2(1, -1), math.atan2(-1, -1), math.atan2(0, -1), math.atan2(1, 0))
p(math.sinh(1), math.cosh(1), math.tanh(1), math.tanh(0))
p(math.exp(0), math.exp(1), math.exp(-1), math.exp(10))
p(math.log(1), math.log(math.exp(2)), math.log(10), math.log(0.5))
p(math.log10(1), math.log10(10), math.log10(1000), math.log10(0.01))
p(math.deg(math.pi), math.deg(1), math.rad(180), math.rad(90))
-- exact values printed with %.14g
print(math.sin(0), math.cos(0), math.exp(0), math.log(1), math.log10(100), math.deg(math.pi), math.rad(0))
print(math.sqrt(2) ^ 2 == 2, math.abs(math.sqrt(2) ^ 2 - 2) < 1e-15)
print(math.log(0), math.exp(1000), math.exp(-1000), math.log10(0))
-- 5.1 math.log takes one argument (base ignored)
print(math.log(8, 2) == math.log(8))
-- identity checks
local ok = true
for x = -3, 3, 0.25 do
  if math.abs(math.sin(x) ^ 2 + math.cos(x) ^ 2 - 1) > 1e-12 then ok = false end
  if math.abs(math.atan2(math.sin(x), math.cos(x)) - x) > 1e-12 then ok = false end
end
print(ok)
print(pcall(function() return math.sin() end))
