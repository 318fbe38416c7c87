-- debug.sethook / gethook: call, return, line, count and tail return events.
local events = {}
local function record(event, line)
  local info = debug.getinfo(2, "n")
  events[#events + 1] = event .. ":" .. tostring(line) .. ":" .. tostring(info and info.name)
end

local function leaf(n) return n end
local function middle(n) return leaf(n) + 1 end
debug.sethook(record, "cr")
middle(1)
debug.sethook()
print(table.concat(events, " "))

-- a tail call's call event sees its caller; varargs survive the move
events = {}
local function tv(a, ...) return a + select("#", ...) end
local function tcaller(...) return tv(...) end
local function tdeep(n) if n == 0 then return tcaller(10, 2, 3) end return tdeep(n - 1) end
debug.sethook(record, "cr")
local r = tdeep(2)
debug.sethook()
print(r, table.concat(events, " "))

-- line events of a small loop
events = {}
local function loop()
  local s = 0
  for i = 1, 3 do
    s = s + i
  end
  return s
end
debug.sethook(record, "l")
loop()
debug.sethook()
print(#events, table.concat(events, " "))

-- count events: every instruction, every 3rd
local n = 0
debug.sethook(function() n = n + 1 end, "", 1)
local x = 0
for i = 1, 10 do x = x + i end
debug.sethook()
print(n)
n = 0
debug.sethook(function() n = n + 1 end, "", 3)
for i = 1, 10 do x = x + i end
debug.sethook()
print(n)

-- gethook
print(debug.gethook())
local function h() end
debug.sethook(h, "crl", 7)
local f, mask, count = debug.gethook()
debug.sethook()
print(f == h, mask, count)
debug.sethook(h, "", 0)
local kept, kmask, kcount = debug.gethook()
print(kept == h, kmask, kcount)
debug.sethook()

-- hooks do not run inside a hook
local depth, maxdepth = 0, 0
debug.sethook(function()
  depth = depth + 1
  if depth > maxdepth then maxdepth = depth end
  local _ = tostring(depth)
  depth = depth - 1
end, "c")
print("x")
debug.sethook()
print(maxdepth)

-- per coroutine
local co = coroutine.create(function()
  local a = 1
  a = a + 1
  coroutine.yield(a)
  return a
end)
local colines = {}
debug.sethook(co, function(e, l) colines[#colines + 1] = l end, "l")
print(debug.gethook() == nil, debug.gethook(co) ~= nil)
coroutine.resume(co)
coroutine.resume(co)
print(table.concat(colines, " "))

-- errors
print(pcall(debug.sethook, print))
print(pcall(debug.sethook, 1, "c"))
print(pcall(function()
  debug.sethook(function() debug.sethook(); error("in hook") end, "c")
  local _ = type(1)
end))
debug.sethook()
print(debug.gethook())
