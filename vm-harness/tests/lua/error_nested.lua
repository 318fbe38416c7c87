-- nested pcall, errors in handlers, error propagation through levels
local function lvl(n)
  if n == 0 then error("bottom") end
  local ok, e = pcall(lvl, n - 1)
  error("level " .. n .. " <- " .. tostring(e), 0)
end
print(pcall(lvl, 3))
-- inner pcall catches, outer continues
local log = {}
local ok = pcall(function()
  log[#log + 1] = "outer start"
  local ok2, e2 = pcall(function()
    log[#log + 1] = "inner start"
    error("inner fail", 0)
  end)
  log[#log + 1] = "inner returned " .. tostring(ok2) .. " " .. e2
  error("outer fail", 0)
end)
log[#log + 1] = "outer returned " .. tostring(ok)
print(table.concat(log, "; "))
-- pcall within pcall within pcall, all success
print(pcall(pcall, pcall, function() return "deep" end))
-- error thrown from a deep call stack unwinds everything
local depth = 0
local function dive(n) depth = depth + 1 if n == 0 then error("deep error", 0) end dive(n - 1) end
print(pcall(dive, 100), depth)
-- after an error, locals and upvalues are intact
local state = {n = 0}
for i = 1, 3 do
  pcall(function() state.n = state.n + 1 error("x") end)
end
print(state.n)
-- error inside a for iterator
print(pcall(function()
  for k in function() error("iterator broke", 0) end do end
end))
-- error in the middle of a table constructor
print(pcall(function() local t = {1, 2, error("ctor", 0), 4} end))
-- error in argument evaluation
print(pcall(function() print(error("arg eval", 0)) end))
-- error inside string.gsub callback
print(pcall(string.gsub, "abc", "%w", function(c) if c == "b" then error("cb " .. c, 0) end end))
-- error inside table.sort comparator
print(pcall(table.sort, {3, 2, 1}, function(a, b) error("cmp", 0) end))
-- pcall returning many values after nested success
print(pcall(function() return pcall(function() return 1, 2, 3 end) end))
-- an error value passes through several handlers unchanged
local obj = {tag = "obj"}
local _, e = pcall(function()
  local _, inner = pcall(function() error(obj) end)
  local _, inner2 = pcall(function() error(inner) end)
  error(inner2)
end)
print(e == obj, e.tag)
