-- math: abs ceil floor sqrt min max huge pi fmod modf pow
print(math.abs(-5), math.abs(5), math.abs(-0.5), math.abs(-math.huge))
print(math.ceil(3.2), math.ceil(-3.2), math.ceil(3), math.ceil(-0.5) == 0, math.ceil(1e100))
print(math.floor(3.7), math.floor(-3.7), math.floor(3), math.floor(-0.5), math.floor(2^40 + 0.5))
print(math.sqrt(16), math.sqrt(2), math.sqrt(0), math.sqrt(1e100), math.sqrt(math.huge))
print(math.min(3, 1, 2), math.max(3, 1, 2), math.min(5), math.max(-1, -5), math.min(1.5, 1.25))
print(math.max(1, math.huge), math.min(-math.huge, 0))
print(math.huge, -math.huge, math.huge > 1e308, math.huge == 1 / 0)
print(math.pi, string.format("%.10f", math.pi))
print(math.pow(2, 10), math.pow(2, 0.5), math.pow(-2, 3), math.pow(10, -2))
print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(5.5, 2), math.fmod(-5.5, 2))
print(math.modf(3.7))
print(math.modf(-3.7))
print(math.modf(5))
print(math.modf(-0.25))
print(math.modf(math.huge))
-- argument errors
print(pcall(function() return math.floor("x") end))
print(pcall(function() return math.max() end))
print(pcall(function() return math.min() end))
print(pcall(function() return math.abs() end))
print(pcall(function() return math.sqrt(nil) end))
-- numeric strings are accepted
print(math.floor("3.7"), math.max("10", 2), math.abs("-4"))
-- math functions return floats that print as integers when integral
print(math.floor(5.0), math.sqrt(49), math.abs(-0.0) == 0)
-- negative zero from ceil: compare, do not print
print(math.ceil(-0.5) == 0, 1 / math.ceil(-0.5) < 0)
-- round helper
local function round(x) return math.floor(x + 0.5) end
print(round(2.4), round(2.5), round(-2.5), round(-2.6))
-- integer checks
local function isint(x) return x == math.floor(x) end
print(isint(3), isint(3.5), isint(-2), isint(1e15))
-- the math library table
local names = {}
for k in pairs(math) do names[#names + 1] = k end
table.sort(names)
print(table.concat(names, " "))
