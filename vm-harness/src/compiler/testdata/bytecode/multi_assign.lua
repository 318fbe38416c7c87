a, b, c = 1
a, b = f()
a, b = 1, 2, 3
local x, y, z = f(), g()
local p, q = 1
x, y = y, x
a.b, c[d], e = 1, 2, 3
