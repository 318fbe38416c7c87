-- newproxy's table of the metatables it made is weak, as in 5.1: a metatable lives as
-- long as some proxy holds it. A strong table kept every one, and its node part grew
-- with every proxy ever made.
local before = collectgarbage("count")
for j = 1, 40 do
  for i = 1, 500 do local u = newproxy(true) end
  collectgarbage()
end
collectgarbage()
print(collectgarbage("count") - before < 500)
-- A proxy made from another shares its metatable; a table is no proxy.
local a = newproxy(true)
local b = newproxy(a)
print(getmetatable(a) == getmetatable(b), pcall(newproxy, {}))
