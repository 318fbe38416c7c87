-- io.input/io.output (by name and by handle), io.read/io.write/io.lines on the
-- defaults, io.lines on a file (closed at its end), io.close, io.flush, and the
-- standard files, which cannot be closed.
local name = os.tmpname()

print(io.input() == io.stdin, io.output() == io.stdout)
print(io.type(io.stdin), io.type(io.stdout), io.type(io.stderr))
print(io.write("written", " ", 3, "\n"))
print(io.flush())
print(io.stdout:flush())

local out = io.output(name)
print(io.type(out), out ~= io.stdout, io.output() == out)
io.write("first\n", "second\n")
io.write(3, "\n")
print(io.close())                        -- closes the default output
print(pcall(io.write, "x"))
print(pcall(io.flush))
print(io.type(out))
io.output(io.stdout)

for l in io.lines(name) do io.write("[", l, "]") end
print()
local it = io.lines(name)
print(it(), it(), it(), it())
print(pcall(it))                         -- the file was closed at its end

local inp = io.input(name)
print(io.read(), io.read("*n"), io.read("*a"))
print(io.read(), io.read(0))
for l in io.lines() do print("never", l) end
io.close(inp)
print(pcall(io.read))
print(pcall(io.lines))
io.input(io.stdin)
print(io.read(), io.read("*a"), io.read(0))   -- stdin is /dev/null

local f = assert(io.open(name))
for l in f:lines() do io.write("<", l, ">") end
print()
print(io.type(f))                        -- file:lines does not close
f:close()
print(pcall(function() for l in f:lines() do end end))

print(io.close(io.stdout))
print(io.stdout:close())
print(io.stderr:close())
print(io.type(io.stdout))
print(pcall(io.input, "/nonexistent/file"))
print(pcall(io.output, "/nonexistent/dir/file"))
print(pcall(io.input, 42))
print(pcall(io.lines, "/nonexistent/file"))
print(pcall(io.lines, {}))
print(pcall(io.close, 1))
print(pcall(io.type))
print(io.type(nil), io.type({}), io.type(newproxy()))

os.remove(name)
