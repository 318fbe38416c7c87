-- varargs and ...
local function count(...) return select('#', ...) end
print(count(), count(nil), count(nil, nil), count(1, nil, 3, nil))
local function pass(...) return ... end
print(pass(1, 2, 3))
print(pass())
print((pass(1, 2, 3)))
local function first(...) local a = ... return a end
print(first(9, 8, 7))
local function two(...) local a, b = ... return a, b end
print(two(1), two(1, 2, 3))
-- ... in table constructor
local function pack(...) return {...}, select('#', ...) end
local t, n = pack(1, nil, 3)
print(n, t[1], t[2], t[3])
-- ... in the middle of a list is truncated to one value
local function mid(...) return ..., "end" end
print(mid(1, 2, 3))
print(mid())
-- ... combined with named parameters
local function named(a, b, ...) return a, b, select('#', ...), ... end
print(named(1))
print(named(1, 2, 3, 4))
-- passing ... on to another function
local function wrap(...) return count(...), count(..., "x"), count("x", ...) end
print(wrap(1, 2, 3))
print(wrap())
-- varargs in main chunk
print(select('#', ...), ...)
-- arg table implicit in vararg functions (5.1 compat: LUA_COMPAT_VARARG)
local function old(...) return type(arg) end
print(old(1, 2))
-- sum with varargs
local function sum(...)
  local s = 0
  for i = 1, select('#', ...) do s = s + (select(i, ...)) end
  return s
end
print(sum(), sum(1), sum(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
-- many varargs
local big = {}
for i = 1, 200 do big[i] = i end
print(count(unpack(big)), sum(unpack(big)))
-- string.format with varargs
local function fmt(...) return string.format(...) end
print(fmt("%d-%s", 5, "x"))
-- vararg nil-preservation through calls
print(count(pass(nil, nil, nil)))
