local u = 0
function f() u = u + 1; g = u end
function h(p) return function() p = p or u; return p end end
