-- __metatable field: getmetatable returns it, setmetatable refuses
local mt = {__metatable = "locked", __index = {a = 1}}
local t = setmetatable({}, mt)
print(getmetatable(t), t.a)
print(pcall(setmetatable, t, {}))
print(pcall(setmetatable, t, nil))
-- __metatable can be any value, including false
local f = setmetatable({}, {__metatable = false})
print(getmetatable(f))
print(pcall(setmetatable, f, {}))
local tab = {}
local g = setmetatable({}, {__metatable = tab})
print(getmetatable(g) == tab)
-- string metatable is protected? (no __metatable in 5.1: the real table is returned)
local smt = getmetatable("")
print(type(smt), smt.__index == string)
-- getmetatable of values without metatables
print(getmetatable({}), getmetatable(1), getmetatable(nil), getmetatable(print))
-- setmetatable returns its first argument
local x = {}
print(setmetatable(x, {}) == x)
-- removing a metatable
setmetatable(x, nil)
print(getmetatable(x))
-- setmetatable argument checks
print(pcall(setmetatable, 1, {}))
print(pcall(setmetatable, {}, 1))
print(pcall(setmetatable, {}))
print(pcall(function() return setmetatable("s", {}) end))
-- metatables are shared objects
local shared = {}
local o1, o2 = setmetatable({}, shared), setmetatable({}, shared)
shared.__index = function() return "shared" end
print(o1.k, o2.k, getmetatable(o1) == getmetatable(o2))
-- a table can be its own metatable
local self = {}
self.__index = function(_, k) return "self:" .. k end
setmetatable(self, self)
print(self.foo)
