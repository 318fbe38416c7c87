-- binary_trees.lua: the benchmarks-game binary-trees program (Lua #2 shape).
-- Many short-lived trees next to one long-lived tree: a test of allocation rate and
-- of how cheaply a collector reclaims young garbage.
-- Usage: binary_trees.lua [max_depth]   (default 16; smoke: 6)
-- The last line is a checksum that every interpreter must print identically.

local function bottom_up_tree(depth)
  if depth > 0 then
    depth = depth - 1
    local left, right = bottom_up_tree(depth), bottom_up_tree(depth)
    return { left, right }
  else
    return { }
  end
end

local function item_check(tree)
  if tree[1] then
    return 1 + item_check(tree[1]) + item_check(tree[2])
  else
    return 1
  end
end

local N = tonumber(arg and arg[1]) or 16
local mindepth = 4
local maxdepth = mindepth + 2
if maxdepth < N then maxdepth = N end

local checksum = 0

do
  local stretchdepth = maxdepth + 1
  local check = item_check(bottom_up_tree(stretchdepth))
  checksum = checksum + check
  io.write(string.format("stretch tree of depth %d\t check: %d\n", stretchdepth, check))
end

local longlivedtree = bottom_up_tree(maxdepth)

for depth = mindepth, maxdepth, 2 do
  -- math.floor keeps the count an integer on Lua 5.4, where 2^k is a float.
  local iterations = math.floor(2 ^ (maxdepth - depth + mindepth))
  local check = 0
  for _ = 1, iterations do
    check = check + item_check(bottom_up_tree(depth))
  end
  checksum = checksum + check
  io.write(string.format("%d\t trees of depth %d\t check: %d\n", iterations, depth, check))
end

local check = item_check(longlivedtree)
checksum = checksum + check
io.write(string.format("long lived tree of depth %d\t check: %d\n", maxdepth, check))
io.write(string.format("checksum binary_trees %d %d\n", maxdepth, checksum))
