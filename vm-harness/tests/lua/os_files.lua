-- os.tmpname, os.remove (files and empty directories), os.rename, and their errors.
local name = os.tmpname()
print(type(name), name:match("^/tmp/lua_") ~= nil)
local f = io.open(name)                  -- tmpname creates the file
print(io.type(f), f:read("*a"))
f:close()
print(os.tmpname() ~= name)

local other = name .. ".renamed"
print(os.rename(name, other))
print(io.open(name) == nil, io.open(other) ~= nil)
print(select(2, os.rename(name, other)) == name .. ": No such file or directory")
print(os.remove(other))
print(select(2, os.remove(other)) == other .. ": No such file or directory",
      select(3, os.remove(other)))
print(os.remove("/nonexistent/dir/file"))
print(os.rename("/nonexistent/a", "/nonexistent/b"))

-- an empty directory is removed too; a full one is not
print(os.execute("mkdir " .. name))
f = io.open(name .. "/inside", "w")
f:close()
print(select(2, os.remove(name)) == name .. ": Directory not empty")
print(os.remove(name .. "/inside"), os.remove(name))
print(pcall(os.remove))
print(pcall(os.rename, "a"))
print(pcall(os.remove, {}))
