-- local declarations, shadowing, block scope
x = "global x"
local x = "local x"
print(x, _G.x)
do
  local x = "inner"
  print(x)
  do
    local x = x .. "-nested"
    print(x)
  end
  print(x)
end
print(x)
-- local without value is nil
local a, b, c = 1
print(a, b, c)
-- extra values discarded
local d, e = 1, 2, 3
print(d, e)
-- local refers to outer in its initializer
local y = 10
do
  local y = y + 1
  print(y)
end
print(y)
-- local function can recurse, local f = function cannot see itself
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(10))
local g = function() return type(g) end
print(g())
g2 = "global g2"
local g2 = function() return g2 end
print(g2())
-- same name declared twice in one block: second shadows
local z = 1
local z = z + 1
print(z)
-- loop bodies are blocks
for i = 1, 2 do local inner = i * 10 print(inner) end
print(inner)
-- while block locals
local n = 0
while n < 2 do local w = n n = n + 1 end
print(w, n)
-- globals
undefined_global = nil
print(undefined_global, rawget(_G, "undefined_global"))
newglobal = 5
print(_G.newglobal, _G["newglobal"])
_G.viaG = "set via _G"
print(viaG)
-- many locals
local l1, l2, l3, l4, l5, l6, l7, l8, l9, l10 = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
print(l1 + l2 + l3 + l4 + l5 + l6 + l7 + l8 + l9 + l10)
