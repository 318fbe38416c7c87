-- rawget, rawset, rawequal
local mt = {
  __index = function(t, k) return "meta:" .. tostring(k) end,
  __newindex = function(t, k, v) rawset(t, k, "wrapped:" .. tostring(v)) end,
  __eq = function() return true end,
}
local t = setmetatable({}, mt)
print(t.x, rawget(t, "x"))
t.y = 1
print(rawget(t, "y"), t.y)
rawset(t, "z", 2)
print(rawget(t, "z"), t.z)
print(rawset(t, "w", 3) == t)
local u = setmetatable({}, mt)
print(t == u, rawequal(t, u), rawequal(t, t))
print(rawequal(1, 1), rawequal("a", "a"), rawequal(1, "1"), rawequal(nil, nil), rawequal(0, -0))
-- rawget with various key types
local k = {}
rawset(t, k, "tablekey")
rawset(t, 1, "one")
rawset(t, 1.5, "float")
rawset(t, true, "bool")
print(rawget(t, k), rawget(t, 1), rawget(t, 1.5), rawget(t, true), rawget(t, 2))
-- errors
print(pcall(rawset, t, nil, 1))
print(pcall(rawget, "str", 1))
print(pcall(rawset, {}, 0/0, 1))
print(pcall(rawget, {}))
print(pcall(rawequal, 1))
-- rawset with nil value removes
rawset(t, 1, nil)
print(rawget(t, 1))
-- rawget on a table with __index table
local proto = {p = "proto"}
local child = setmetatable({}, {__index = proto})
print(child.p, rawget(child, "p"))
-- float keys equal to integers are the same key
local n = {}
rawset(n, 2, "two")
print(rawget(n, 2.0), n[4 / 2])
