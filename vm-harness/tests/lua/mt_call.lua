-- __call
local callable = setmetatable({name = "obj"}, {__call = function(self, a, b) return self.name, a, b end})
print(callable(1, 2))
print(callable())
-- __call with varargs and multiple returns
local va = setmetatable({}, {__call = function(self, ...) return select('#', ...), ... end})
print(va("x", nil, "z"))
-- functor used as iterator
local counter = setmetatable({n = 0}, {__call = function(self) self.n = self.n + 1 if self.n <= 3 then return self.n end end})
for v in counter do io.write(v, " ") end
print()
-- __call used by pcall
print(pcall(callable, "p"))
-- class-style constructor via __call
local Point = setmetatable({}, {__call = function(cls, x, y) return setmetatable({x = x, y = y}, cls) end})
Point.__index = Point
function Point:sum() return self.x + self.y end
print(Point(3, 4):sum())
-- calling a table without __call is an error
print(pcall(function() local t = {} t() end))
print(pcall(function() local t = setmetatable({}, {}) t() end))
-- __call is not inherited through __index
local parent = {__call = function() return "never" end}
local child = setmetatable({}, {__index = parent})
print(pcall(function() return child() end))
-- __call on a table value that is itself callable (nested)
local inner = setmetatable({}, {__call = function(_, x) return "inner " .. x end})
local outer = setmetatable({}, {__call = function(_, x) return inner(x .. "+") end})
print(outer("v"))
-- tail call to a callable table
local function tc(x) return callable(x) end
print(tc("tail"))
-- table.sort requires a real function as comparator in 5.1
local cmp = setmetatable({}, {__call = function(_, a, b) return a > b end})
local arr = {3, 1, 2}
print(pcall(function() table.sort(arr, cmp) end))
table.sort(arr, function(a, b) return cmp(a, b) end)
print(table.concat(arr, " "))
-- __call used by string.gsub replacement? Tables are looked up, not called
print(("abc"):gsub("%w", setmetatable({a = "1"}, {__call = function() return "called" end})))
