-- coroutine create/resume/yield, values both ways
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return "done", a + b + c + d + e
end)
print(type(co))
print(coroutine.resume(co, 1, 2))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 100, 1000))
print(coroutine.resume(co))
-- yield with no values / many values
local co2 = coroutine.create(function()
  coroutine.yield()
  coroutine.yield(1, 2, 3, nil, 5)
  return
end)
print(coroutine.resume(co2))
print(coroutine.resume(co2))
print(select('#', coroutine.resume(co2)))
-- resume passes extra args as yield results (count preserved)
local co3 = coroutine.create(function(...)
  print("initial args", select('#', ...))
  print("yield returned", select('#', coroutine.yield()))
end)
coroutine.resume(co3, nil, nil)
coroutine.resume(co3, nil, nil, nil)
-- running
print(coroutine.running())
local co4
co4 = coroutine.create(function() print(coroutine.running() == co4) end)
coroutine.resume(co4)
-- yield from nested function calls inside the coroutine
local function helper(x) return coroutine.yield(x * 10) end
local co5 = coroutine.create(function() local r = helper(1) r = r + helper(2) return r end)
print(coroutine.resume(co5))
print(coroutine.resume(co5, 5))
print(coroutine.resume(co5, 6))
-- coroutine keeps its own locals between resumes
local co6 = coroutine.create(function()
  local acc = 0
  while true do
    local v = coroutine.yield(acc)
    if v == nil then break end
    acc = acc + v
  end
  return "final", acc
end)
coroutine.resume(co6)
for i = 1, 5 do coroutine.resume(co6, i) end
print(coroutine.resume(co6))
-- coroutines inside coroutines
local outer = coroutine.create(function()
  local inner = coroutine.create(function()
    coroutine.yield("inner-1")
    return "inner-done"
  end)
  print("outer sees", coroutine.resume(inner))
  coroutine.yield("outer-1")
  print("outer sees", coroutine.resume(inner))
  return "outer-done"
end)
print(coroutine.resume(outer))
print(coroutine.resume(outer))
-- yield inside a for loop over an iterator
local co7 = coroutine.create(function()
  for i, v in ipairs({"a", "b", "c"}) do coroutine.yield(i, v) end
end)
for i = 1, 4 do print(coroutine.resume(co7)) end
-- yield in the main thread is an error
print(pcall(coroutine.yield, 1))
