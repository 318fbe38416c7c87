-- # on strings and on tables without holes
print(#"", #"a", #"hello", #"a\0b\0", #("x"):rep(1000))
local s = "abc"
print(#s, #s + 1, -#s, #s .. "")
print(#{}, #{1}, #{1, 2, 3}, #{"a", "b", "c", "d", "e"})
local t = {}
for i = 1, 100 do t[i] = i end
print(#t)
t[#t + 1] = "appended"
print(#t, t[101])
t[#t] = nil
print(#t)
for i = 100, 51, -1 do t[i] = nil end
print(#t)
-- hash keys do not count
local h = {1, 2, 3, x = 1, y = 2}
print(#h)
-- tables filled in reverse order
local r = {}
for i = 10, 1, -1 do r[i] = i end
print(#r)
-- length of table built with table.insert
local ins = {}
for i = 1, 33 do table.insert(ins, i) end
print(#ins)
-- string length with multibyte chars counts bytes
print(#"\195\169t\195\169")
-- # precedence: higher than binary operators
print(#"ab" + 1, #"ab" .. "c", #"abc" == 3, -#"ab", (#"ab") ^ 2)
-- ^ binds tighter than #: #"a" ^ 2 is #("a" ^ 2)
print(pcall(function() return #"a" ^ 2 end))
-- # on other types is an error
print(pcall(function() return #nil end))
print(pcall(function() return #5 end))
print(pcall(function() local b = true return #b end))
print(pcall(function() return #print end))
-- table with trailing nil from constructor
print(#{1, 2, 3, nil})
print(#{n = 3})
