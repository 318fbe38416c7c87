-- coroutine.wrap: generators and error propagation
local gen = coroutine.wrap(function(a)
  local b = coroutine.yield(a + 1)
  local c = coroutine.yield(b + 1)
  return c + 1
end)
print(gen(1), gen(10), gen(100))
-- wrap as an iterator
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local t = {}
for i in range(5) do t[#t + 1] = i end
print(table.concat(t, ","))
-- errors propagate through wrap with position info
local failing = coroutine.wrap(function() error("wrapped failure") end)
print(pcall(failing))
local failing0 = coroutine.wrap(function() error("no pos", 0) end)
print(pcall(failing0))
local tableerr = coroutine.wrap(function() error({code = 1}) end)
local ok, e = pcall(tableerr)
print(ok, type(e), e.code)
-- runtime error inside wrap
local rt = coroutine.wrap(function() local x = nil return x.field end)
print(pcall(rt))
-- calling a dead wrapped coroutine
local once = coroutine.wrap(function() end)
once()
print(pcall(once))
-- wrap returning multiple values
local multi = coroutine.wrap(function(...) coroutine.yield(...) return "end", select('#', ...) end)
print(multi(1, nil, 3))
print(multi())
-- type of wrap result
print(type(coroutine.wrap(function() end)))
-- permutations generator (PIL)
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a) else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local function permutations(a)
  return coroutine.wrap(function() permgen(a) end)
end
for p in permutations({"a", "b", "c"}) do print(table.concat(p)) end
-- wrap inside wrap
local outer = coroutine.wrap(function()
  local inner = coroutine.wrap(function() coroutine.yield(1) coroutine.yield(2) end)
  coroutine.yield(inner() + inner())
end)
print(outer())
