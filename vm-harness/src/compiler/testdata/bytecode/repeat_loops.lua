local x = 10
repeat local y = x; x = x - 1 until y < 0
repeat until true
repeat local z = f(); g(function() return z end) until z
repeat if x then break end until false
