-- __index as table and as function, chains
local base = {greet = "hello", x = 1}
local obj = setmetatable({}, {__index = base})
print(obj.greet, obj.x, obj.missing, rawget(obj, "greet"))
obj.x = 2
print(obj.x, base.x)
-- chain of three levels
local a = {a = "A"}
local b = setmetatable({b = "B"}, {__index = a})
local c = setmetatable({c = "C"}, {__index = b})
print(c.a, c.b, c.c, c.d)
-- __index function receives table and key
local log = {}
local f = setmetatable({}, {__index = function(t, k) log[#log + 1] = tostring(k) return k .. "!" end})
print(f.foo, f[1], f.bar)
print(table.concat(log, ","))
-- __index function not called for existing keys
f.foo = "real"
print(f.foo)
-- __index returning nil
local n = setmetatable({}, {__index = function() return nil end})
print(n.anything)
-- default values table
local defaults = setmetatable({}, {__index = function() return 0 end})
defaults.x = defaults.x + 5
print(defaults.x, defaults.y)
-- __index on a function chain ending in a function
local root = setmetatable({}, {__index = function(_, k) return "root:" .. k end})
local mid = setmetatable({}, {__index = root})
local leaf = setmetatable({}, {__index = mid})
print(leaf.z)
-- changing __index after setmetatable takes effect
local mt = {}
local late = setmetatable({}, mt)
print(late.k)
mt.__index = {k = "now"}
print(late.k)
-- __index on strings: the string metatable
print(("abc").len == string.len, ("abc"):len(), getmetatable("").__index == string)
-- __index with numeric keys
local arr = setmetatable({}, {__index = function(t, i) return i * i end})
print(arr[1], arr[5], arr[10])
-- __index used by method calls
local Class = {}
Class.__index = Class
function Class.new(v) return setmetatable({v = v}, Class) end
function Class:get() return self.v end
print(Class.new(7):get())
-- indexing nil value through __index chain that fails
print(pcall(function() local t = setmetatable({}, {__index = function(t, k) return nil end}) return t.a.b end))
-- __index loop detection is not infinite: a long chain still works
local chain = {val = "end"}
for i = 1, 50 do chain = setmetatable({}, {__index = chain}) end
print(chain.val)
-- but 5.1 gives up after 100 levels (MAXTAGLOOP)
local long = {val = "end"}
for i = 1, 150 do long = setmetatable({}, {__index = long}) end
print(pcall(function() return long.val end))
local longw = {}
for i = 1, 150 do longw = setmetatable({}, {__newindex = longw}) end
print(pcall(function() longw.val = 1 end))
-- __index on rawget bypasses
print(rawget(leaf, "z"))
-- __index invoked for missing integer keys in array part
local sparse = setmetatable({1, 2}, {__index = function(t, k) return "miss" .. k end})
print(sparse[1], sparse[2], sparse[3])
