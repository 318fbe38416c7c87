-- generators and producer/consumer pipelines with coroutines
local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local function filter(pred, g)
  return coroutine.wrap(function() for v in g do if pred(v) then coroutine.yield(v) end end end)
end
local function map(f, g)
  return coroutine.wrap(function() for v in g do coroutine.yield(f(v)) end end)
end
local out = {}
for v in map(function(x) return x * x end, filter(function(x) return x % 3 == 0 end, gen(30))) do
  out[#out + 1] = v
end
print(table.concat(out, " "))
-- fibonacci generator
local function fibgen()
  return coroutine.wrap(function()
    local a, b = 0, 1
    while true do coroutine.yield(a) a, b = b, a + b end
  end)
end
local f = fibgen()
local fibs = {}
for i = 1, 20 do fibs[i] = f() end
print(table.concat(fibs, ","))
-- tree walker
local tree = {v = 4, l = {v = 2, l = {v = 1}, r = {v = 3}}, r = {v = 6, l = {v = 5}, r = {v = 7}}}
local function walk(node)
  if node then walk(node.l) coroutine.yield(node.v) walk(node.r) end
end
local vals = {}
for v in coroutine.wrap(function() walk(tree) end) do vals[#vals + 1] = v end
print(table.concat(vals, " "))
-- producer / consumer
local function producer()
  return coroutine.create(function()
    for _, w in ipairs({"alpha", "beta", "gamma"}) do coroutine.yield(w) end
    return nil
  end)
end
local function consume(p)
  local got = {}
  while true do
    local ok, v = coroutine.resume(p)
    if not v then break end
    got[#got + 1] = v:upper()
  end
  return table.concat(got, "+")
end
print(consume(producer()))
-- many coroutines alive at once
local cos = {}
for i = 1, 100 do
  cos[i] = coroutine.create(function(x) local y = coroutine.yield(x * 2) return x + y end)
end
local s1, s2 = 0, 0
for i = 1, 100 do local _, v = coroutine.resume(cos[i], i) s1 = s1 + v end
for i = 1, 100 do local _, v = coroutine.resume(cos[i], 1) s2 = s2 + v end
print(s1, s2)
-- round robin scheduler
local tasks, log = {}, {}
for id = 1, 3 do
  tasks[#tasks + 1] = coroutine.create(function()
    for step = 1, id do log[#log + 1] = id .. "." .. step coroutine.yield() end
  end)
end
while #tasks > 0 do
  for i = #tasks, 1, -1 do
    coroutine.resume(tasks[i])
    if coroutine.status(tasks[i]) == "dead" then table.remove(tasks, i) end
  end
end
print(table.concat(log, " "))
-- deep yields (yield from deep recursion)
local deep = coroutine.wrap(function()
  local function rec(n) if n == 0 then coroutine.yield("bottom") return 0 end return 1 + rec(n - 1) end
  coroutine.yield(rec(150))
end)
print(deep(), deep())
