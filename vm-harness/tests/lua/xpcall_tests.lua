-- xpcall (5.1: xpcall(f, handler), no extra arguments passed to f)
local function handler(e) return "handled: " .. tostring(e) end
print(xpcall(function() return "ok", 2 end, handler))
print(xpcall(function() error("bad") end, handler))
print(xpcall(function() error("bad", 0) end, handler))
print(xpcall(function() error({}) end, function(e) return type(e) end))
print(xpcall(function() local x = nil return x.y end, handler))
-- extra arguments are not passed in 5.1
print(xpcall(function(...) return select('#', ...) end, handler, 1, 2, 3))
-- the handler runs before unwinding: it can inspect the level of the error
print(xpcall(function() error("lvl") end, function(e) return debug.traceback(e, 1):match("^[^\n]*") end))
-- handler return values: only the first is returned
print(xpcall(function() error("x") end, function(e) return 1, 2, 3 end))
-- handler that errors itself
print(xpcall(function() error("first") end, function(e) error("second") end))
-- handler that is not a function
print(pcall(xpcall, function() error("e") end, nil))
print(xpcall(function() return "no error, bad handler ok" end, nil))
-- nested xpcall
print(xpcall(function()
  local ok, e = xpcall(function() error("inner", 0) end, function(m) return "[" .. m .. "]" end)
  error(e .. " rethrown", 0)
end, function(m) return "{" .. m .. "}" end))
-- handler sees non-string values unchanged
local obj = {}
print(xpcall(function() error(obj) end, function(e) return e == obj end))
-- xpcall with a runtime error in a C function
print(xpcall(function() return ("x"):rep(-1, 5, 6) .. string.rep() end, handler))
-- traceback's first line is the message
print((debug.traceback("message here")):match("^[^\n]*"))
print(type(debug.traceback()))
