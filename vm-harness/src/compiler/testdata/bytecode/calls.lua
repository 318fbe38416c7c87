f()
f(1, 2)
f(g())
f(...)
local a, b = f(), g()
o:m(1)
o.a.b:c "str"
f {1}
f "x"
f [[y]]
f(1)(2)(3)
local c = f(g(h()))
a.b.c(d)
