-- assert with and without message
print(assert(1), assert("x", "msg"), assert(true, 1, 2, 3))
print(select('#', assert(1, 2, 3)))
print(pcall(assert, false))
print(pcall(assert, nil))
print(pcall(assert, false, "custom message"))
print(pcall(assert, nil, 42))
print(pcall(assert))
print(pcall(function() assert(false) end))
print(pcall(function() assert(1 == 2, "math is broken") end))
print(pcall(function() return assert(0) end))
print(pcall(function() return assert("") end))
-- assert returns all its arguments on success
local a, b, c = assert("x", "y", "z")
print(a, b, c)
-- typical idiom with functions returning nil, err
local function mayfail(ok) if ok then return "value" end return nil, "it failed" end
print(pcall(function() return assert(mayfail(true)) end))
print(pcall(function() return assert(mayfail(false)) end))
-- assert with a table message: 5.1 converts the message with luaL_optstring
print(pcall(assert, false, {}))
