-- __eq: 5.1 calls it only when both operands are tables (or both userdata)
-- and both have the same __eq metamethod
local calls = 0
local function eq(a, b) calls = calls + 1 return a.id == b.id end
local mt = {__eq = eq}
local a = setmetatable({id = 1}, mt)
local b = setmetatable({id = 1}, mt)
local c = setmetatable({id = 2}, mt)
print(a == b, a ~= b, a == c, a ~= c, calls)
-- identical objects: no call
calls = 0
print(a == a, calls)
-- different metatables but the same function: still called
local mt2 = {__eq = eq}
local d = setmetatable({id = 1}, mt2)
calls = 0
print(a == d, calls)
-- different __eq functions: not called, result false
local e = setmetatable({id = 1}, {__eq = function() return true end})
print(a == e, e == a)
-- only one operand has __eq: false
local plain = {id = 1}
print(a == plain, plain == a)
-- comparing with non-tables never calls __eq
calls = 0
print(a == 1, a == "x", a == nil, calls)
-- __eq result is converted to boolean
local truthy = {__eq = function() return "yes" end}
local x, y = setmetatable({}, truthy), setmetatable({}, truthy)
print(x == y, x ~= y)
local falsy = {__eq = function() return nil end}
local p, q = setmetatable({}, falsy), setmetatable({}, falsy)
print(p == q, p ~= q)
-- rawequal ignores __eq
print(rawequal(a, b), rawequal(a, a))
-- __eq not used for table keys
local t = {}
t[a] = "a"
print(t[b], t[a])
-- __eq used by ~= in conditions
if a ~= c then print("a ~= c") end
-- error in __eq propagates
local bad = {__eq = function() error("eq error") end}
local m, n = setmetatable({}, bad), setmetatable({}, bad)
print(pcall(function() return m == n end))
