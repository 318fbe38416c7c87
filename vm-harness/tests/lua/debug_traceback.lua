-- debug.traceback: deep stacks, names, C functions, tail calls, threads, levels.
local function rec(n)
  if n == 0 then return debug.traceback("deep") end
  local t = rec(n - 1)
  return t
end
print(rec(30))
print(rec(3))

print(debug.traceback())
print(debug.traceback("msg", 2))
print(debug.traceback(nil))
print(debug.traceback(12))
print(type(debug.traceback({})))

-- through pcall, error and C functions
local function fails() error("boom") end
print(select(2, xpcall(fails, debug.traceback)))
print(select(2, xpcall(function() local t = nil; return t.x end, debug.traceback)))
print(select(2, pcall(function() return debug.traceback("in pcall") end)))
local t = setmetatable({}, { __index = function(t, k) return debug.traceback(k) end })
print(t.key)
print(table.concat({ string.gsub("a", "a", function() return debug.traceback("gsub") end) }, "|"))

-- tail calls
local function last() return debug.traceback("tail") end
local function via() return last() end
print(via())

-- threads
local co = coroutine.create(function() coroutine.yield() end)
coroutine.resume(co)
print(debug.traceback(co))
print(debug.traceback(co, "co msg"))
print(debug.traceback(co, "co msg", 1))
print(debug.traceback(co, nil, 1))
local deep = coroutine.create(function()
  local function r(n) if n == 0 then coroutine.yield() else r(n - 1) end end
  r(25)
end)
coroutine.resume(deep)
print(debug.traceback(deep, "deep co"))
