-- Every global and every field of the standard libraries, with its type: the set luagc
-- provides must equal lua5.1's (with LuaBitOp's `bit` loaded, as luagc has it built in).
require "bit"
local function fields(t)
  local names = {}
  for k, v in pairs(t) do names[#names + 1] = tostring(k) .. " " .. type(v) end
  table.sort(names)
  return names
end
local function show(title, t)
  print("== " .. title)
  for _, line in ipairs(fields(t)) do print(line) end
end
show("_G", _G)
for _, lib in ipairs { "bit", "coroutine", "debug", "io", "math", "os", "package", "string", "table" } do
  show(lib, _G[lib])
end
show("package.loaded", package.loaded)
print("package.loaders", #package.loaders)
show("string metatable", getmetatable(""))
show("file metatable", getmetatable(io.stdout))
show("file methods", getmetatable(io.stdout).__index)
print("loaded are the globals", package.loaded.io == io, package.loaded.os == os,
  package.loaded.package == package, package.loaded._G == _G)
print("_VERSION", _VERSION)
