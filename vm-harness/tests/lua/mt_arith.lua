-- arithmetic metamethods: __add __sub __mul __div __mod __pow __unm
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({x = x, y = y}, V) end
local function show(v) if type(v) == "table" then return "(" .. v.x .. "," .. v.y .. ")" end return tostring(v) end
V.__add = function(a, b)
  if type(a) == "number" then return vec(a + b.x, a + b.y) end
  if type(b) == "number" then return vec(a.x + b, a.y + b) end
  return vec(a.x + b.x, a.y + b.y)
end
V.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
V.__mul = function(a, b)
  if type(a) == "number" then return vec(a * b.x, a * b.y) end
  if type(b) == "number" then return vec(a.x * b, a.y * b) end
  return a.x * b.x + a.y * b.y
end
V.__div = function(a, b) return vec(a.x / b, a.y / b) end
V.__mod = function(a, b) return vec(a.x % b, a.y % b) end
V.__pow = function(a, b) return vec(a.x ^ b, a.y ^ b) end
V.__unm = function(a) return vec(-a.x, -a.y) end
local p, q = vec(1, 2), vec(3, 4)
print(show(p + q), show(p - q), show(p * q), show(p * 2), show(3 * p))
print(show(q / 2), show(q % 3), show(p ^ 2), show(-p), show(p + 10), show(10 + p))
print(show(p + q + p), show(-(p + q) * 2))
-- which operand's metamethod is used: left first, then right
local A = setmetatable({}, {__add = function() return "A.add" end})
local B = setmetatable({}, {__add = function() return "B.add" end})
print(A + B, B + A, A + 1, 1 + B)
-- metamethod receives operands in original order
local order = setmetatable({}, {__sub = function(a, b) return (type(a) == "table" and "T" or a) .. "-" .. (type(b) == "table" and "T" or b) end})
print(order - 5, 5 - order)
-- __unm receives the operand twice in 5.1 (second arg is the same value)
local un = setmetatable({}, {__unm = function(a, b) return rawequal(a, b) end})
print(-un)
-- numeric strings use the numeric path, not metamethods
print("10" + 1)
-- no metamethod: error mentions the operand
print(pcall(function() return {} + 1 end))
print(pcall(function() local t = {} return 1 * t end))
print(pcall(function() return -{} end))
print(pcall(function() local s = setmetatable({}, {__add = function() return 1 end}) return s * 2 end))
-- metamethods on strings via string metatable? arithmetic on non-numeric strings errors
print(pcall(function() return "a" + 1 end))
-- metamethod result can be anything
local weird = setmetatable({}, {__add = function() return nil, "ignored" end, __mul = function() return "str" end})
print(weird + 1, weird * 1)
-- __mod and __pow with numbers on left
local M = setmetatable({}, {__mod = function(a, b) return "mod" end, __pow = function(a, b) return "pow" end, __div = function() return "div" end})
print(5 % M, M % 5, 2 ^ M, M ^ 2, 1 / M, M / 1)
-- errors inside metamethods propagate
local bad = setmetatable({}, {__add = function() error("in add") end})
print(pcall(function() return bad + 1 end))
-- __add looked up in the metatable, not through __index
local proto = {__add = function() return "proto" end}
local inst = setmetatable({}, {__index = proto})
print(pcall(function() return inst + 1 end))
