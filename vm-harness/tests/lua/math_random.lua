-- math.random / randomseed: only range and type checks, never exact values
math.randomseed(42)
local ok = true
for i = 1, 1000 do
  local r = math.random()
  if type(r) ~= "number" or r < 0 or r >= 1 then ok = false end
end
print("random() in [0,1)", ok)
ok = true
local seen = {}
for i = 1, 2000 do
  local r = math.random(6)
  if r < 1 or r > 6 or r ~= math.floor(r) then ok = false end
  seen[r] = true
end
local all = true
for i = 1, 6 do if not seen[i] then all = false end end
print("random(6) in 1..6", ok, "all faces seen", all)
ok = true
for i = 1, 1000 do
  local r = math.random(-5, 5)
  if r < -5 or r > 5 or r ~= math.floor(r) then ok = false end
end
print("random(-5,5)", ok)
print("random(3,3)", math.random(3, 3))
print("random(1)", math.random(1))
-- same seed gives the same sequence
math.randomseed(123)
local a = {math.random(1000), math.random(1000), math.random(1000)}
math.randomseed(123)
local b = {math.random(1000), math.random(1000), math.random(1000)}
print("reproducible", a[1] == b[1] and a[2] == b[2] and a[3] == b[3])
-- argument errors
print(pcall(function() return math.random(0) end))
print(pcall(function() return math.random(5, 1) end))
print(pcall(function() return math.random(1, 2, 3) end))
-- shuffle keeps all elements
local t = {}
for i = 1, 20 do t[i] = i end
for i = #t, 2, -1 do local j = math.random(i) t[i], t[j] = t[j], t[i] end
table.sort(t)
local same = true
for i = 1, 20 do if t[i] ~= i then same = false end end
print("shuffle is a permutation", same)
