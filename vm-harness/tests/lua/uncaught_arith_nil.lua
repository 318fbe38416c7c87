local count
for i = 1, 3 do print(i) end
count = count + 1
