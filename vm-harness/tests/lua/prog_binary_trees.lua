-- binary-trees benchmark (small): allocation, recursion, checksums
local function bottomUp(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return {bottomUp(depth), bottomUp(depth)}
end
local function itemCheck(tree)
  if tree[1] then return 1 + itemCheck(tree[1]) + itemCheck(tree[2]) end
  return 1
end
local N = 8
local mindepth = 4
local maxdepth = math.max(mindepth + 2, N)
do
  local stretch = maxdepth + 1
  print(string.format("stretch tree of depth %d\t check: %d", stretch, itemCheck(bottomUp(stretch))))
end
local longlived = bottomUp(maxdepth)
for depth = mindepth, maxdepth, 2 do
  local iters = 2 ^ (maxdepth - depth + mindepth)
  local check = 0
  for i = 1, iters do check = check + itemCheck(bottomUp(depth)) end
  print(string.format("%d\t trees of depth %d\t check: %d", iters, depth, check))
end
print(string.format("long lived tree of depth %d\t check: %d", maxdepth, itemCheck(longlived)))
