local a
function f()
  a = 1
  local b
  return function() return a, b end
end
local function g() return a end
local h = function(p, q) return function(r) return p + q + r + a end end
