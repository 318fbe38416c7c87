-- proper tail calls: no stack growth
local function loop(n) if n == 0 then return "done" end return loop(n - 1) end
print(loop(100000))
local function count(n, acc) if n == 0 then return acc end return count(n - 1, acc + 1) end
print(count(200000, 0))
-- mutual tail recursion
local even, odd
function even(n) if n == 0 then return true end return odd(n - 1) end
function odd(n) if n == 0 then return false end return even(n - 1) end
print(even(100000), odd(100001), even(7))
-- tail call through method
local obj = {}
function obj:step(n) if n == 0 then return self end return self:step(n - 1) end
print(obj:step(100000) == obj)
-- tail call returning multiple values
local function multi(n) if n == 0 then return 1, 2, 3 end return multi(n - 1) end
print(multi(50000))
-- tail call via vararg
local function va(n, ...) if n == 0 then return select('#', ...), ... end return va(n - 1, ...) end
print(va(100000, "a", "b"))
-- not a tail call: (f(x)) and f(x) + 0 keep frames; small depth only
local function nt(n) if n == 0 then return 0 end return (nt(n - 1)) end
print(nt(1000))
-- tail call to a C function
local function tc(s) return string.upper(s) end
print(tc("abc"))
-- tail call in a coroutine
local co = coroutine.wrap(function() return loop(100000) end)
print(co())
-- tail calls and error levels: a tail-called function's caller is gone
local function lvl() error("boom", 2) end
local function caller() return lvl() end
print(pcall(caller))
