-- weak tables: __mode "k", "v", "kv"; collectgarbage basics
local function count(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end
print(type(collectgarbage("count")), collectgarbage("count") > 0)
print(collectgarbage("collect"), collectgarbage())
print(type(collectgarbage("step")), collectgarbage("setpause", 200) ~= nil, collectgarbage("setstepmul", 200) ~= nil)
-- weak values
local wv = setmetatable({}, {__mode = "v"})
local function fillv()
  for i = 1, 10 do wv[i] = {i} end
  wv.str = "a string"
  wv.num = 42
  wv.bool = true
  wv.fn = function() end
end
fillv()
local keep = wv[3]
print("before", count(wv))
collectgarbage("collect")
print("after", count(wv), wv[3] == keep, wv.str, wv.num, wv.bool, wv.fn)
-- weak keys
local wk = setmetatable({}, {__mode = "k"})
local anchors = {}
local function fillk()
  for i = 1, 10 do
    local k = {}
    wk[k] = i
    if i % 2 == 0 then anchors[#anchors + 1] = k end
  end
  wk["strkey"] = "kept"
  wk[1] = "numkey"
end
fillk()
print("before", count(wk))
collectgarbage("collect")
print("after", count(wk), wk.strkey, wk[1])
local sum = 0
for k, v in pairs(wk) do if type(v) == "number" then sum = sum + v end end
print("surviving values sum", sum)
-- weak keys and values
local wkv = setmetatable({}, {__mode = "kv"})
local kk = {}
local function fillkv()
  wkv[kk] = {}          -- value not referenced elsewhere: removed
  wkv[{}] = kk          -- key not referenced elsewhere: removed
  wkv[kk] = nil
  wkv.a = kk            -- string key, value referenced: kept
  wkv[kk] = "str value" -- key referenced, string value: kept
end
fillkv()
collectgarbage("collect")
print("kv after", count(wkv), wkv.a == kk, wkv[kk])
-- dropping the last reference removes the entry
anchors = nil
collectgarbage("collect")
print("keys after dropping anchors", count(wk))
keep = nil
collectgarbage("collect")
print("values after dropping keep", count(wv))
-- memoization cache with weak keys
local cache = setmetatable({}, {__mode = "k"})
local function area(rect)
  local v = cache[rect]
  if not v then v = rect.w * rect.h cache[rect] = v end
  return v
end
local r1 = {w = 2, h = 3}
print(area(r1), area(r1), count(cache))
local function tmp() for i = 1, 5 do area({w = i, h = i}) end end
tmp()
collectgarbage("collect")
print(count(cache))
-- a table referenced only from a weak table and a closure is kept alive by the closure
local wclos = setmetatable({}, {__mode = "v"})
local function mkclosure()
  local obj = {tag = "alive"}
  wclos[1] = obj
  return function() return obj.tag end
end
local cl = mkclosure()
collectgarbage("collect")
print(wclos[1] and wclos[1].tag, cl())
-- __mode given after entries were added still applies
local late = {}
local function filllate() for i = 1, 3 do late[{}] = i end end
filllate()
setmetatable(late, {__mode = "k"})
collectgarbage("collect")
print("late weak", count(late))
-- count goes down after freeing a big table
local big = {}
for i = 1, 5000 do big[i] = {} end
local before = collectgarbage("count")
big = nil
collectgarbage("collect")
print("count decreased", collectgarbage("count") < before)
