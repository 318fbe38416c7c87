local a, b = 1, 2
if a < b then x = 1 elseif a >= b then x = 2 else x = 3 end
local t = a ~= b
local u = not (a == b)
local v = a > b, a <= b
if a == 1 then end
if 1 < a then end
if a > 1 then end
if "a" <= a then end
