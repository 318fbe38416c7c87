function a() return f(1) end
function b() return o:m() end
function c(...) return f(...) end
function d() return (f(1)) end
function e() return f(1), 2 end
