-- Metamethods and error handlers that call themselves forever end in 5.1's errors
-- ("C stack overflow", "stack overflow", "error in error handling"), never in a crash
-- of the interpreter.
local function show(ok, msg)
  print(ok, (string.gsub(tostring(msg), "^.-:%d+: ", "")))
end

show(pcall(tostring, setmetatable({}, {__tostring = function(t) return tostring(t) end})))
show(xpcall(function() error("x") end, function(e) error(e) end))
show(xpcall(function() error("x") end, function(e) local a = nil; return a.b end))

local mt = {}
mt.__index = function(t, k) return setmetatable({}, mt)[k] end
show(pcall(function() return setmetatable({}, mt).x end))

local function recursive(event, f)
  local m = {}
  m[event] = f
  return m
end
local x = setmetatable({}, recursive("__add", function(a, b) return a + b end))
show(pcall(function() return x + 1 end))
local eq = recursive("__eq", function(a, b) return a == b end)
show(pcall(function() return setmetatable({}, eq) == setmetatable({}, eq) end))
local lt = recursive("__lt", function(a, b) return a < b end)
show(pcall(function() return setmetatable({}, lt) < setmetatable({}, lt) end))
local cat = setmetatable({}, recursive("__concat", function(a, b) return a .. b end))
show(pcall(function() return cat .. "a" end))
local ni = setmetatable({}, recursive("__newindex", function(t, k, v) t[k] = v end))
show(pcall(function() ni.a = 1 end))
local neg = setmetatable({}, recursive("__unm", function(a) return -a end))
show(pcall(function() return -neg end))
local u = newproxy(true)
getmetatable(u).__len = function(v) return #v end
show(pcall(function() return #u end))

-- Chains of __index tables longer than 100 stop with "loop in gettable".
local t = {}
setmetatable(t, {__index = t})
show(pcall(function() return t.missing end))
