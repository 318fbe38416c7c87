local a, b
local c
local d, e = nil, nil
f()
local g, h
local i = nil
local j; local k
x, y = nil
