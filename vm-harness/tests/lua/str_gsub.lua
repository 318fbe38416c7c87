-- string.gsub with string, table and function replacements
print(("hello world"):gsub("o", "0"))
print(("hello world"):gsub("o", "0", 1))
print(("hello world"):gsub("o", "0", 0))
print(("hello world"):gsub("o", "0", -1))
print(("hello world"):gsub("l+", "L"))
print(("hello"):gsub("", "-"))
print(("abc"):gsub(".", "%0%0"))
print(("hello world"):gsub("(%w+)", "<%1>"))
print(("hello world"):gsub("(%w+) (%w+)", "%2 %1"))
print(("abc"):gsub("%w", "%%"))
print(("a.b.c"):gsub("%.", "/"))
print(("x"):gsub("x", "%%1"))
-- table replacement
local vars = {name = "Lua", version = "5.1"}
print(("$name $version $missing"):gsub("%$(%w+)", vars))
print(("a b c"):gsub("%w", {a = 1, b = "B"}))
print(pcall(string.gsub, "a b c", "%w", {a = 1, b = true}))
print(pcall(string.gsub, "a", "a", {a = {}}))
-- false / nil from function or table keeps the original
print(("abc"):gsub("%w", function(c) if c == "b" then return false end return c:upper() end))
print(("abc"):gsub("%w", function() end))
-- function replacement with captures
print(("x=1, y=2"):gsub("(%w+)=(%w+)", function(k, v) return v .. "=" .. k end))
print(("3 apples and 5 pears"):gsub("%d+", function(n) return n * 2 end))
print(("abc"):gsub("()", function(p) return p end))
print(pcall(string.gsub, "abc", "%w", function() return {} end))
-- limits
print(("aaaa"):gsub("a", "b", 2))
print(("aaaa"):gsub("a", "b", 2.9))
-- anchored gsub replaces only at start
print(("aaa"):gsub("^a", "b"))
print(("hello"):gsub("^", ">"))
print(("hello"):gsub("$", "<"))
-- empty pattern matches
print(("abc"):gsub("x*", "-"))
print(("abc"):gsub("b*", "-"))
-- invalid replacement escapes
print(pcall(string.gsub, "abc", "(a)", "%2"))
print(pcall(string.gsub, "abc", "a", "%x"))
print(("abc"):gsub("a", "%a"))
-- escape pattern magic chars
local function escape(s) return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0")) end
print(escape("1+1=2? (yes) [100%] ^$.*-"))
print(("cost: 1+1"):gsub(escape("1+1"), "two"))
-- trim and collapse whitespace
print((("  a   b  c  "):gsub("^%s+", ""):gsub("%s+$", ""):gsub("%s+", " ")))
-- gsub result count only
print(select(2, ("banana"):gsub("a", "")))
-- replacement argument type errors
print(pcall(string.gsub, "abc", "a", true))
print(pcall(string.gsub, "abc", "a"))
-- numbers as replacement are converted
print(("abc"):gsub("b", 42))
