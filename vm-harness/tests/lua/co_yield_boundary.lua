-- 5.1: yielding across pcall, metamethods, iterators called from C is an error
local co = coroutine.create(function()
  local ok, e = pcall(function() coroutine.yield("from inside pcall") end)
  return "pcall returned", ok, e
end)
print(coroutine.resume(co))
print(coroutine.status(co))
-- across a metamethod
local mt = {__index = function(t, k) return coroutine.yield(k) end}
co = coroutine.create(function() local t = setmetatable({}, mt) return t.key end)
print(coroutine.resume(co))
-- across table.sort comparator
co = coroutine.create(function() table.sort({3, 1, 2}, function(a, b) coroutine.yield() return a < b end) end)
print(coroutine.resume(co))
-- across string.gsub callback
co = coroutine.create(function() return (string.gsub("ab", ".", function(c) coroutine.yield(c) end)) end)
print(coroutine.resume(co))
-- across xpcall
co = coroutine.create(function() return xpcall(function() coroutine.yield(1) end, function(e) return "H:" .. e end) end)
print(coroutine.resume(co))
-- yield across a coroutine.wrap boundary: the inner wrap yields to its own caller
local w = coroutine.wrap(function() coroutine.yield("inner yield") return "inner done" end)
co = coroutine.create(function() local a = w() local b = w() coroutine.yield(a, b) return "end" end)
print(coroutine.resume(co))
print(coroutine.resume(co))
-- yield inside the iterator function of a generic for is ALSO an error in
-- 5.1 (OP_TFORLOOP calls the iterator through a C-level call); yielding in
-- the loop body is fine (see co_basic.lua)
co = coroutine.create(function()
  local function it(_, i) i = i + 1 if i <= 2 then coroutine.yield("it" .. i) return i end end
  for i in it, nil, 0 do end
  return "loop done"
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co))
-- the coroutine is dead after the boundary error
co = coroutine.create(function() pcall(coroutine.yield) return "after" end)
print(coroutine.resume(co))
print(coroutine.status(co))
