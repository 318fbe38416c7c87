-- relational operators on numbers, strings and mixed types
print(1 < 2, 2 < 1, 1 <= 1, 1 >= 2, 2 > 1, 1 == 1.0, 1 ~= 1)
print(-1 < 0, -0 == 0, 0.1 < 0.2, 1e100 < math.huge, -math.huge < -1e308)
print("a" < "b", "a" < "ab", "ab" < "b", "Z" < "a", "" < "a", "a" <= "a")
print("10" < "9", "abc" > "abd", "A" < "a", "a\0b" < "a\0c", "a" < "a\0")
-- equality between different types is false, never an error
print(1 == "1", "1" == 1, nil == false, 0 == false, "" == nil)
print(1 ~= "1", {} ~= {}, true ~= false)
-- tables and functions compare by identity
local t = {}
local u = t
print(t == u, t == {}, print == print, print == tostring)
-- numbers vs numeric strings never coerce in comparisons
print(pcall(function() return 1 < "2" end))
print(pcall(function() return "1" <= 2 end))
-- booleans
print(true == true, false == false, true == false)
print(pcall(function() return true < false end))
-- nil
print(nil == nil, nil ~= nil)
-- sorting strings uses byte order (C locale)
local words = {"banana", "Apple", "cherry", "apple", "Banana", "123", "_x", " sp"}
table.sort(words)
print(table.concat(words, ","))
-- chained comparisons via and
local x = 5
print(1 < x and x < 10, 1 < x and x < 3)
-- comparison results are booleans
print(type(1 < 2), type(1 == 2))
-- not equal on floats
print(0.1 * 3 == 0.3, 0.1 * 3 ~= 0.3, math.abs(0.1 * 3 - 0.3) < 1e-15)
-- huge and -huge
print(math.huge == math.huge, -math.huge == -math.huge, math.huge > 1e308)
