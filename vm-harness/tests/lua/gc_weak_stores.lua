-- weak tables written while a collection is under way (collectgarbage("step") between
-- the stores), small ones and big ones (past 4096 slots): what only weak references
-- hold is collected, what something else holds is kept; the keys of a weak-valued
-- table are strong; a weak-keyed entry stays while its key is held elsewhere
local function count(t)
  local n = 0
  for _, v in pairs(t) do if type(v) == "table" then n = n + 1 end end
  return n
end
local big_v = setmetatable({}, {__mode = "v"})
local big_k = setmetatable({}, {__mode = "k"})
local small_v = setmetatable({}, {__mode = "v"})
local small_k = setmetatable({}, {__mode = "k"})
local both = setmetatable({}, {__mode = "kv"})
local table_keys = setmetatable({}, {__mode = "v"})
local held_values, held_keys = {}, {}
local function fill()
  for i = 1, 4096 do big_v[i] = false end
  for i = 1, 2100 do big_k[i] = false end
  collectgarbage("collect")
  for i = 1, 200 do
    local v, k = {i}, {i}
    big_v[i] = v
    small_v[i] = {i}
    big_k[k] = {i}
    small_k[{i}] = {i}
    both[k] = v
    table_keys[{i}] = v
    if i % 3 == 0 then held_values[#held_values + 1] = v end
    if i % 5 == 0 then held_keys[#held_keys + 1] = k end
    collectgarbage("step", 1)
  end
end
fill()
collectgarbage("collect")
print("weak values", count(big_v), count(small_v), count(table_keys))
print("weak keys", count(big_k), count(small_k))
print("weak keys and values", count(both))
local function check()
  local intact = true
  for _, v in ipairs(held_values) do
    if big_v[v[1]] ~= v then intact = false end
  end
  for _, k in ipairs(held_keys) do
    if big_k[k][1] ~= k[1] then intact = false end
    local v = both[k]
    if (k[1] % 3 == 0) ~= (v ~= nil) or v and v[1] ~= k[1] then intact = false end
  end
  for k, v in pairs(table_keys) do
    if k[1] ~= v[1] then intact = false end
  end
  print("held entries intact", intact)
end
check()
held_values, held_keys = nil, nil
collectgarbage("collect")
print("after dropping", count(big_v), count(big_k), count(both), count(table_keys))
