-- string.len sub upper lower rep reverse
local s = "Hello, World"
print(string.len(s), s:len(), string.len(""), string.len("\0\0"))
-- sub with every index shape
print(s:sub(1, 5), s:sub(8), s:sub(-5), s:sub(-5, -2), s:sub(0), s:sub(3, 2))
print(s:sub(5, 100), s:sub(-100, 3), s:sub(100), "[" .. s:sub(0, 0) .. "]", s:sub(-1), s:sub(1, -1))
print(("abc"):sub(2, 2), ("abc"):sub(-2, -2), ("abc"):sub(2.5, 3), ("abc"):sub("2"))
-- upper / lower leave non-letters alone
print(s:upper(), s:lower(), ("123 !?"):upper(), ("MiXeD"):lower())
print(("\0a\0"):upper() == "\0A\0")
-- rep
print(("ab"):rep(3), ("x"):rep(0), ("x"):rep(-1), ("x"):rep(1), #("abc"):rep(1000))
print(("-"):rep(20))
-- reverse
print(s:reverse(), (""):reverse(), ("a"):reverse(), ("ab\0c"):reverse() == "c\0ba")
-- chaining
print(s:lower():reverse():upper():sub(1, 5))
-- errors
print(pcall(string.rep))
print(pcall(function() return string.sub() end))
print(pcall(function() return ("x"):rep("y") end))
print(pcall(function() return string.upper() end))
print(pcall(function() return string.len(nil) end))
print(pcall(function() return string.len({}) end))
-- numbers are accepted as strings
print(string.len(12345), string.upper(1.5), string.sub(98765, 2, 3), string.reverse(123))
-- string comparison with embedded zeros
print(("a\0b"):len(), "a\0b" == "a\0b", "a\0b" < "a\0c")
