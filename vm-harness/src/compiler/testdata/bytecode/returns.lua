function r0() return end
function r1() return 1 end
function r2() return 1, 2 end
function r3() return f() end
function r4(...) return ... end
function r5() return (f()) end
function r6(a) return a end
function r7(a) return a.b end
function r8() return f(), g() end
function r9() local x = 1; return x, f() end
function r10() return o:m() end
