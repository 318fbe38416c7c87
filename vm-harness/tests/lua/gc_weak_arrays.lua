-- weak tables whose entries are in small array parts (from constructors): the
-- collector clears unanchored objects there as in the hash part
-- weak values in small arrays: unanchored objects go, the rest stays
local obj1, obj2 = {}, {}
local wv = setmetatable({obj1, obj2}, {__mode = "v"})
obj2 = nil
collectgarbage()
print(wv[1] == obj1, wv[2])
local mixed = setmetatable({{}, "str", 5, true, obj1}, {__mode = "v"})
collectgarbage()
print(mixed[1], mixed[2], mixed[3], mixed[4], mixed[5] == obj1)
-- a weak table that grows past its constructor's size after a collection
local grow = setmetatable({obj1, {}}, {__mode = "v"})
collectgarbage()
for i = 3, 20 do grow[i] = (i % 2 == 0) and obj1 or {} end
collectgarbage()
local live = 0
for i = 1, 20 do if grow[i] then live = live + 1 end end
print(grow[1] == obj1, grow[2], live)
-- weak keys: array entries have number keys, so they stay
local wk = setmetatable({{}, {}}, {__mode = "k"})
collectgarbage()
print(type(wk[1]), type(wk[2]))
local wkv = setmetatable({{}, obj1}, {__mode = "kv"})
collectgarbage()
print(wkv[1], wkv[2] == obj1)
