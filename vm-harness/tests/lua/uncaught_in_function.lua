-- runtime error several frames deep; only the first stderr line is compared
local function level3(t) return t.x.y end
local function level2(t) local r = level3(t) return r end
local function level1() local r = level2({}) return r end
print("start")
level1()
