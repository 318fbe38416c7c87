-- debug.getinfo: every option letter, levels, functions, threads, errors.
local function keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks)
  return table.concat(ks, " ")
end

local main = debug.getinfo(1)
print(keys(main))
print(main.what, main.source, main.short_src, main.currentline, main.linedefined,
      main.lastlinedefined, main.nups, main.name, main.namewhat)

local function named(a, b)
  local i = debug.getinfo(1, "nSlu")
  return i.name, i.namewhat, i.what, i.linedefined, i.lastlinedefined, i.currentline, i.nups
end
print(named())
local t = { m = named }
print(t.m())
print(t:m())
local up = 1
local function withup() return up end
print(debug.getinfo(withup, "u").nups, debug.getinfo(withup, "l").currentline)

local c = debug.getinfo(print)
print(keys(c))
print(c.what, c.source, c.short_src, c.currentline, c.linedefined, c.lastlinedefined, c.nups)
print(debug.getinfo(print, "f").func == print, debug.getinfo(1, "f").func ~= nil)

local lines = debug.getinfo(named, "L").activelines
local ls = {}
for l in pairs(lines) do ls[#ls + 1] = l end
table.sort(ls)
print(table.concat(ls, " "), debug.getinfo(print, "L").activelines)

-- levels: 0 is getinfo itself, past the stack is nil
print(debug.getinfo(0, "n").name, debug.getinfo(0, "S").what)
print(debug.getinfo(100))
local function depth()
  local n = 1
  while debug.getinfo(n, "S") do n = n + 1 end
  return n
end
print(depth() > 2)

-- a tail call loses its caller
local function tail() return debug.getinfo(2, "Sln") end
local function caller() return tail() end
local ti = caller()
print(ti.what, ti.source, ti.short_src, ti.currentline, ti.linedefined, ti.name, ti.namewhat)
print(debug.getinfo(-1, "S").what)

-- loadstring sources
local f = loadstring("return debug.getinfo(1, 'S')")
local s = f()
print(s.source, s.short_src, s.what)
local g = loadstring("return debug.getinfo(1, 'S')", "=custom")
print(g().source, g().short_src)
local h = loadstring("\n\nreturn debug.getinfo(1, 'S')", "@named.lua")
print(h().source, h().short_src)

-- threads
local co = coroutine.create(function(x)
  local inside = x
  coroutine.yield(inside)
end)
coroutine.resume(co, 42)
local ci = debug.getinfo(co, 1, "Sln")
print(ci.what, ci.currentline, ci.linedefined)
print(debug.getinfo(co, 0, "Sn").what, debug.getinfo(co, 0, "n").name)
print(debug.getinfo(co, 5))

-- errors
print(pcall(debug.getinfo, 1, "x"))
print(pcall(debug.getinfo, "x"))
print(pcall(debug.getinfo, {}))
print(pcall(debug.getinfo))
print(pcall(debug.getinfo, co, "x"))
