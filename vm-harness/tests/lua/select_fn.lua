-- select with positive, '#', negative indexes
print(select('#'))
print(select('#', 1, 2, 3))
print(select(1, "a", "b", "c"))
print(select(2, "a", "b", "c"))
print(select(3, "a", "b", "c"))
print(select(4, "a", "b", "c"))
print(select(-1, "a", "b", "c"))
print(select(-2, "a", "b", "c"))
print(select(-3, "a", "b", "c"))
-- errors, called from Lua so the function name is known
print(pcall(function() return select(-4, "a", "b", "c") end))
print(pcall(function() return select(0, "a") end))
print(pcall(function() return select("x", "a") end))
print(pcall(function() return select() end))
-- called directly by pcall (a C caller): 5.1 names the function '?'
print(pcall(select, 0, "a"))
print(select("2", "a", "b"))
print(select(2.7, "a", "b", "c"))
print((select(2, "a", "b", "c")))
print(select('#', nil, nil))
print(select(2, nil, nil))
local function last(...) return (select(select('#', ...), ...)) end
print(last(1, 2, 3, "last"))
