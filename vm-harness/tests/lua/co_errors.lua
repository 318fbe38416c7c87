-- errors inside coroutines
local co = coroutine.create(function() error("oops") end)
print(coroutine.resume(co))
print(coroutine.status(co))
co = coroutine.create(function() error({code = 5}) end)
local ok, e = coroutine.resume(co)
print(ok, type(e), e.code)
co = coroutine.create(function() local t = nil return t[1] end)
print(coroutine.resume(co))
-- error after some yields
co = coroutine.create(function()
  coroutine.yield(1)
  coroutine.yield(2)
  error("third time", 0)
end)
for i = 1, 4 do print(coroutine.resume(co)) end
-- pcall inside the coroutine catches errors without killing it
co = coroutine.create(function()
  local ok, e = pcall(error, "caught inside", 0)
  coroutine.yield(ok, e)
  return "still alive"
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
-- error with level 2 inside coroutine
co = coroutine.create(function()
  local function check(x) if not x then error("check failed", 2) end end
  check(false)
end)
print(coroutine.resume(co))
-- error in nested coroutine propagates only to its resumer
local outer = coroutine.create(function()
  local inner = coroutine.create(function() error("inner error", 0) end)
  local ok, e = coroutine.resume(inner)
  coroutine.yield("inner result: " .. tostring(ok) .. " " .. e)
  error("outer error", 0)
end)
print(coroutine.resume(outer))
print(coroutine.resume(outer))
-- wrap propagates to the caller as an ordinary error
local w = coroutine.wrap(function() coroutine.yield("first") error("from wrap", 0) end)
print(w())
print(pcall(w))
-- errors from C functions inside coroutines
co = coroutine.create(function() return string.rep() end)
print(coroutine.resume(co))
-- stack overflow inside a coroutine is caught by resume
co = coroutine.create(function() local function r() return 1 + r() end return r() end)
local ok2, e2 = coroutine.resume(co)
print(ok2, string.find(e2, "stack overflow", 1, true) ~= nil)
-- resuming with an error object containing a coroutine reference
local holder = {}
co = coroutine.create(function() error(holder) end)
local ok3, e3 = coroutine.resume(co)
print(ok3, e3 == holder)
