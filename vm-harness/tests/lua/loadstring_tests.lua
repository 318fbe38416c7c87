-- loadstring / load: compiling chunks, errors returned as nil, msg
local f = loadstring("return 1 + 2")
print(type(f), f())
print(loadstring("return ...")(1, 2, 3))
print(loadstring("local a, b = ... return b, a")("x", "y"))
-- syntax errors are returned, not raised
print(loadstring("return +"))
print(loadstring("x ="))
print(loadstring("for"))
print(loadstring("x = 'unfinished"))
print(loadstring("x = [[unfinished"))
print(loadstring("return 1 2"))
print(loadstring("local 1 = 2"))
print(loadstring("f("))
print(loadstring("x = }"))
print(loadstring("return 0x"))
print(loadstring("break"))
print(loadstring("return return"))
print(loadstring("a.b:c = 1"))
print(loadstring("local function end"))
print(loadstring("x = 1\ny = \n\n+"))
-- chunk names
print(type(loadstring("error('boom')", "mychunk")))
print(pcall(loadstring("error('boom')", "mychunk")))
print(pcall(loadstring("error('boom')", "=custom")))
print(pcall(loadstring("error('boom')", "@file.lua")))
print(pcall(loadstring("error('boom')")))
print(pcall(loadstring("\n\nerror('line 3')")))
print(pcall(loadstring("error('long source name that goes on and on and on and on and on and on')")))
print(loadstring("x = = 1", "=named"))
print(loadstring("x = = 1\nmore", "=named"))
print(loadstring("line1 = 1\nline2 = = 2"))
-- chunks run in the global environment
loadstring("shared_global = 'set by chunk'")()
print(shared_global)
-- a chunk is a vararg function
print(loadstring("return select('#', ...)")(nil, nil, nil))
-- load with a reader function
local parts = {"return ", "'from ", "reader'"}
local i = 0
local g = load(function() i = i + 1 return parts[i] end)
print(g())
print(type(load(function() return nil end)))
local fn = load(function() return nil end)
print(type(fn), fn and fn())
print(pcall(load, function() return {} end))
local once = false
print(load(function() if once then return nil end once = true return "return 'named reader'" end, "=reader")())
-- syntax error from load with reader
print(load(function() if once then once = false return "x = = 1" end end, "=bad"))
-- loadstring does not see locals of the caller
local hidden = "local"
print(loadstring("return hidden")())
-- each call compiles a new function
print(loadstring("return 1") ~= loadstring("return 1"))
-- binary chunks round trip through string.dump
local dumped = string.dump(function(a) return a * 2 end)
print(loadstring(dumped)(21))
-- errors at runtime inside loaded chunks carry the chunk name
local h = loadstring("local t = nil\nreturn t.x", "=runtime")
print(pcall(h))
