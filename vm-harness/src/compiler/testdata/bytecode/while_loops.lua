local x = 0
while x < 10 do x = x + 1 end
while true do if x then break end end
while x do
  local y = x
  if y > 5 then break end
  x = y - 1
end
while nil do end
