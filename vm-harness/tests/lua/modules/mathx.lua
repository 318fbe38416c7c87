-- a plain module returning a table
local M = {}
M.loaded_count = (M.loaded_count or 0) + 1
load_counter_mathx = (load_counter_mathx or 0) + 1
M.name = ...
function M.square(x) return x * x end
function M.cube(x) return x * x * x end
return M
