-- io.open in every mode, write/read/seek/close on a temporary file, handle types and
-- how they print, and the errors of missing files and bad modes.
local name = os.tmpname()

local f = assert(io.open(name, "w"))
print(io.type(f), tostring(f):match("^file %(0x%x+%)$") ~= nil)
print(f:write("alpha\n", 42, " ", 1.5, "\n", "omega"))
print(f:seek("cur"), f:seek("set", 2), f:seek("end"))
print(f:close())
print(io.type(f), tostring(f))
print(pcall(f.write, f, "x"))
print(pcall(f.close, f))

f = assert(io.open(name))               -- default mode "r"
print(f:read("*a"))
print(f:read("*a") == "", f:read("*l"), f:read(1), f:read(0))
print(f:seek("set", 6), f:read("*l"), f:seek("cur", -3), f:read(2))
print(f:seek("set", -1))
print(f:write("no"))                     -- read-only: the write fails
f:close()

f = assert(io.open(name, "a"))           -- appends
f:write("+A")
f:close()
f = assert(io.open(name, "a+"))          -- appends, reads from anywhere
f:write("+B")
f:seek("set", 0)
print(f:read("*a"))
f:close()

f = assert(io.open(name, "r+"))          -- overwrites in place
f:write("ALPHA")
f:seek("set", 0)
print(f:read("*l"))
f:close()

f = assert(io.open(name, "w+"))          -- truncates, then reads back
print(f:read("*a") == "", f:read(0))
f:write("abc")
f:seek("set", 0)
print(f:read(10), f:read(1))
f:close()

f = assert(io.open(name, "wb"))
f:write("binary\0zero")
f:close()
f = assert(io.open(name, "rb"))
print(#f:read("*a"))
f:close()

-- glibc reads only the first letter and then '+'/'x'; anything else is ignored
local function hide(ok, msg, code)      -- the temporary name varies
  return ok, msg and (msg:gsub(name, "NAME")), code
end
f = assert(io.open(name, "rw"))
print((f:read("*a"):gsub("%z", "\\0")))
f:close()
print(hide(io.open(name, "wx")))
print(hide(io.open(name, "z")))
print(hide(io.open(name, "")))
print(io.open("/nonexistent/dir/file"))
print(io.open("/nonexistent/dir/file", "w"))

-- the same file through two handles
local w = assert(io.open(name, "w"))
w:setvbuf("no")
w:write("shared")
local r = assert(io.open(name))
print(r:read("*a"))
r:close()
w:close()

-- a name ends at a NUL, as a C string
f = assert(io.open(name .. "\0ignored"))
print(f:read("*a"))
f:close()

-- a temporary file of io.tmpfile
local t = io.tmpfile()
print(io.type(t), t:write("tmp"), t:seek("set"), t:read("*a"))
print(t:close())

print(os.remove(name))
print(hide(io.open(name)))
