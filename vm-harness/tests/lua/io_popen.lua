-- io.popen in read and write mode, pclose's result, and popen's mode errors.
local p = assert(io.popen("echo hello; echo world"))
print(io.type(p), p:read("*l"), p:read("*a"))
print(p:read("*l"), p:read(0))
print(p:close())
print(io.type(p))

p = io.popen("printf '1 2 3'", "r")
print(p:read("*n", "*n", "*n", "*n"))
print(p:close())

print(io.popen("exit 3"):close())        -- 5.1 only checks that pclose worked

local name = os.tmpname()
p = assert(io.popen("cat > " .. name, "w"))
print(p:write("piped ", 1, "\n"))
print(p:seek("set"))                     -- a pipe cannot seek
print(p:close())
local f = assert(io.open(name))
print(f:read("*a"))
f:close()
os.remove(name)

for l in io.popen("printf 'a\\nb\\nc'"):lines() do io.write(l, ".") end
print()
print(io.popen("true", "rw"))
print(io.popen("true", "x"))
print(pcall(io.popen))
