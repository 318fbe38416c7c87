for i = 1, 10 do
  for j = 1, 10 do
    if j > i then break end
    local k = i * j
    f(function() return k end)
  end
  while true do
    local w = i
    if w then break end
  end
end
