-- multiple results and truncation rules
local function none() end
local function one() return 1 end
local function three() return 1, 2, 3 end
print(three())
print(three(), "x")
print("x", three())
print((three()))
print(none())
print(none(), "after")
print("before", none())
local t = {three(), three()}
print(#t)
t = {three(), none()}
print(#t)
t = {none(), three()}
print(#t, t[1], t[2])
-- in arithmetic only the first value is used
print(three() + 10)
-- as arguments
print(math.max(three()), math.max(three(), 0))
-- string concatenation
print(three() .. "!")
-- return f() returns all; return (f()) returns one
local function all() return three() end
local function paren() return (three()) end
print(all())
print(paren())
-- return with list
local function mix() return one(), three() end
print(mix())
local function mix2() return three(), one() end
print(mix2())
-- none() in expression context is nil
print(none() == nil, pcall(function() return type(none()) end))
print(pcall(type))
-- assignment truncation
local a, b, c, d = three()
print(a, b, c, d)
a, b, c, d = three(), 10
print(a, b, c, d)
-- select / table.unpack (5.1 unpack)
print(unpack({three()}))
-- nested calls forward all results
print(select('#', three()), select('#', (three())), select('#', none()))
-- methods returning many
local obj = {}
function obj:vals() return self, 1, 2 end
local s, x, y = obj:vals()
print(s == obj, x, y)
-- vararg with returns in the middle
print(string.format("%d %d %d", three()))
print(pcall(function() return string.format("%d %d %d", (three())) end))
