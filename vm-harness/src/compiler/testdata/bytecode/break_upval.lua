while true do
  local x
  f(function() return x end)
  if x then break end
end
for i = 1, 3 do
  do
    local y = i
    g(function() return y end)
    if y then break end
  end
end
