-- string.find: plain, patterns, init, captures
local s = "hello world, hello lua"
print(s:find("hello"))
print(s:find("hello", 2))
print(s:find("hello", -9))
print(s:find("xyz"))
print(s:find(""))
print(s:find("", 5))
print(s:find("", 100))
print(s:find("", #s + 1))
print(s:find("l+"))
print(s:find("o w"))
print(s:find("(h)(e)"))
print(s:find("(l)(l)()"))
-- plain find ignores magic characters
print(("a.b*c"):find(".", 1, true), ("a.b*c"):find("*", 1, true), ("a+b"):find("+", 1, true))
print(("a.b"):find("."), ("x[y]"):find("[", 1, true))
print(("%d"):find("%d", 1, true), ("%d"):find("%%d"))
-- init beyond/before string
print(s:find("h", 0), s:find("h", -100), s:find("a", 100))
print(("abc"):find("c", -1), ("abc"):find("a", -1))
-- anchored find
print(s:find("^hello"), s:find("^world"), s:find("lua$"), s:find("hello$"))
print(s:find("^hello", 14))
-- find returns captures after indices
print(("key=value"):find("(%w+)=(%w+)"))
print(("  trim  "):find("^%s*(.-)%s*$"))
-- special characters in plain mode with init
print(("a(b)c(d)"):find("(", 3, true))
-- numbers as arguments
print(string.find(12345, 3), string.find("abc", "b", "2"))
-- errors
print(pcall(function() return ("x"):find("[a") end))
print(pcall(function() return ("x"):find("(") end))
print(pcall(function() return ("x"):find("%") end))
-- ")" alone has no special characters from 5.1's SPECIALS list, so find does a plain search
print(pcall(function() return ("x"):find(")") end))
print(pcall(function() return ("x"):match(")") end))
print(pcall(function() return ("x"):find("%1") end))
