-- closures as values: factories, composition, currying, memo
local function compose(f, g) return function(...) return f(g(...)) end end
local function double(x) return x * 2 end
local function inc(x) return x + 1 end
print(compose(double, inc)(5), compose(inc, double)(5))
local function curry3(f) return function(a) return function(b) return function(c) return f(a, b, c) end end end end
print(curry3(function(a, b, c) return a .. b .. c end)("x")("y")("z"))
-- map / filter / reduce
local function map(t, f) local r = {} for i = 1, #t do r[i] = f(t[i]) end return r end
local function filter(t, p) local r = {} for i = 1, #t do if p(t[i]) then r[#r + 1] = t[i] end end return r end
local function reduce(t, f, acc) for i = 1, #t do acc = f(acc, t[i]) end return acc end
local nums = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
print(table.concat(map(nums, function(x) return x * x end), ","))
print(table.concat(filter(nums, function(x) return x % 2 == 0 end), ","))
print(reduce(nums, function(a, b) return a + b end, 0))
-- functions are first-class values; equality is identity
local f1 = function() end
local f2 = function() end
print(f1 == f1, f1 == f2, type(f1))
-- a closure created from the same prototype twice is not equal
local function mk() return function() end end
print(mk() == mk())
-- functions as table fields and methods
local obj = {n = 0}
function obj.inc(self, k) self.n = self.n + (k or 1) return self end
function obj:get() return self.n end
obj:inc():inc(5)
print(obj:get(), obj.get(obj))
-- nested function definitions with dotted names
local ns = {a = {b = {}}}
function ns.a.b.f(x) return "nsf" .. x end
function ns.a.b:m(x) return self == ns.a.b, x end
print(ns.a.b.f(1), ns.a.b:m(2))
-- recursive anonymous via Y-ish combinator
local function Y(f) return function(...) return f(Y(f), ...) end end
local fact = Y(function(self, n) if n == 0 then return 1 end return n * self(n - 1) end)
print(fact(12))
-- closures capturing varargs via table
local function bind(f, ...)
  local args = {...}
  local n = select('#', ...)
  return function(...) 
    local all = {}
    for i = 1, n do all[i] = args[i] end
    local m = select('#', ...)
    for i = 1, m do all[n + i] = select(i, ...) end
    return f(unpack(all, 1, n + m))
  end
end
print(bind(math.max, 3, 9)(4, 1), bind(string.format, "%s-%s-%s", "a")("b", "c"))
-- iterator closure
local function range(n, step)
  local i = 0
  return function() i = i + (step or 1) if i <= n then return i end end
end
local acc = {}
for v in range(10, 3) do acc[#acc + 1] = v end
print(table.concat(acc, " "))
-- string.dump exists in 5.1 (do not print the bytes)
print(type(string.dump(function() return 1 end)))
