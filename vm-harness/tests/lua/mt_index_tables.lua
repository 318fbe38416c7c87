-- __index chains of tables read by field and method access: the link limit at its
-- boundary, values of every kind found along the way, chains that end in other types,
-- and metatables changed between reads.
local function chain(links, leaf)
  local t = leaf
  for _ = 1, links do t = setmetatable({}, {__index = t}) end
  return t
end
-- 5.1 looks at most 100 tables: the original and 99 __index links.
for _, links in ipairs({98, 99, 100, 101}) do
  local t = chain(links, {val = "end", m = function(self, x) return x + 1 end})
  print(links, pcall(function() return t.val end))
  print(links, pcall(function() return t:m(1) end))
  print(links, pcall(function() return t.absent end))
end
-- found values of every kind, false included, stop the walk
local base = {f = false, n = 0, s = "", t = {}, fn = print}
local obj = chain(3, base)
print(obj.f, obj.n, obj.s, type(obj.t), obj.fn == print, obj.none)
-- a chain whose last __index is a function, a string or a boolean
local tail = setmetatable({}, {__index = function(_, k) return "fn:" .. k end})
print(chain(2, tail).x)
local strtail = setmetatable({}, {__index = "abc"})
print(pcall(function() return chain(2, strtail).len == string.len end))
local booltail = setmetatable({}, {__index = false})
print(pcall(function() return chain(2, booltail).x end))
-- a metatable without __index in the middle ends the chain with nil
local mid = setmetatable({}, {})
print(chain(2, mid).x)
-- __index removed, then set again: the absent-field cache must not stick
local mt = {__index = {k = "first"}}
local o = setmetatable({}, mt)
print(o.k)
mt.__index = nil
print(o.k)
mt.__index = {k = "second"}
print(o.k)
-- a method added to the class after objects use it, and an own field shadowing it
local Class = {}
Class.__index = Class
local inst = setmetatable({}, Class)
print(pcall(function() return inst:late() end))
function Class:late() return "late" end
print(inst:late())
inst.late = function() return "own" end
print(inst:late())
-- globals read through the environment's __index: tables, then a function
local env = setmetatable({}, {__index = setmetatable({}, {__index = {gx = "deep"}})})
local function reader() return gx, gy end
setfenv(reader, env)
print(reader())
setmetatable(env, {__index = function(_, k) return "fn:" .. k end})
print(reader())
