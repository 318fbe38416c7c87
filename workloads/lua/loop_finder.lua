-- loop_finder.lua: loop recognition on a large generated control-flow graph, the shape
-- of a compiler's analysis passes (after Hundt's "Loop Recognition in C++/Java/Go/Scala",
-- rewritten from scratch). The graph is a structured program (sequences, diamonds and
-- nested loops) with a few random extra edges, millions of basic blocks each holding
-- successor and predecessor arrays: a large live graph of small objects. Each analysis
-- pass computes a depth-first numbering, the dominator tree (Cooper, Harvey and Kennedy's
-- iterative algorithm), and the loop nest (natural loops of back edges, inner loops
-- collapsed with union-find), allocating per-pass arrays and loop records that die when
-- the next pass starts, while the graph stays live.
-- Usage: loop_finder.lua [blocks] [passes]   (default 500000 3; large 10000000 1, about
--   6 GB live on luagc; smoke 5000)
-- Random choices come from a Park-Miller LCG (exact on doubles and on 5.4 integers).
-- The last line is a checksum that every interpreter must print identically.

local N = tonumber(arg and arg[1]) or 500000
local passes = tonumber(arg and arg[2]) or 3
local M = 2147483647

local seed = 31337
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end

-- The graph.
local blocks = {}
local nblocks = 0
local function new_block()
  nblocks = nblocks + 1
  local b = { id = nblocks, succ = {}, pred = {} }
  blocks[nblocks] = b
  return b
