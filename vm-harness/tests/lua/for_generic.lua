-- generic for with pairs, ipairs, next, custom iterators
local function sortedkeys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) < type(b)
  end)
  return ks
end
local t = {10, 20, 30, x = "a", y = "b", [100] = "h"}
for _, k in ipairs(sortedkeys(t)) do print(k, t[k]) end
-- ipairs stops at first nil
local h = {1, 2, nil, 4}
local n = 0
for i, v in ipairs(h) do n = i end
print("ipairs stopped after", n)
-- ipairs on table with only hash part
local cnt = 0
for i, v in ipairs({a = 1}) do cnt = cnt + 1 end
print(cnt)
-- pairs count
local total = 0
for k, v in pairs(t) do total = total + 1 end
print("pairs visited", total)
-- next directly
print(next({}))
local k, v = next({"only"})
print(k, v)
print(next({"only"}, 1))
-- for with next explicitly
local c2 = 0
for k, v in next, {a = 1, b = 2, c = 3} do c2 = c2 + 1 end
print(c2)
-- stateless custom iterator
local function iter(s, i) i = i + 1 if i <= s then return i, i * i end end
for i, sq in iter, 5, 0 do io.write(i, ":", sq, " ") end
print()
-- closure iterator
local function chars(s)
  local i = 0
  return function() i = i + 1 if i <= #s then return s:sub(i, i), i end end
end
for ch, i in chars("lua") do io.write(ch, i, " ") end
print()
-- iterator returning several values, extra vars nil
for a, b, c, d in function(_, x) if not x then return 1, 2, 3 end end do print(a, b, c, d) end
-- modifying existing fields during pairs is allowed
local m = {a = 1, b = 2, c = 3}
for k in pairs(m) do m[k] = m[k] * 10 end
print(m.a, m.b, m.c)
-- clearing fields during traversal is allowed
for k in pairs(m) do m[k] = nil end
print(next(m))
-- loop variables are local copies
local arr = {"x", "y"}
for i, v in ipairs(arr) do i = 99 v = "changed" end
print(arr[1], arr[2])
-- pairs returns next, t, nil
local f, s, init = pairs(t)
print(f == next, s == t, init)
local f2, s2, i2 = ipairs(t)
print(type(f2), s2 == t, i2)
-- errors
print(pcall(function() for k in pairs(nil) do end end))
print(pcall(function() for k in 42 do end end))
-- string.gmatch as iterator
local words = {}
for w in ("the quick brown fox"):gmatch("%a+") do words[#words + 1] = w:upper() end
print(table.concat(words, "_"))
-- ipairs with a large array
local big = {}
for i = 1, 1000 do big[i] = i end
local s = 0
for _, v in ipairs(big) do s = s + v end
print(s)
