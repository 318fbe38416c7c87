-- every character class against all 128 ASCII characters (C locale)
local classes = {"a", "d", "l", "s", "u", "w", "x", "p", "c", "z",
                 "A", "D", "L", "S", "U", "W", "X", "P", "C", "Z"}
for _, cl in ipairs(classes) do
  local members = {}
  for i = 0, 127 do
    if string.char(i):find("^%" .. cl .. "$") then
      members[#members + 1] = i
    end
  end
  print("%" .. cl, #members, table.concat(members, ",", 1, math.min(#members, 40)))
end
-- . matches every byte including \0 and \n
local dot = 0
for i = 0, 255 do if string.char(i):find("^.$") then dot = dot + 1 end end
print(".", dot)
-- high bytes are not letters in the C locale
print(("\200"):find("%a"), ("\200"):find("%A"))
-- escaped non-alphanumerics match themselves
print(("a.b"):find("%."), ("50%"):find("%%"), ("(x)"):find("%("), ("a-b"):find("%-"))
-- %z matches the zero byte (5.1)
print(("a\0b"):find("%z"), ("abc"):find("%z"))
-- gsub removing classes
print(("Hello, World! 123"):gsub("%p", ""))
print(("Hello, World! 123"):gsub("%A", ""))
print(("tab\there\nnl"):gsub("%s", "_"))
print(("aB1_"):gsub("%w", "."))
print(("0x1F 0xzz"):gsub("%x", "#"))
print(("ctrl\1\2\31end"):gsub("%c", "?"))
