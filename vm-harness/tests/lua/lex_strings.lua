-- short string literals and escapes
print("double", 'single', "it's", 'say "hi"')
print("a\tb", "a\\b", "q\"q", 'q\'q')
print("bell?" == "bell\63")
print("\65\066\0672", "\x" == "x" or "\\x not special")
print(#"\0", #"a\0b", ("a\0b"):byte(2))
print("\97\98\99", "\49\50\51")
print(#"\255", ("\255"):byte())
print("\a\b\f\v" == string.char(7, 8, 12, 11))
print("\n" == string.char(10), "\r" == string.char(13))
local s = "line1\
line2"
print(s, #s, s:byte(6))
print("x\z" == "xz")
print('\'' .. "\"")
print("tab:[\t]")
-- decimal escapes up to 3 digits
print("\0491" == "11", #"\1234", ("\1234"):byte(1))
-- string with every printable char class
local t = {}
for i = 32, 126 do t[#t + 1] = string.char(i) end
print(table.concat(t))
print(#table.concat(t))
