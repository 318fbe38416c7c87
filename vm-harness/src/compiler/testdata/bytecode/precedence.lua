x = 1 + 2 * 3 ^ 2 ^ 0.5 .. "x" .. 2 == 3 and not 4 or 5 < 6
x = -2 ^ 2
x = not a == b
x = a .. b .. c == d
x = 2 ^ -3
x = a < b == (c > d)
x = #t + 1
x = -a ^ b
