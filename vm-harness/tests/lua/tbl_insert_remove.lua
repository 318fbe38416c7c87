-- table.insert and table.remove
local function show(t) local o = {} for i = 1, #t do o[i] = tostring(t[i]) end return "{" .. table.concat(o, ",") .. "}" end
local t = {}
table.insert(t, "a")
table.insert(t, "b")
table.insert(t, 1, "front")
table.insert(t, 2, "second")
table.insert(t, #t + 1, "end")
print(show(t), #t)
print(table.remove(t), show(t))
print(table.remove(t, 1), show(t))
print(table.remove(t, 2), show(t))
print(table.remove(t), table.remove(t), show(t))
print(table.remove(t), show(t))
-- remove from empty table returns nothing (5.1)
local e = {}
print(select('#', table.remove(e)), table.remove(e))
print(select('#', table.remove(e, 1)))
-- insert with position in the middle shifts elements up
local n = {1, 2, 3, 4, 5}
table.insert(n, 3, 99)
print(show(n))
table.remove(n, 3)
print(show(n))
-- insert at position beyond #t+1 (5.1 allows it: sets t[pos])
local b = {1, 2}
table.insert(b, 5, "five")
print(b[5], #b == 2 or #b == 5)
-- wrong number of arguments
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.insert, {}))
print(pcall(table.insert, nil, 1))
-- remove with position out of range
local r = {1, 2, 3}
print(table.remove(r, 7), show(r))
-- insert nil value
local v = {1, 2, 3}
table.insert(v, 2, nil)
print(v[1], v[2], v[3], v[4])
-- queue / stack usage
local stack = {}
for i = 1, 5 do table.insert(stack, i * i) end
local popped = {}
while #stack > 0 do popped[#popped + 1] = table.remove(stack) end
print(table.concat(popped, " "))
local queue = {}
for i = 1, 5 do table.insert(queue, i) end
local deq = {}
while #queue > 0 do deq[#deq + 1] = table.remove(queue, 1) end
print(table.concat(deq, " "))
-- table.getn / table.setn (5.1 compat)
print(table.getn({1, 2, 3}), table.getn({}))
print(pcall(table.setn, {}, 3))
-- table.maxn
print(table.maxn({}), table.maxn({1, 2, 3}), table.maxn({[10] = 1, [2.5] = 2, x = 3}), table.maxn({[-1] = 1}))
