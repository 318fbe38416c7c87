-- dofile: runs a file, returns all its results, propagates errors
print(dofile("modules/dofile_target.lua"))
print(dofile("modules/dofile_target.lua"))
print(dofile_counter)
local ok, e = pcall(dofile, "modules/dofile_error.lua")
print(ok, e)
ok, e = pcall(dofile, "modules/no_such_file.lua")
print(ok, e)
ok, e = pcall(dofile, "modules/badsyntax.lua")
print(ok, e)
-- loadfile returns a function or nil, msg
local f = loadfile("modules/dofile_target.lua")
print(type(f), f("extra", "args"))
print(loadfile("modules/no_such_file.lua"))
print(loadfile("modules/badsyntax.lua"))
-- runtime error positions use the file name
print(pcall(loadfile("modules/dofile_error.lua")))
