-- errors raised inside metamethods and by failing metamethod lookups
local function try(f) print(pcall(f)) end
local mt = {}
mt.__index = function(t, k) error("no field " .. k) end
mt.__newindex = function(t, k, v) error("cannot set " .. k, 2) end
mt.__add = function(a, b) error("cannot add", 0) end
mt.__call = function(self, x) error({reason = "call " .. tostring(x)}) end
mt.__concat = function() error("cannot concat", 0) end
mt.__lt = function() error("cannot lt", 0) end
mt.__le = function() error("cannot le", 0) end
mt.__unm = function() error("cannot unm", 0) end
mt.__eq = function() error("cannot eq", 0) end
mt.__tostring = function() error("cannot tostring", 0) end
local t = setmetatable({}, mt)
local u = setmetatable({}, mt)
try(function() return t.foo end)
try(function() t.bar = 1 end)
try(function() return t + 1 end)
local ok, e = pcall(function() return t(5) end)
print(ok, type(e), e.reason)
try(function() return t .. "x" end)
try(function() return t < u end)
try(function() return t <= u end)
try(function() return -t end)
try(function() return t == u end)
try(function() return tostring(t) end)
-- errors inside metamethods called from C functions
try(function() return table.concat({}, tostring(t)) end)
-- metamethods that themselves index nil
local broken = setmetatable({}, {__index = function(t, k) local x = nil return x[k] end})
try(function() return broken.key end)
-- metamethod errors inside coroutines
local co = coroutine.create(function() return t.inside end)
print(coroutine.resume(co))
-- __index error with level 2 points to the access site
local strict = setmetatable({}, {__index = function(_, k) error("undefined variable " .. k, 2) end})
try(function()
  return strict.undefined_thing
end)
-- strict globals via setmetatable on _G
local g = setmetatable({}, {__index = function(_, k) error("global '" .. k .. "' not defined", 2) end})
try(function()
  setfenv(1, g)
  return some_undefined_global
end)
