-- memoized fibonacci, naive fib for comparison, and a generic memoize
local calls = 0
local function naive(n) calls = calls + 1 if n < 2 then return n end return naive(n - 1) + naive(n - 2) end
print(naive(20), calls)
local memo = {}
local mcalls = 0
local function fib(n)
  mcalls = mcalls + 1
  if n < 2 then return n end
  local v = memo[n]
  if v then return v end
  v = fib(n - 1) + fib(n - 2)
  memo[n] = v
  return v
end
print(fib(20), mcalls)
for _, n in ipairs({30, 50, 70, 78, 90}) do print(n, fib(n)) end
print(string.format("%.0f", fib(78)))
-- generic memoize with a weak-keyed cache per function
local function memoize(f)
  local cache = {}
  return function(x)
    local v = cache[x]
    if v == nil then v = f(x) cache[x] = v end
    return v
  end
end
local slowsquare_calls = 0
local sq = memoize(function(x) slowsquare_calls = slowsquare_calls + 1 return x * x end)
for i = 1, 3 do sq(4) sq(5) end
print(sq(4), sq(5), slowsquare_calls)
-- iterative fib with big numbers (floats)
local a, b = 0, 1
for i = 1, 100 do a, b = b, a + b end
print(a)
-- fib via matrix exponentiation (floats, exact up to 2^53)
local function matmul(m, n)
  return {m[1] * n[1] + m[2] * n[3], m[1] * n[2] + m[2] * n[4], m[3] * n[1] + m[4] * n[3], m[3] * n[2] + m[4] * n[4]}
end
local function matpow(m, p)
  if p == 1 then return m end
  if p % 2 == 0 then local h = matpow(m, p / 2) return matmul(h, h) end
  return matmul(m, matpow(m, p - 1))
end
print(matpow({1, 1, 1, 0}, 70)[2] == fib(70))
