-- table.sort with and without comparator
local function show(t) return table.concat(t, " ") end
local t = {5, 2, 8, 1, 9, 3, 7, 4, 6, 0}
table.sort(t)
print(show(t))
table.sort(t, function(a, b) return a > b end)
print(show(t))
local s = {"pear", "apple", "fig", "banana", "cherry", "Apple", "apple2"}
table.sort(s)
print(show(s))
table.sort(s, function(a, b) return #a < #b or (#a == #b and a < b) end)
print(show(s))
-- already sorted / reverse sorted / all equal / two / one / empty
local a = {} for i = 1, 50 do a[i] = i end table.sort(a) print(a[1], a[25], a[50])
local r = {} for i = 1, 50 do r[i] = 51 - i end table.sort(r) print(r[1], r[25], r[50])
local eq = {} for i = 1, 20 do eq[i] = 7 end table.sort(eq) print(eq[1], eq[20])
local two = {2, 1} table.sort(two) print(show(two))
local one = {1} table.sort(one) print(show(one))
local empty = {} table.sort(empty) print(#empty)
-- floats and negatives
local f = {3.5, -1, 2.25, -10.5, 0, 1e10, -1e-3}
table.sort(f)
print(show(f))
-- sort records by field, stable order emulated by secondary key
local people = {
  {name = "ann", age = 30}, {name = "bob", age = 25}, {name = "cat", age = 30},
  {name = "dan", age = 20}, {name = "eve", age = 25},
}
table.sort(people, function(x, y) if x.age ~= y.age then return x.age < y.age end return x.name < y.name end)
local names = {}
for i, p in ipairs(people) do names[i] = p.name .. p.age end
print(show(names))
-- larger pseudo-random array (deterministic LCG, not math.random)
local seed = 12345
local function lcg() seed = (seed * 1103515245 + 12345) % 2147483648 return seed end
local big = {}
for i = 1, 2000 do big[i] = lcg() % 10000 end
table.sort(big)
local ok = true
for i = 2, #big do if big[i - 1] > big[i] then ok = false end end
print(ok, #big)
table.sort(big, function(x, y) return x > y end)
ok = true
for i = 2, #big do if big[i - 1] < big[i] then ok = false end end
print(ok)
-- sort errors
print(pcall(table.sort, {true, false, true}))
print(pcall(table.sort, {{}, {}}))
print(pcall(table.sort, nil))
print(pcall(table.sort, {1, 2}, 42))
