local a, b, c
local x = a and b or c
local y = not a
local z = a and not b
if a and b or c then x = 1 end
local w = (a or b) and c
local v = a or b or c
local u = a and b and c
local s = not not a
local r = a == b
local q = (a and b) == (c or a)
