local f, g
f
(g)
