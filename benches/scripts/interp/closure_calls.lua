-- Interpreter benchmark: closures calling closures through upvalues, small recursive
-- calls and tail calls. Allocates a few closures per outer round.
-- Usage: closure_calls.lua [n] (default 3000000)
local function counter()
  local c = 0
  return function(d)
    c = c + d
    return c
  end
end

local function compose(f, g)
  return function(x)
    return f(g(x))
  end
end

local function ackermann(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ackermann(m - 1, 1) end
  return ackermann(m - 1, ackermann(m, n - 1))
end

local function loop(i, acc)
  if i == 0 then return acc end
  return loop(i - 1, acc + i)
end

local n = tonumber(arg and arg[1]) or 3000000
local inc = counter()
local add1 = function(x) return x + 1 end
local twice = function(x) return x * 2 end
local f = compose(add1, compose(twice, add1))
local sum = 0
for i = 1, n do
  sum = (sum + f(i) + inc(1)) % 1000003
end
for _ = 1, math.floor(n / 1000) do
  sum = (sum + ackermann(2, 20) + loop(200, 0)) % 1000003
end
io.write(string.format("checksum closure_calls %d %d\n", n, sum))
