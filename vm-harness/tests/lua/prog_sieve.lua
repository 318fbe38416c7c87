-- sieve of Eratosthenes and a few number-theory helpers
local function sieve(n)
  local is = {}
  for i = 2, n do is[i] = true end
  for i = 2, math.floor(math.sqrt(n)) do
    if is[i] then for j = i * i, n, i do is[j] = false end end
  end
  local primes = {}
  for i = 2, n do if is[i] then primes[#primes + 1] = i end end
  return primes
end
local p = sieve(100)
print(#p, table.concat(p, " "))
local big = sieve(100000)
print(#big, big[#big], big[1000])
-- gcd / lcm
local function gcd(a, b) while b ~= 0 do a, b = b, a % b end return a end
local function lcm(a, b) return a / gcd(a, b) * b end
print(gcd(48, 18), gcd(17, 5), gcd(0, 9), lcm(4, 6), lcm(21, 6))
local l = 1
for i = 1, 20 do l = lcm(l, i) end
print(l)
-- prime factorization
local function factor(n)
  local f = {}
  local d = 2
  while d * d <= n do
    while n % d == 0 do f[#f + 1] = d n = n / d end
    d = d + 1
  end
  if n > 1 then f[#f + 1] = n end
  return table.concat(f, "*")
end
for _, n in ipairs({2, 12, 97, 360, 1001, 65536, 999999, 2147483647}) do print(n, factor(n)) end
-- perfect numbers below 10000
local perfect = {}
for n = 2, 10000 do
  local s = 1
  for d = 2, math.floor(math.sqrt(n)) do
    if n % d == 0 then s = s + d local o = n / d if o ~= d then s = s + o end end
  end
  if s == n then perfect[#perfect + 1] = n end
end
print(table.concat(perfect, " "))
-- collatz longest chain under 10000
local best, bestlen = 1, 1
local cache = {[1] = 1}
local function clen(n)
  if cache[n] then return cache[n] end
  local nxt = (n % 2 == 0) and n / 2 or 3 * n + 1
  local v = 1 + clen(nxt)
  cache[n] = v
  return v
end
for i = 1, 9999 do local c = clen(i) if c > bestlen then best, bestlen = i, c end end
print(best, bestlen)
