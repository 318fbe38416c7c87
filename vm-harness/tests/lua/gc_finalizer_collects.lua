-- A finalizer that makes another finalizable object and collects again: 5.1 calls
-- the due finalizers from inside the collection, nested, until the C-call limit stops
-- the chain with "C stack overflow"; the program goes on.
local n = 0
local function make()
  local p = newproxy(true)
  getmetatable(p).__gc = function()
    n = n + 1
    make()
    collectgarbage()
  end
end
make()
print(pcall(collectgarbage))
print(n > 100, n < 200)
-- "step" runs due finalizers the same way.
local ok, msg = pcall(collectgarbage, "step", 1000000)
print(ok or msg)
-- A finalizer that collects once, without feeding the chain, runs once.
local once = 0
local p = newproxy(true)
getmetatable(p).__gc = function() once = once + 1; collectgarbage() end
p = nil
collectgarbage()
print(once)
