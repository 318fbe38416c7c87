-- runtime error messages and the variable descriptions 5.1 puts in them
local function try(f, ...) local ok, e = pcall(f, ...) print(e) end
-- indexing
try(function() local t; return t.x end)
try(function() return undefined_global.x end)
try(function() local t = {} return t.a.b end)
local up = nil
try(function() return up.x end)
try(function() local t = {} return t[1][2] end)
try(function() return ("x").y.z end)
try(function() local s = "str" return s.x.y end)
try(function() local n = 5 return n.x end)
try(function() local b = true return b[1] end)
try(function() local t = {} t.x.y = 1 end)
try(function() undefined_global.field = 1 end)
try(function() local f = print return f.x end)
-- method calls
try(function() local t = {} t:method() end)
try(function() local s = "x" s:nomethod() end)
try(function() local t = {inner = {}} t.inner:m() end)
-- calling
try(function() local f; f() end)
try(function() undefined_function() end)
try(function() local t = {} t.fn() end)
try(function() up() end)
try(function() local t = {} t[1]() end)
try(function() ("str")() end)
try(function() local n = 1 n() end)
-- arithmetic
try(function() local a; return a + 1 end)
try(function() return undefined_global + 1 end)
try(function() local t = {} return t.x * 2 end)
try(function() return up - 1 end)
try(function() local t = {} return t + 1 end)
try(function() local s = "abc" return s * 2 end)
try(function() local b = false return -b end)
try(function() return {} ^ 2 end)
try(function() local t = {x = "y"} return t.x % 2 end)
-- concatenation
try(function() local t = {} return "a" .. t end)
try(function() local n return n .. "a" end)
try(function() return "a" .. undefined_global end)
try(function() local t = {} return t.f .. "x" end)
try(function() return "a" .. up end)
try(function() return 1 .. {} end)
-- comparison
try(function() local n return n < 1 end)
try(function() return {} < 1 end)
try(function() return "a" < 1 end)
-- table index
try(function() local t = {} t[nil] = 1 end)
try(function() local t = {} t[0/0] = 1 end)
print(pcall(function() local t = {} return t[nil] end))
-- calling through a field of a global table
try(function() string.nonexistent("x") end)
try(function() math.floor.x = 1 end)
