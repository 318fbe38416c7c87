-- One full collection over a chain of weak-keyed entries e[k_i] = k_(i+1), inserted in a
-- shuffled order, with only k_1 held strongly: every key becomes live only through the
-- value of the entry before it, so a collector that rescans the weak table until nothing
-- changes does one pass per link. Prints the entries that survive (all of them, then
-- none once k_1 is dropped) and, on stderr, the CPU time of the first collection.
--   luagc --gc NAME ephemeron_chain.lua [ENTRIES]
local n = tonumber(arg and arg[1]) or 160000
local keys = {}
for i = 1, n + 1 do keys[i] = {} end
local order = {}
for i = 1, n do order[i] = i end
local seed = 12345
for i = n, 2, -1 do
  seed = (seed * 1103515245 + 12345) % 2147483648
  local j = seed % i + 1
  order[i], order[j] = order[j], order[i]
end
local chain = setmetatable({}, { __mode = "k" })
for _, i in ipairs(order) do chain[keys[i]] = keys[i + 1] end
local first = keys[1]
keys, order = nil, nil
local function count()
  local c = 0
  for _ in pairs(chain) do c = c + 1 end
  return c
end
local t0 = os.clock()
collectgarbage("collect")
local seconds = os.clock() - t0
print("entries after a collection with k_1 held", count())
first = nil
collectgarbage("collect")
print("entries after a collection without k_1", count())
io.stderr:write(string.format("first collection %.3f s cpu\n", seconds))
