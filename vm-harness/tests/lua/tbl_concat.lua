-- table.concat with separators and ranges
local t = {"a", "b", "c", "d", "e"}
print(table.concat(t))
print(table.concat(t, ", "))
print(table.concat(t, "-", 2))
print(table.concat(t, "-", 2, 4))
print(table.concat(t, "-", 4, 2) == "")
print(table.concat(t, "-", 3, 3))
print(table.concat({}), table.concat({}, "x") == "")
print(table.concat({1, 2.5, "s", 10}, " "))
print(table.concat({1, 2, 3}, 0))
print(table.concat(t, "", 5, 5), table.concat(t, "", 1, 1))
-- invalid values
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, true}))
print(pcall(table.concat, t, "-", 1, 10))
print(pcall(table.concat, {1, nil, 3}, ",", 1, 3))
print(pcall(table.concat, nil))
print(pcall(table.concat, t, {}))
-- long concatenation
local big = {}
for i = 1, 1000 do big[i] = i % 10 end
local s = table.concat(big)
print(#s, s:sub(1, 20))
-- separator with special chars
print(table.concat({"x", "y"}, "\0") == "x\0y", table.concat({"x", "y"}, "%"))
-- numbers converted with %.14g
print(table.concat({0.1, 1e15, 1e16, 1/3}, " "))
-- negative and zero indices
local z = {[0] = "zero", [-1] = "minus", "one"}
print(table.concat(z, ",", -1, 1))
