-- Runs a workload script and reports on stderr how many collection cycles ran, in any
-- Lua 5.1 interpreter (lua5.1, luajit, luagc): a finalizable sentinel is collected once
-- per cycle and makes the next one.
--   lua5.1 count_cycles.lua SCRIPT ARGS...
local cycles = 0
local function sentinel()
  getmetatable(newproxy(true)).__gc = function()
    cycles = cycles + 1
    sentinel()
  end
end
sentinel()
local script = table.remove(arg, 1)
arg[0] = script
dofile(script)
io.stderr:write("cycles ", cycles, "\n")
