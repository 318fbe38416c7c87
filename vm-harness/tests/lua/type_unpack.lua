-- type, unpack with ranges, next
print(type(nil), type(true), type(0), type(""), type({}), type(print), type(type), type(coroutine.create(function() end)), type(newproxy()))
print(pcall(type))
print(type(type(1)))
-- unpack
print(unpack({1, 2, 3}))
print(unpack({1, 2, 3}, 2))
print(unpack({1, 2, 3}, 2, 3))
print(unpack({1, 2, 3}, 3, 2))
print(unpack({1, 2, 3}, -1, 1))
print(unpack({1, 2, 3}, 1, 5))
print(unpack({}))
print(select('#', unpack({})), select('#', unpack({}, 1, 3)), select('#', unpack({nil, nil}, 1, 2)))
print(unpack({"a", nil, "c"}, 1, 3))
print(unpack({n = 2, "x", "y"}))
print(unpack({[0] = "zero", "one"}, 0))
print(pcall(unpack))
print(pcall(unpack, {}, 1, 1e8))
-- unpack of numeric string ranges
print(unpack({1, 2, 3}, "2", "3"))
-- next
local t = {10}
print(next(t))
print(next(t, 1))
print(next({}, nil))
print(pcall(next, {}, "nokey"))
print(pcall(next, nil))
-- next visits every key exactly once
local keys = {a = 1, b = 2, c = 3, 1, 2, 3, [2.5] = "f", [true] = "b"}
local count, k = 0, nil
repeat
  k = next(keys, k)
  if k ~= nil then count = count + 1 end
until k == nil
print(count)
-- emptiness check idiom
print(next({}) == nil, next({x = 1}) ~= nil)
-- ipairs stops at the first nil even if later entries exist
local holes = {1, 2, nil, 4}
local c = 0
for _ in ipairs(holes) do c = c + 1 end
print(c)
local n = {[1] = "a", [2] = "b", [4] = "d"}
c = 0
for _ in ipairs(n) do c = c + 1 end
print(c)
-- ipairs with __index is not consulted in 5.1 (raw access)
local proxy = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 10 end end})
c = 0
for _, v in ipairs(proxy) do c = c + 1 end
print(c)
