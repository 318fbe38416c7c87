local a, b, c, d, e, f, g, h = 1, 2, 3, 4, 5, 6, 7, 8
x = a + b * c - d / e % f ^ g .. h
y = (a + b) * (c - d)
z = a + (b + (c + (d + e)))
