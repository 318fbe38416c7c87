-- small array parts from constructors: reads, growth, shrinking, traversal, #,
-- multiple results, and objects reachable only through the array slots
local function sorted_pairs(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) == "number"
  end)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = tostring(k) .. "=" .. tostring(t[k]) end
  return table.concat(out, " ")
end

-- constructors of every small size, and one just past them
for n = 1, 10 do
  local src = "return {" .. string.rep("0, ", n - 1) .. "0}"
  local t = loadstring(src)()
  for i = 1, n do t[i] = i * i end
  print(n, #t, t[n], t[n + 1], sorted_pairs(t))
end
print(#{nil, nil}, #{1, 2, 3, 4, 5, 6, 7, 8}, #{1, 2, 3, 4, 5, 6, 7, 8, 9})

-- growing past the constructor's size moves the items, in order
local g = {"a", "b"}
for i = 3, 40 do g[i] = string.char(96 + i % 26 + 1) end
print(#g, g[1], g[2], g[3], g[40], table.concat(g, "", 1, 10))
local g2 = {10, 20, 30, 40}
table.insert(g2, 1, 5)
table.insert(g2, 50)
print(#g2, table.concat(g2, ","))
print(table.remove(g2), table.remove(g2, 1), #g2, table.concat(g2, ","))

-- array and hash parts together
local h = {1, 2, 3, x = "x", y = "y"}
h[4] = 4
h.z = "z"
print(#h, sorted_pairs(h))

-- shrinking: empty the array part, fill the hash part so the table rehashes, then
-- grow the array part back
local s = {1, 2, 3, 4}
for i = 1, 4 do s[i] = nil end
for i = 1, 10 do s["k" .. i] = i end
print(#s, s[1], s.k1, s.k10)
for i = 1, 6 do s[i] = -i end
print(#s, s[1], s[6], s.k5, sorted_pairs(s))
local s2 = {1, 2, 3, 4, 5, 6, 7, 8}
for i = 3, 8 do s2[i] = nil end
for i = 1, 6 do s2["h" .. i] = true end
s2[3] = "back"
print(#s2, s2[1], s2[2], s2[3], s2[4])

-- next and pairs: every key once, with assignments to existing keys during the walk
local p = {"one", "two", "three", "four", n = 4}
local seen, visits = {}, 0
for k, v in pairs(p) do
  visits = visits + 1
  seen[k] = v
  if type(k) == "number" then p[k] = nil end
end
print(visits, seen[1], seen[4], seen.n, p[1], p[4], p.n)
print(next({}), next({7}), next({7}, 1), select("#", next({nil, 8})))
local a3 = {"x", "y", "z"}
local k1 = next(a3)
local k2 = next(a3, k1)
local k3 = next(a3, k2)
print(next(a3, k3), a3[k1] ~= nil and a3[k2] ~= nil and a3[k3] ~= nil)
print(pcall(next, {1, 2}, 3))
local ip = {}
for i, v in ipairs({"p", "q", "r", nil, "t"}) do ip[#ip + 1] = i .. v end
print(table.concat(ip, " "))

-- varargs and calls fill the array part through SETLIST
local function pack(...) return {...} end
local v = pack(1, 2, 3)
print(#v, v[3], #pack(), #pack(nil, nil, 3) >= 0, select("#", unpack(pack(1, 2, 3, 4, 5))))
local function three() return 7, 8, 9 end
local w = {0, three()}
print(#w, w[1], w[4], unpack({1, 2}))
-- a multiple result past a SETLIST flush (50 items), and one in a small frame
local many = {}
for i = 1, 60 do many[i] = {i} end
local packed = {0, unpack(many)}
local check = 0
for i = 2, 61 do check = check + packed[i][1] end
print(#packed, check, #pack(unpack(many)))

-- sorting and concatenation on small arrays
local st = {3, 1, 2}
table.sort(st)
print(table.concat(st, " "))
local st2 = {"d", "b", "c", "a", "e", "f", "h", "g"}
table.sort(st2, function(x, y) return x > y end)
print(table.concat(st2))

-- objects kept alive only through array slots, across collections
local list
for i = 1, 300 do list = {list, {i, tostring(i)}} end
collectgarbage()
local sum, len = 0, 0
while list do
  sum = sum + list[2][1] + #list[2][2]
  len = len + 1
  list = list[1]
end
print(len, sum)
local pairs_kept = {}
for i = 1, 50 do pairs_kept[i] = {{i}, {i * 2}} end
collectgarbage()
local total = 0
for i = 1, 50 do total = total + pairs_kept[i][1][1] + pairs_kept[i][2][1] end
print(total)
