-- upvalues: open, closed, shared between closures
local function counter()
  local n = 0
  return function() n = n + 1 return n end
end
local c1, c2 = counter(), counter()
print(c1(), c1(), c1(), c2(), c1(), c2())
-- two closures sharing one upvalue
local function pair()
  local v = 0
  local function get() return v end
  local function set(x) v = x end
  return get, set
end
local get, set = pair()
print(get()) set(42) print(get())
-- open upvalue: closure modifies a local of a still-active function
local function outer()
  local x = 1
  local function inc() x = x + 1 end
  inc() inc()
  print("x in outer", x)
  x = 100
  inc()
  return x
end
print(outer())
-- closure sees later assignment to local while open
local function late()
  local y = "before"
  local f = function() return y end
  y = "after"
  return f
end
print(late()())
-- nested closures three levels deep
local function l1()
  local a = 1
  return function()
    local b = 2
    return function()
      a = a + 1
      b = b + 1
      return a + b
    end
  end
end
local mid = l1()
local in1, in2 = mid(), mid()
print(in1(), in1(), in2(), in1())
-- upvalue of a parameter
local function adder(n) return function(m) return n + m end end
local add5 = adder(5)
print(add5(1), add5(10), adder(-1)(1))
-- closing upvalues when leaving a block
local fs = {}
do
  local shared = 0
  fs[1] = function() shared = shared + 1 return shared end
  fs[2] = function() return shared end
end
print(fs[1](), fs[1](), fs[2]())
-- upvalue captured after being changed in a loop-created block
local gs = {}
local k = 1
while k <= 3 do
  local captured = k * 10
  gs[k] = function() captured = captured + 1 return captured end
  k = k + 1
end
print(gs[1](), gs[1](), gs[2](), gs[3]())
-- recursion through an upvalue
local fib
fib = function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
-- upvalue holding a table
local function mk()
  local t = {}
  return function(k, v) if v ~= nil then t[k] = v end return t[k] end
end
local store = mk()
store("a", 1) store("b", 2)
print(store("a"), store("b"), store("c"))
