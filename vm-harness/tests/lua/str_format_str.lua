-- string.format %s and %q
local f = string.format
print(f("%s %s %s", "a", 1, 2.5))
print(f("[%10s][%-10s][%.2s][%5.1s]", "right", "left", "truncate", "xyz"))
print(f("%s", true and "t"), pcall(f, "%s"))
print(f("%s|%s", "", "x"))
print(f("no conversions"))
print(f("%s %s", "extra", "args", "ignored"))
-- %s uses tostring semantics for numbers only; other types are errors in 5.1
print(pcall(f, "%s", nil))
print(pcall(f, "%s", {}))
print(pcall(f, "%s", true))
-- %q
print(f("%q", "simple"))
print(f("%q", 'quote " and \\ backslash'))
print(f("%q", "new\nline"))
print(f("%q", "cr\rtab\tzero\0end"))
print(f("%q", ""))
print(f("%q", 42))
print(f("%q", "\1\2\127"))
-- %q output can be read back
local original = "a\"b\\c\nd\0e\rf"
local back = loadstring("return " .. f("%q", original))()
print(back == original)
-- mixing everything
print(f("%-6s|%6.2f|%03d|%x|%q", "name", 3.14159, 7, 255, "q"))
-- long format string
print(f(("%d "):rep(20), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20))
-- format with many string args
print(f("%s%s%s%s%s", "a", "b", "c", "d", "e"))
