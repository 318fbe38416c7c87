-- The fields of io, os, package and of file handles' metatable, as lua5.1 has them.
local function fields(t)
  local names = {}
  for k, v in pairs(t) do names[#names + 1] = tostring(k) .. ":" .. type(v) end
  table.sort(names)
  return table.concat(names, " ")
end
print("io", fields(io))
print("os", fields(os))
print("package", fields(package))
print("FILE*", fields(getmetatable(io.stdout)))
print(type(require), type(module), package.loaded.io == io, package.loaded.os == os)
print(package.loaded.package == package, package.loaded._G == _G)
