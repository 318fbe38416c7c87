for i = 1, 10 do x = i end
for i = 10, 1, -1 do end
for i = a, b, c do local y = i end
for i = 1, 2, 0.5 do
  for j = i, 3 do f(i, j) end
end