end
local function edge(a, b)
  a.succ[#a.succ + 1] = b
  b.pred[#b.pred + 1] = a
end

-- A region of `count` constructs after `cur`; returns its exit block.
local function region(cur, depth, count)
  for _ = 1, count do
    if nblocks >= N then break end
    local r = rand(10)
    if r <= 3 or depth >= 6 then
      local b = new_block()
      edge(cur, b)
      cur = b
    elseif r <= 6 then
      local t, e = new_block(), new_block()
      edge(cur, t)
      edge(cur, e)
      local te = region(t, depth + 1, rand(3))
      local ee = region(e, depth + 1, rand(3))
      local j = new_block()
      edge(te, j)
      edge(ee, j)
      cur = j
    else
      local h = new_block()
      edge(cur, h)
      local body = new_block()
      edge(h, body)
      local last = region(body, depth + 1, rand(4))
      edge(last, h)
      if rand(4) == 1 then edge(body, h) end -- a continue
      local x = new_block()
      edge(h, x)
      cur = x
    end
  end
  return cur
end

local entry = new_block()
local cur = entry
while nblocks < N do
  cur = region(cur, 0, 20)
end
-- A few random edges between nearby blocks (gotos): cross edges, and back edges whose
-- target does not dominate their source (irreducible loops, which natural-loop
-- recognition leaves out). Nearby, because the dominator tree of a long program is deep
-- and a far edge would make the dominator intersection walk most of it.
for _ = 1, math.floor(nblocks / 50) do
  local a = rand(nblocks)
  local b = a + rand(64) - 32
  if b >= 1 and b <= nblocks then edge(blocks[a], blocks[b]) end
end

local function analyse()
  -- Depth-first numbering from the entry: preorder (pre) and reverse postorder (rpo).
  local pre, post, order = {}, {}, {}
  local npre, npost = 0, 0
  local stack_b, stack_i, sp = { entry }, { 1 }, 1
  npre = 1
  pre[entry.id] = 1
  order[1] = entry
  while sp > 0 do
    local b, i = stack_b[sp], stack_i[sp]
    local s = b.succ[i]
    if s then
      stack_i[sp] = i + 1
      if not pre[s.id] then
        npre = npre + 1
        pre[s.id] = npre
        order[npre] = s
        sp = sp + 1
        stack_b[sp], stack_i[sp] = s, 1
      end
    else
      npost = npost + 1
      post[b.id] = npost
      stack_b[sp] = nil
      sp = sp - 1
    end
  end
  local rpo = {}
  for k = 1, npre do
    local b = order[k]
    rpo[npost + 1 - post[b.id]] = b
  end

  -- Dominators: idom by postorder number until a fixed point.
  local idom = {}
  idom[entry.id] = entry
  local function intersect(a, b)
    while a ~= b do
      while post[a.id] < post[b.id] do a = idom[a.id] end
      while post[b.id] < post[a.id] do b = idom[b.id] end
    end
    return a
  end
  local changed, rounds = true, 0
  while changed do
    changed, rounds = false, rounds + 1
    for k = 2, npost do
      local b = rpo[k]
      local new
      local preds = b.pred
      for j = 1, #preds do
        local p = preds[j]
        if idom[p.id] then
          if new then new = intersect(p, new) else new = p end
        end
      end
      if idom[b.id] ~= new then
        idom[b.id] = new
        changed = true
      end
    end
  end

  -- The dominator tree's own preorder interval per block: dominance in O(1).
  local children = {}
  for k = 2, npost do
    local b = rpo[k]
    local d = idom[b.id].id
    local c = children[d]
    if not c then c = {}; children[d] = c end
    c[#c + 1] = b
  end
  local din, dout, t = {}, {}, 0
  local st_b, st_i, top = { entry }, { 1 }, 1
  t = 1
  din[entry.id] = 1
  while top > 0 do
    local b, i = st_b[top], st_i[top]
    local c = children[b.id]
    local s = c and c[i]
    if s then
      st_i[top] = i + 1
      t = t + 1
      din[s.id] = t
      top = top + 1
      st_b[top], st_i[top] = s, 1
    else
      dout[b.id] = t
      st_b[top] = nil
      top = top - 1
    end
  end
  local function dominates(a, b)
    return din[a.id] <= din[b.id] and din[b.id] <= dout[a.id]
  end

  -- Loops: headers in decreasing preorder, so inner loops are found first and collapsed
  -- (union-find) into their header before the loops around them walk over them.
  local uf = {}
  local function find(b)
    local id = b.id
    local r = uf[id]
    if not r then return b end
    local root = find(r)
    uf[id] = root
    return root
  end
  local loop_of = {}
  local loops = {}
  for k = npre, 1, -1 do
    local h = order[k]
    local work, wn = {}, 0
    local preds = h.pred
    for j = 1, #preds do
      local p = preds[j]
      if pre[p.id] and dominates(h, p) then
        local r = find(p)
        if r ~= h then wn = wn + 1; work[wn] = r end
      end
    end
    local self_loop = false
    for j = 1, #preds do if preds[j] == h then self_loop = true end end
    if wn > 0 or self_loop then
      local loop = { header = h, blocks = 1, children = {} }
      loops[#loops + 1] = loop
      local seen = { [h.id] = true }
      local i = 1
      while i <= wn do
        local x = work[i]
        i = i + 1
        if not seen[x.id] then
          seen[x.id] = true
          uf[x.id] = h
          local inner = loop_of[x.id]
          if inner then
            inner.parent = loop
            loop.children[#loop.children + 1] = inner
            loop.blocks = loop.blocks + inner.blocks
          else
            loop.blocks = loop.blocks + 1
          end
          local xp = x.pred
          for j = 1, #xp do
            local p = xp[j]
            if pre[p.id] then
              local r = find(p)
              if r ~= h and not seen[r.id] then wn = wn + 1; work[wn] = r end
            end
          end
        end
      end
      loop_of[h.id] = loop
    end
  end

  -- Depths: a loop's nesting depth, outermost 1.
  local depth_sum, max_depth, block_sum = 0, 0, 0
  for i = #loops, 1, -1 do
    local l = loops[i]
    l.depth = l.parent and l.parent.depth + 1 or 1
    depth_sum = depth_sum + l.depth
    if l.depth > max_depth then max_depth = l.depth end
    block_sum = block_sum + l.blocks
  end
  local idom_hash = 0
  for k = 2, npost do
    local b = rpo[k]
    idom_hash = (idom_hash * 31 + idom[b.id].id) % M
  end
  return #loops, depth_sum, max_depth, block_sum % M, idom_hash, rounds, npre
end

local result
for pass = 1, passes do
  local nloops, depth_sum, max_depth, block_sum, idom_hash, rounds, reached = analyse()
  io.write(string.format("pass %d: %d blocks reached, %d loops, depth sum %d, max depth %d, %d dominator rounds\n",
    pass, reached, nloops, depth_sum, max_depth, rounds))
  local r = string.format("%d %d %d %d %d", nloops, depth_sum, max_depth, block_sum, idom_hash)
  assert(result == nil or result == r, "passes disagree")
  result = r
end
io.write(string.format("checksum loop_finder %d %s\n", N, result))
