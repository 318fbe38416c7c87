-- while, repeat and break
local i = 0
while i < 5 do i = i + 1 end
print(i)
while false do print("never") end
local n = 0
while true do n = n + 1 if n == 7 then break end end
print(n)
-- repeat runs at least once
local r = 0
repeat r = r + 1 until true
print(r)
-- until sees locals declared in the body
local k = 0
repeat
  local done = k >= 3
  k = k + 1
until done
print(k)
-- break inside nested loops only exits innermost
local log = {}
for a = 1, 3 do
  for b = 1, 3 do
    if b == 2 then break end
    log[#log + 1] = a .. b
  end
end
print(table.concat(log, " "))
-- break in repeat
local x = 0
repeat x = x + 1 if x == 4 then break end until false
print(x)
-- break as last statement of a block with code after the loop
local found
for idx, v in ipairs({5, 8, 13, 21}) do
  if v % 2 == 0 then found = idx break end
end
print(found)
-- while with complex condition
local a, b = 0, 10
while a < b and b > 5 do a = a + 1 b = b - 1 end
print(a, b)
-- loop with closures and break
local fns = {}
local j = 0
while true do
  j = j + 1
  local captured = j
  fns[j] = function() return captured end
  if j == 3 then break end
end
print(fns[1](), fns[2](), fns[3]())
-- repeat with upvalue in until expression
local m = 0
repeat
  local v = m
  local function f() return v end
  m = m + 1
until f() >= 2
print(m)
-- condition values: only nil and false are false
local vals = {0, "", "false", {}, false, nil}
for idx = 1, 6 do
  local v = vals[idx]
  local c = 0
  while v do c = c + 1 break end
  print(idx, c)
end
