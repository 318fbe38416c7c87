for k, v in pairs(t) do print(k, v) end
for a in f do end
for a, b, c, d in f, s, c do x = d end
for k in next, t, nil, 1 do end
