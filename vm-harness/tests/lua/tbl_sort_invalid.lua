-- "invalid order function for sorting" and other comparator misbehaviour.
-- These outcomes depend on Lua 5.1's exact quicksort (ltablib.c auxsort):
-- an implementation must use the same algorithm to reproduce them.
for n = 1, 8 do
  local t = {}
  for i = 1, n do t[i] = i end
  print(n, pcall(table.sort, t, function(a, b) return true end))
end
-- a non-strict comparator (<=) on distinct values happens to work here
local t = {5, 3, 1, 4, 2}
print(pcall(table.sort, t, function(a, b) return a <= b end))
print(table.concat(t, " "))
-- on equal values it runs off the end of the array and compares nil
local eq = {1, 1, 1, 1, 1}
local ok, e = pcall(table.sort, eq, function(a, b) return a <= b end)
print(ok, e)
-- a comparator that always returns false leaves a valid permutation
local f = {3, 1, 2}
print(pcall(table.sort, f, function() return false end))
table.sort(f)
print(table.concat(f, " "))
-- comparator raising an error
print(pcall(table.sort, {2, 1}, function(a, b) error("cmp error", 0) end))
-- comparator returning non-booleans (truthiness is used)
local g = {3, 1, 2}
table.sort(g, function(a, b) if a < b then return 1 end return nil end)
print(table.concat(g, " "))
