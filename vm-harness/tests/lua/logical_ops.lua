-- and, or, not: short circuit, return operand values
print(1 and 2, nil and 2, false and 2, 1 or 2, nil or 2, false or nil, nil or false)
print(nil and nil, false or false, 0 and "zero", "" or "empty")
print(not nil, not false, not 0, not "", not not nil, not not 1)
-- short circuit: right side not evaluated
local calls = 0
local function f(v) calls = calls + 1 return v end
local r = false and f(1)
r = true or f(2)
r = nil and f(3)
print(calls)
r = true and f(4)
r = false or f(5)
print(calls)
-- idioms
local function default(v) return v or "default" end
print(default(nil), default(false), default(0), default("x"))
local function ternary(c, a, b) return c and a or b end
print(ternary(true, "yes", "no"), ternary(false, "yes", "no"), ternary(true, false, "no"))
-- precedence: not > and > or; comparisons bind tighter than and/or
print(not 1 == 2, not (1 == 2), 1 == 1 and 2 == 2 or false)
print(false and false or true, true or false and false, nil or false and 1)
print(1 < 2 and "lt" or "ge", 2 < 1 and "lt" or "ge")
-- multiple values are truncated by and/or
local function two() return 1, 2 end
print(two() and two())
print((two() or 5))
print(nil or two())
-- and/or with tables
local t = {}
print((t and t) == t, (nil or t) == t)
-- deep chains
print(nil or false or 0 or 1, 1 and 2 and 3 and nil and 5)
local x = nil
local y = x and x.field or "guard"
print(y)
