-- __tostring and its use by tostring/print; __metatable protection
local P = {__tostring = function(p) return "Point(" .. p.x .. "," .. p.y .. ")" end}
local pt = setmetatable({x = 1, y = 2}, P)
print(pt)
print(tostring(pt))
print("via format: " .. string.format("%s", tostring(pt)))
-- print calls tostring on each argument
print(pt, pt, "x")
-- __tostring returning a non-string: tostring passes it through unchanged;
-- print accepts numbers but raises an error for other values
local bad = setmetatable({}, {__tostring = function() return 42 end})
print(pcall(tostring, bad))
print(type(tostring(bad)))
print(pcall(print, bad))
local bad2 = setmetatable({}, {__tostring = function() return nil end})
print(pcall(tostring, bad2))
print(pcall(print, bad2))
local bad3 = setmetatable({}, {__tostring = function() return true end})
print(pcall(print, "before", bad3))
-- __tostring errors propagate
local err = setmetatable({}, {__tostring = function() error("no string for you") end})
print(pcall(tostring, err))
-- __tostring on userdata
local u = newproxy(true)
getmetatable(u).__tostring = function() return "my userdata" end
print(u, tostring(u))
-- __name is not used in 5.1: a table without __tostring prints as 'table: ADDRESS'
local plain = setmetatable({}, {__name = "MyType"})
print((tostring(plain):gsub("0x%x+", "ADDR"):gsub("%s%x+$", " ADDR")))
print(tostring(plain):sub(1, 7))
-- error() with an object having __tostring: pcall returns the object itself
local eobj = setmetatable({msg = "custom"}, {__tostring = function(e) return "E:" .. e.msg end})
local ok, e = pcall(error, eobj)
print(ok, e == eobj, tostring(e))
-- tostring of primitive values
print(tostring(nil), tostring(true), tostring(false), tostring(12), tostring("s"))
print(tostring(print):sub(1, 9), tostring({}):sub(1, 6), tostring(coroutine.create(function() end)):sub(1, 7))
-- concat does not call __tostring
print(pcall(function() return "x" .. pt end))
