local obj = {}
function obj:m(x) return self.x + x end
function a.b.c.d() end
function a.b:c(...) return ... end
function obj.n() end
obj:m(1):m(2)
a.b:c(d):e(f)
