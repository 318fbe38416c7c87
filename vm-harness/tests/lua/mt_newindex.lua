-- __newindex as function and as table
local log = {}
local t = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k .. "=" .. tostring(v) rawset(t, k, v) end})
t.a = 1
t.b = 2
t.a = 3 -- existing key: no __newindex
print(t.a, t.b, table.concat(log, " "))
-- __newindex table redirects the store
local store = {}
local proxy = setmetatable({}, {__newindex = store})
proxy.x = 10
print(rawget(proxy, "x"), store.x)
-- chained __newindex tables
local final = {}
local middle = setmetatable({}, {__newindex = final})
local front = setmetatable({}, {__newindex = middle})
front.k = "v"
print(rawget(front, "k"), rawget(middle, "k"), final.k)
-- read-only table
local function readonly(tbl)
  return setmetatable({}, {__index = tbl, __newindex = function(_, k) error("attempt to modify read-only field " .. tostring(k), 2) end})
end
local ro = readonly({x = 1})
print(ro.x)
print(pcall(function() ro.x = 2 end))
print(pcall(function() ro.y = 2 end))
-- __newindex not called when assigning nil to existing key
local calls = 0
local c = setmetatable({k = 1}, {__newindex = function() calls = calls + 1 end})
c.k = nil
print(calls, c.k)
c.k = 5 -- now absent -> __newindex
print(calls, rawget(c, "k"))
-- __newindex ignored by rawset
rawset(c, "r", "raw")
print(calls, c.r)
-- proxy tracking all accesses
local function track(inner)
  local accesses = {}
  local p = setmetatable({}, {
    __index = function(_, k) accesses[#accesses + 1] = "get " .. k return inner[k] end,
    __newindex = function(_, k, v) accesses[#accesses + 1] = "set " .. k inner[k] = v end,
  })
  return p, accesses
end
local p, acc = track({})
p.a = 1
p.b = p.a + 1
print(p.b, table.concat(acc, ", "))
-- __newindex with numeric keys and table.insert (raw in 5.1)
local nlog = {}
local arr = setmetatable({}, {__newindex = function(t, k, v) nlog[#nlog + 1] = k rawset(t, k, v) end})
arr[1] = "a"
table.insert(arr, "b")
print(#arr, table.concat(nlog, ","))
-- a nil slot inside the array part: __newindex still runs when there is a metatable
local holes = {}
local sparse = setmetatable({10, 20, 30}, {__newindex = function(t, k, v) holes[#holes + 1] = k rawset(t, k, v) end})
sparse[2] = nil
sparse[2] = 21
sparse[3] = 31
print(sparse[2], sparse[3], table.concat(holes, ","))
local plain = {10, 20, 30}
plain[2] = nil
plain[2] = 22
print(plain[1], plain[2], plain[3], #plain)
