-- error with non-string values, and tables as error objects
local function try(...) return pcall(error, ...) end
local ok, e = try({code = 42})
print(ok, type(e), e.code)
ok, e = pcall(function() error({code = 7, msg = "table err"}) end)
print(ok, e.code, e.msg)
-- level is ignored for non-string values (no position added)
ok, e = pcall(function() error({1, 2, 3}, 2) end)
print(ok, #e)
ok, e = pcall(function() error(42) end)
print(ok, e, type(e))
ok, e = pcall(function() error(42, 2) end)
print(ok, e, type(e))
ok, e = pcall(function() error(false) end)
print(ok, e)
ok, e = pcall(function() error(nil) end)
print(ok, e)
ok, e = pcall(function() error() end)
print(ok, e)
ok, e = pcall(function() error(print) end)
print(ok, e == print)
-- a numeric error gets a position prefix and becomes a string (numbers count as strings)
ok, e = pcall(function() error(3.5) end)
print(ok, e, type(e))
-- identity of table error objects preserved through nested pcall
local obj = {}
local ok1, e1 = pcall(function()
  local ok2, e2 = pcall(function() error(obj) end)
  error(e2)
end)
print(ok1, e1 == obj)
-- error objects with metatables
local E = {}
E.__index = E
E.__tostring = function(self) return "E(" .. self.msg .. ")" end
local function throw(msg) error(setmetatable({msg = msg}, E)) end
ok, e = pcall(throw, "boom")
print(ok, getmetatable(e) == E, tostring(e), e.msg)
-- rethrow preserves the object
ok, e = pcall(function() local ok, err = pcall(throw, "inner") error(err, 0) end)
print(ok, tostring(e))
-- error with a string that looks like a position
ok, e = pcall(function() error("file.lua:1: fake") end)
print(ok, e)
-- try/catch helper
local function try_catch(f, handler)
  local r = {pcall(f)}
  if r[1] then return unpack(r, 2) end
  return handler(r[2])
end
print(try_catch(function() return "fine" end, function(e) return "caught " .. tostring(e) end))
print(try_catch(function() error({kind = "K"}) end, function(e) return "caught kind " .. e.kind end))
