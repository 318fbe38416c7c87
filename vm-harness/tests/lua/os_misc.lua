-- os.execute's raw status, os.getenv, os.setlocale (the C locale only), os.difftime,
-- os.clock as CPU time, and os.exit's argument rules.
print(os.execute())                      -- a shell exists
print(os.execute("exit 0"), os.execute("exit 1"), os.execute("exit 3"))
print(os.execute("kill -9 $$"))          -- killed by signal 9: the raw wait status
print(os.execute("true"))

print(type(os.getenv("PATH")), os.getenv("LUAGC_SURELY_UNSET_VARIABLE"))
print(pcall(os.getenv))
print(pcall(os.getenv, {}))

print(os.setlocale("C"), os.setlocale("POSIX"), os.setlocale())
print(os.setlocale("C", "numeric"), os.setlocale(nil, "time"), os.setlocale("C", "all"))
print(os.setlocale("xx_YY.nonexistent"))
for _, cat in ipairs{"all", "collate", "ctype", "monetary", "numeric", "time"} do
  io.write(tostring(os.setlocale(nil, cat)), " ")
end
print()
print(pcall(os.setlocale, "C", "everything"))
print(pcall(os.setlocale, {}))

print(os.difftime(10, 4), os.difftime(5.9, 3.2), os.difftime(7))
print(pcall(os.difftime))
print(pcall(os.difftime, "x"))

-- CPU time: it grows with work, and not with sleeping
local c0 = os.clock()
local x = 0
for i = 1, 200000 do x = x + i end
local c1 = os.clock()
os.execute("sleep 0.1")
local c2 = os.clock()
print(type(c0), c1 >= c0, c2 - c1 < 0.05)

print(pcall(os.exit, true))
print(pcall(os.exit, "x"))
print(pcall(os.exit, {}))
-- names and commands end at a NUL, as C strings; odd names are simply unset
print(os.getenv(""), os.getenv("A=B"), os.getenv("PATH\0junk") == os.getenv("PATH"))
print(os.execute("exit 2\0ignored"))
