-- captures and position captures
print(("hello world"):match("(%w+) (%w+)"))
print(("hello"):match("()ll()"))
print(("hello"):find("()ll()"))
print(("abc"):gsub("()", "%1"))
print(("date: 2024-05-06"):match("(%d+)-(%d+)-(%d+)"))
-- nested captures are numbered by their opening parenthesis
print(("abcdef"):match("((a)(b(c)))(d)"))
-- up to 32 captures in 5.1
local pat = ("(.)"):rep(32)
local s = ("abcdefghijklmnopqrstuvwxyz012345")
print(select('#', s:match(pat)), (select(32, s:match(pat))))
print(pcall(string.match, s .. "6", ("(.)"):rep(33)))
-- back references in gsub replacements and patterns
print(("hello"):gsub("(l)(l)", "%2%1"))
print(("abcabc xyzxyz abcxyz"):gsub("(%a+)%1", "[%1]"))
print(("aa bb cd"):gsub("(%a)%1", "<%0>"))
-- %0 is the whole match
print(("abc"):gsub("%w", "%0-"))
print(("key=val"):gsub("(%w+)=(%w+)", "%0 (%1,%2)"))
-- empty captures
print(("abc"):match("()()()"))
print(("abc"):match("(x*)"), #("abc"):match("(x*)"))
-- capture with quantifier inside vs outside
print(("aaa"):match("(a*)"), ("aaa"):match("(a)*"))
-- unclosed / invalid captures
print(pcall(string.match, "abc", "(()"))
print(pcall(string.match, "abc", "%1"))
print(pcall(string.gsub, "abc", "(b)", "%9"))
-- position capture values are numbers
local p1, p2 = ("xxyy"):match("()yy()")
print(type(p1), p1, p2)
-- captures in gmatch with positions
for a, w, b in ("one two"):gmatch("()(%a+)()") do io.write(a, w, b, " ") end
print()
