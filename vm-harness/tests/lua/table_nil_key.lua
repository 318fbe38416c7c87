-- A nil key is refused whatever the value and whatever the table's hash part holds:
-- a table constructor preallocates free hash nodes (whose key is nil too), and a
-- store under nil must not land in one. Found by the cross-collector fuzz target,
-- where the outcome had depended on the collector.
print(pcall(function() local t = {[nil] = nil} end))
print(pcall(function() local t = {[nil] = 1, x = 2} end))
print(pcall(function() local t = {x = 1, y = 2} t[nil] = 3 end))
print(pcall(function() local t = {x = 1, y = 2} t[nil] = nil end))
print(pcall(rawset, {x = 1}, nil, 1))
local b
print(pcall(function() b = {[{[nil] = nil}] = #b} end))
local t = {x = 1, y = 2, z = 3}
t.y = nil
print(pcall(function() t[nil] = 1 end))
local n = 0
for _ in pairs(t) do n = n + 1 end
print(n, t[nil], rawget(t, "x"))
