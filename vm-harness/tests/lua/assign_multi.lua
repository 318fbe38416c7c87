-- multiple assignment and evaluation order
local a, b = 1, 2
a, b = b, a
print(a, b)
local x, y, z = 1, 2, 3
x, y, z = z, x, y
print(x, y, z)
-- fewer values: nil fill; more values: dropped
local p, q, r = 1, 2
print(p, q, r)
p, q = 10, 20, 30
print(p, q)
-- function results only expanded in last position
local function two() return "a", "b" end
local m1, m2, m3 = two(), 5
print(m1, m2, m3)
m1, m2, m3 = 5, two()
print(m1, m2, m3)
m1, m2, m3 = (two())
print(m1, m2, m3)
-- all expressions are evaluated before assignment (manual example)
local i = 3
local t = {}
i, t[i] = i + 1, 20
print(i, t[3], t[4])
-- swap table fields
local s = {1, 2}
s[1], s[2] = s[2], s[1]
print(s[1], s[2])
-- order of right-hand side evaluation: left to right
local log = {}
local function v(n) log[#log + 1] = n return n end
local o1, o2, o3 = v(1), v(2), v(3)
print(table.concat(log, ","))
-- the order in which lua5.1 performs the stores (traced with __newindex)
local order = {}
local tr = setmetatable({}, {__newindex = function(t, k, val) order[#order + 1] = k .. "=" .. tostring(val) rawset(t, k, val) end})
tr.a, tr.b, tr.c = 1, 2, 3
print(table.concat(order, " "))
-- same target twice
local u = {}
u.x, u.x = 1, 2
print(u.x)
local w
w, w = "first", "second"
print(w)
-- assignment to globals and fields mixed
local obj = {}
g1, obj.f, obj["g"] = "G", "F", "GG"
print(g1, obj.f, obj.g)
-- nested index targets evaluated before assignment
local tt = {inner = {}}
local function getinner() log[#log + 1] = "get" return tt.inner end
log = {}
getinner().k, tt.n = v("val"), v("n")
print(tt.inner.k, tt.n, table.concat(log, ","))
