local a, b = 1, 2
x = a + b
local c
local d, e = c
y = nil
local f = x
