local t = {}
local x = 10 * t
