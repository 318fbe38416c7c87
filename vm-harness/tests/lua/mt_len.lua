-- __len: in Lua 5.1 only userdata consult __len; # on a table ignores it
local t = setmetatable({1, 2, 3}, {__len = function() return 99 end})
print(#t)
local empty = setmetatable({}, {__len = function() return 42 end})
print(#empty)
-- strings ignore it too
print(#"abc")
-- userdata from newproxy can have __len
local u = newproxy(true)
getmetatable(u).__len = function(self, other) return 7 end
print(#u)
local u2 = newproxy(true)
getmetatable(u2).__len = function() return "len as string" end
print(#u2)
-- userdata without __len
local u3 = newproxy(true)
print(pcall(function() return #u3 end))
local u4 = newproxy()
print(pcall(function() return #u4 end))
print(type(u), type(u4), getmetatable(u4))
-- __len receives the userdata
local seen
local u5 = newproxy(true)
getmetatable(u5).__len = function(self) seen = self return 0 end
local _ = #u5
print(seen == u5)
