-- A file handle left open is closed by the collector: its buffered data reaches the
-- file when the handle's finalizer runs in collectgarbage().
local name = os.tmpname()
do
  local f = assert(io.open(name, "w"))
  f:write("written through a dropped handle")
end
local r = assert(io.open(name))
print("before collection:", r:read("*a") == "")
r:close()
collectgarbage()
collectgarbage()
r = assert(io.open(name))
print("after collection:", r:read("*a"))
r:close()

-- the same for io.lines iterators abandoned before the end
local f = assert(io.open(name, "w"))
for i = 1, 5 do f:write("line ", i, "\n") end
f:close()
for i = 1, 20 do
  for l in io.lines(name) do break end
end
collectgarbage()
print("lines iterators collected")
os.remove(name)
