-- a module that raises an error while loading
local x = 1
error("failing module could not load")
