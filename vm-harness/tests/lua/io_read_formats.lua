-- file:read's formats: "*n" as fscanf reads numbers, "*l", "*a", byte counts, several
-- formats in one call, and what each returns at end of file.
local name = os.tmpname()
local function with(text)
  local f = assert(io.open(name, "w"))
  f:write(text)
  f:close()
  return assert(io.open(name))
end

local f = with("12 0x1F -3.5e2 .5 7. +4 abc\nline2\n\nlast")
print(f:read("*n", "*n", "*n", "*n", "*n", "*n"))
print(f:read("*n"))                     -- fails at "abc"; reading stops there
print(f:read("*l"))
print(f:read("*n"))                     -- "line2" is no number
print(f:read("*l", "*l", "*l", "*l"))   -- stops at the first nil
print(f:read("*a"), f:read("*a") == "", f:read("*l"), f:read(0), f:read(1))
f:close()

f = with("1e5x 2e+3 3E-2\t\n 4\n\n  -0x10 5e")
print(f:read("*n"))
print(f:read(1))
print(f:read("*n", "*n", "*n", "*n"))
print(f:read("*n"))
print(f:read("*a"))
f:close()

f = with("inf -inf 1nfo")
local a, b = f:read("*n", "*n")
print(a, b)
print(f:read("*n"))
f:close()

f = with("abcdefghij")
print(f:read(3), f:read(0), f:read(4), f:read(100), f:read(0), f:read(1))
f:close()

f = with("x")
print(f:read(-1))                       -- a negative count reads everything
f:close()

f = with("one\ntwo\r\nthree")
print(f:read())                         -- no format: a line
print(#f:read("*l"), f:read("*line"), f:read("*all"))
f:close()

f = with("")
print(f:read("*a"), f:read("*l"), f:read("*n"), f:read(0), f:read(5))
f:close()

f = with("1 2 3")
print(pcall(f.read, f, "*x"))
print(pcall(f.read, f, "l"))
print(pcall(f.read, f, {}))
print(f:read(1, "*n", 1, "*n"))
f:close()

f = assert(io.open("/"))                -- a directory opens, but cannot be read
print(f:read(1))
print(f:read("*a"))
f:close()

os.remove(name)
