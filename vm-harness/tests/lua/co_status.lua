-- coroutine.status in every state; resuming dead and running coroutines
local co
co = coroutine.create(function()
  print("inside:", coroutine.status(co))
  coroutine.yield()
  error("fail", 0)
end)
print(coroutine.status(co))
coroutine.resume(co)
print(coroutine.status(co))
print(coroutine.resume(co))
print(coroutine.status(co))
print(coroutine.resume(co))
print(coroutine.resume(co))
-- normal status: a coroutine that resumed another
local a, b
a = coroutine.create(function()
  coroutine.resume(b)
end)
b = coroutine.create(function()
  print("a is", coroutine.status(a), "b is", coroutine.status(b))
end)
coroutine.resume(a)
print(coroutine.status(a), coroutine.status(b))
-- resuming the running coroutine
local self
self = coroutine.create(function() return coroutine.resume(self) end)
print(coroutine.resume(self))
-- resuming a normal (non-suspended) coroutine
local p, q
p = coroutine.create(function() return coroutine.resume(q) end)
q = coroutine.create(function() return coroutine.resume(p) end)
print(coroutine.resume(p))
-- a coroutine that returns normally is dead
local done = coroutine.create(function() return 1 end)
print(coroutine.resume(done))
print(coroutine.status(done), coroutine.resume(done))
-- argument errors
print(pcall(coroutine.status, nil))
print(pcall(coroutine.resume, 1))
print(pcall(coroutine.create, 1))
print(pcall(coroutine.status, {}))
-- wrap around a dead coroutine
local w = coroutine.wrap(function() return "once" end)
print(w())
print(pcall(w))
