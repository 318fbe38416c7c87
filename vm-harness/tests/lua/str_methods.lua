-- string methods through the string metatable
print(("x"):upper(), ("ABC"):lower(), ("abc"):len(), ("ab"):rep(2), ("abc"):reverse())
print(("hello"):sub(2, 3), ("hello"):byte(1), ("%d"):format(7), ("a,b"):find(","))
print(("a1"):match("%d"), ("aaa"):gsub("a", "b"))
local s = "method"
print(s:upper(), s.upper(s), string.upper(s))
-- methods on string literals need parentheses; on variables they do not
local t = {}
for w in ("a b c"):gmatch("%a") do t[#t + 1] = w end
print(#t)
-- the string metatable's __index is the string table
local mt = getmetatable("")
print(mt.__index == string, getmetatable("a") == getmetatable("b"))
-- adding a function to the string table makes it a method
function string.shout(str) return str:upper() .. "!" end
print(("hey"):shout())
string.shout = nil
print(pcall(function() return ("hey"):shout() end))
-- indexing a string with a non-method key gives nil
print(("abc").foo, ("abc")[1])
-- numbers do not have string methods
print(pcall(function() local n = 5 return n:upper() end))
-- string methods with numeric receivers via the string table
print(string.rep(7, 3), string.format("%05.1f", 3.14159))
-- chained method calls
print(("  Mixed Case  "):gsub("^%s+", ""):lower())
print((("a-b-c"):gsub("-", "+")):upper())
-- method call on the result of concatenation
print(("ab" .. "cd"):upper(), ("x"):rep(3):len())
-- # vs :len()
local u = "\0\0\0"
print(#u, u:len())
-- string keys on the string library via colon
print(("%s=%s"):format("k", "v"), ("%5.1f"):format(2.25))
