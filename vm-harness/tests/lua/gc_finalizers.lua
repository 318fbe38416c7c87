-- newproxy(true) userdata with __gc finalizers (Lua 5.1)
local function make(name, log)
  local u = newproxy(true)
  local mt = getmetatable(u)
  mt.__gc = function(self) print("finalize " .. name) end
  mt.__index = {name = name}
  return u
end
print(type(newproxy()), type(newproxy(true)), getmetatable(newproxy()))
print(type(getmetatable(newproxy(true))))
-- a proxy sharing the metatable of another proxy
local base = newproxy(true)
getmetatable(base).__tostring = function() return "shared-mt proxy" end
local clone = newproxy(base)
print(tostring(clone), getmetatable(clone) == getmetatable(base))
print(pcall(newproxy, {}))
-- finalizers run at collection time, after the object becomes unreachable
do
  local a = make("A")
  print("created A", a.name)
end
local function scope()
  local b = make("B")
  local c = make("C")
  return b.name .. c.name
end
print("scope returned", scope())
print("collecting")
collectgarbage("collect")
print("collected")
-- an object still referenced is not finalized
local kept = make("KEPT")
collectgarbage("collect")
print("kept survives", kept.name)
-- finalizer order for several garbage objects collected together
local function batch() for i = 1, 3 do make("batch" .. i) end end
batch()
collectgarbage("collect")
print("after batch")
-- __gc on a table is ignored in 5.1
do setmetatable({}, {__gc = function() print("table gc: never printed") end}) end
collectgarbage("collect")
print("tables have no finalizers")
-- a finalizer can resurrect its object through a global
local function resurrect()
  local u = newproxy(true)
  getmetatable(u).__gc = function(self) print("finalize R") saved = self end
end
resurrect()
collectgarbage("collect")
print("resurrected", type(saved))
saved = nil
collectgarbage("collect")
print("second collect: finalizer not run again")
-- objects alive at exit are finalized when the state closes
local e1 = make("EXIT1")
local e2 = make("EXIT2")
print("end of script")
