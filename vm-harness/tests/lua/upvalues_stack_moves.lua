-- open upvalues follow their stack when it grows, in the main thread and in coroutines,
-- stay sorted when opened out of slot order, and close with the right values
local function deep(n, f) if n == 0 then return f() end return deep(n - 1, f) + 0 end
local function grower()
  local a, b, c = 1, 2, 3
  local function bump() a, b, c = a + 1, b + 10, c + 100 return a + b + c end
  -- the stack grows several times while a, b and c are open
  local r = deep(3000, bump)
  a = a * 2
  return r, bump(), a, b, c
end
print(grower())
-- upvalues opened in decreasing, increasing and mixed slot order share one per slot
local function order()
  local x, y, z = "x", "y", "z"
  local fz = function() return z end
  local fx = function() return x end
  local fy = function() return y end
  local all = function(v) x, y, z = x .. v, y .. v, z .. v end
  all("1")
  deep(500, function() all("2") return 0 end)
  return fx(), fy(), fz(), x, y, z
end
print(order())
-- a coroutine's stack grows while its locals are open; resumed after the closures close
local co = coroutine.create(function(n)
  local sum = 0
  local add = function(k) sum = sum + k return sum end
  for i = 1, n do
    coroutine.yield(deep(200 * i, function() return add(i) end))
  end
  return add, function() return sum end
end)
for _ = 1, 4 do print(coroutine.resume(co, 4)) end
local ok, add, get = coroutine.resume(co)
print(ok, add(100), get(), add(1), get())
-- a coroutine that dies by an error keeps its open upvalues readable and writable
local getter, setter
local dead = coroutine.create(function()
  local v = {1}
  getter = function() return v end
  setter = function(x) v = x end
  deep(300, function() error("boom") end)
end)
print(coroutine.resume(dead))
print(coroutine.status(dead), type(getter()), getter()[1])
setter("set after death")
collectgarbage()
print(getter())
-- debug.getupvalue and debug.setupvalue on open and closed upvalues
local function probe()
  local p = "open"
  local f = function() return p end
  print(debug.getupvalue(f, 1))
  print(debug.setupvalue(f, 1, "set while open"), p)
  return f
end
local pf = probe()
print(debug.getupvalue(pf, 1))
print(debug.setupvalue(pf, 1, {}), type(pf()))
collectgarbage()
print(type(pf()))
-- many closures over many locals, closed together by a loop's end, then collected
local keep = {}
for i = 1, 200 do
  local a, b = {i}, tostring(i)
  keep[i] = function() return a[1] .. b end
  if i % 50 == 0 then collectgarbage() end
end
collectgarbage()
print(keep[1](), keep[77](), keep[200]())
