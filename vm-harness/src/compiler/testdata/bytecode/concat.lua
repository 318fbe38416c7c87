local a, b, c = "a", "b", "c"
local s = a .. b .. c .. "d"
local t = (a .. b) .. c
local u = a .. 1 .. 2
x = a .. (b .. c) .. t
