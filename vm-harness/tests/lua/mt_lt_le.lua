-- __lt and __le, and 5.1's fallback of __le to not __lt(b, a)
local log = {}
local V = {}
V.__lt = function(a, b) log[#log + 1] = "lt(" .. a.v .. "," .. b.v .. ")" return a.v < b.v end
V.__le = function(a, b) log[#log + 1] = "le(" .. a.v .. "," .. b.v .. ")" return a.v <= b.v end
local function v(x) return setmetatable({v = x}, V) end
local one, two = v(1), v(2)
print(one < two, one > two, one <= two, one >= two, two <= two)
print(table.concat(log, " "))
-- only __lt: a <= b becomes not (b < a)
log = {}
local L = {__lt = function(a, b) log[#log + 1] = "lt(" .. a.v .. "," .. b.v .. ")" return a.v < b.v end}
local function l(x) return setmetatable({v = x}, L) end
print(l(1) <= l(2), l(2) <= l(1), l(3) >= l(3), l(1) >= l(2))
print(table.concat(log, " "))
-- only __le: < has no fallback
local LE = {__le = function(a, b) return a.v <= b.v end}
local e1, e2 = setmetatable({v = 1}, LE), setmetatable({v = 2}, LE)
print(e1 <= e2, pcall(function() return e1 < e2 end))
-- mixed types: table vs number never uses metamethods in 5.1
print(pcall(function() return one < 5 end))
print(pcall(function() return 5 <= one end))
-- different metamethods on each side: error in 5.1
local W = {__lt = function() return true end}
local w = setmetatable({v = 0}, W)
print(pcall(function() return one < w end))
-- same function in different metatables is accepted
local shared = function(a, b) return a.v < b.v end
local s1 = setmetatable({v = 1}, {__lt = shared})
local s2 = setmetatable({v = 2}, {__lt = shared})
print(s1 < s2, s2 < s1)
-- result converted to boolean
local R = {__lt = function() return "yes" end, __le = function() return nil end}
local r1, r2 = setmetatable({}, R), setmetatable({}, R)
print(r1 < r2, r1 <= r2, r1 > r2, r1 >= r2)
-- sort with __lt
local arr = {v(5), v(3), v(9), v(1), v(7)}
table.sort(arr)
local out = {}
for i, x in ipairs(arr) do out[i] = x.v end
print(table.concat(out, " "))
-- strings compare without metamethods
print("a" < "b")
