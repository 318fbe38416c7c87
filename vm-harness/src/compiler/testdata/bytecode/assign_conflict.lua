local a, i = {}, 1
a[i], i = i, 2
local t
t.x, t = 1, 2
i, a[i] = a[i], 3
a[i], a = 1, 2
