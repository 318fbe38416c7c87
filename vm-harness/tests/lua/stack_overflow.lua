-- deep recursion: "stack overflow" errors are catchable
local function has_so(e) return type(e) == "string" and e:find("stack overflow", 1, true) ~= nil end
local function rec(n) return 1 + rec(n + 1) end
local ok, e = pcall(rec, 1)
print(ok, has_so(e))
-- after overflow, the state is usable and deep-but-finite recursion still works
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(5000))
ok, e = pcall(rec, 1)
print(ok, has_so(e))
-- mutual recursion overflow
local a, b
function a(n) return b(n) + 1 end
function b(n) return a(n) + 1 end
ok, e = pcall(a, 1)
print(ok, has_so(e))
-- overflow through __index metamethod chains (C stack)
local t = setmetatable({}, {})
getmetatable(t).__index = function(tbl, k) return tbl[k .. "x"] end
ok, e = pcall(function() return t.a end)
print(ok, has_so(e))
-- overflow with a table-valued error handler present in xpcall
ok, e = xpcall(function() return rec(1) end, function(m) return "handled: " .. tostring(has_so(m)) end)
print(ok, e)
-- overflow inside a coroutine
local co = coroutine.create(function() return rec(1) end)
ok, e = coroutine.resume(co)
print(ok, has_so(e), coroutine.status(co))
-- recursion through pcall itself
local function prec(n) local ok, r = pcall(prec, n + 1) if not ok then error(r, 0) end return r end
ok, e = pcall(prec, 1)
print(ok, has_so(e) or (type(e) == "string" and e:find("C stack overflow", 1, true) ~= nil) or e == "error in error handling")
-- tail calls never overflow
local function tail(n) if n == 0 then return "tail ok" end return tail(n - 1) end
print(tail(1000000))
