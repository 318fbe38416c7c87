local e = {}
local l = {1, 2, 3}
local m = {x = 1, [y] = 2, 3, f()}
local n = {f()}
local o = {1, 2; 3, "x"; z = 4,}
local p = {{1}, {a = {b = {}}}}
local q = {[1] = 1, [2] = 2, [3] = 3, [4] = 4, [5] = 5, [6] = 6, [7] = 7, [8] = 8, [9] = 9}
local r = {f(), g()}
local s = {(f())}
local t = {..., 1}
local u = {1, ...}
