-- lru_cache.lua: an LRU cache (hash table + doubly linked list of node tables) with a
-- large live heap and a steady stream of garbage: every miss inserts a node with a fresh
-- string payload and evicts the least recently used one. The live heap stays at
-- `capacity` entries while the collector has to find the evicted ones among them.
-- Usage: lru_cache.lua [capacity] [operations]
--   (default 6000000 entries and 2 x capacity operations; smoke: 5000)
-- Keys are drawn from 1..2*capacity by a Park-Miller LCG (exact on doubles and on 5.4
-- integers), so about half the operations miss. Nothing iterates with pairs/next, whose
-- order differs between interpreters.
-- The last line is a checksum that every interpreter must print identically.

local capacity = tonumber(arg and arg[1]) or 6000000
local operations = tonumber(arg and arg[2]) or 2 * capacity

local seed = 12345
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end

-- The list: head.next is the most recent entry, head.prev the least recent.
local head = {}
head.next, head.prev = head, head
local map = {}
local size = 0

local function unlink(node)
  node.prev.next = node.next
  node.next.prev = node.prev
end

local function push_front(node)
  node.next = head.next
  node.prev = head
  head.next.prev = node
  head.next = node
end

local function get(key)
  local node = map[key]
  if node == nil then return nil end
  unlink(node)
  push_front(node)
  return node.value
end

local function put(key, value)
  local node = map[key]
  if node ~= nil then
    node.value = value
    unlink(node)
    push_front(node)
    return
  end
  if size >= capacity then
    local victim = head.prev
    unlink(victim)
    map[victim.key] = nil
    size = size - 1
  end
  node = { key = key, value = value }
  push_front(node)
  map[key] = node
  size = size + 1
end

-- Fill: the live heap.
for k = 1, capacity do
  put(k, "value:" .. k)
end

local hits, misses, updates, bytes = 0, 0, 0, 0
local range = 2 * capacity
for i = 1, operations do
  local key = rand(range)
  if i % 8 == 0 then
    -- An update of a present or absent key: a new payload either way.
    put(key, "update:" .. key .. ":" .. i)
    updates = updates + 1
  else
    local v = get(key)
    if v then
      hits = hits + 1
      bytes = bytes + #v
    else
      misses = misses + 1
      put(key, "value:" .. key)
    end
  end
end

-- Hash the keys in recency order: checks the list, not just the counters.
local h, n = 0, 0
local node = head.next
while node ~= head do
  h = (h * 31 + node.key) % 2147483647
  n = n + 1
  node = node.next
end
io.write(string.format("hits %d, misses %d, updates %d, entries %d\n", hits, misses, updates, n))
io.write(string.format("checksum lru_cache %d %d %d\n", capacity, h, bytes % 2147483647))
