-- graph_rewire.lua: a large directed graph whose edges are rewired at random.
-- Nodes live in one array; each has an edge table of `degree` targets. Rewiring replaces
-- single edges, whole edge tables (garbage), and whole nodes: a replaced node stays
-- reachable through the edges still pointing at it and dies only when the last of them
-- is rewired, so what is garbage depends on the graph, not on allocation age.
-- Usage: graph_rewire.lua [nodes] [rounds]   (default 2000000 nodes, rounds = 4 x nodes;
--   smoke: 5000)
-- Random choices come from a Park-Miller LCG (exact on doubles and on 5.4 integers).
-- The last line is a checksum that every interpreter must print identically.

local N = tonumber(arg and arg[1]) or 2000000
local rounds = tonumber(arg and arg[2]) or 4 * N
local degree = 4

local seed = 2024
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end

local nodes = {}
for i = 1, N do
  nodes[i] = { id = i, edges = {}, mark = 0 }
end
for i = 1, N do
  local edges = nodes[i].edges
  for d = 1, degree do
    edges[d] = nodes[rand(N)]
  end
end

local new_nodes, new_tables = 0, 0
for r = 1, rounds do
  local x = rand(16)
  local node = nodes[rand(N)]
  if x == 1 then
    -- Replace the node: edges elsewhere keep the old one alive for a while.
    local i = node.id
    local fresh = { id = i, edges = {}, mark = 0 }
    for d = 1, degree do
      fresh.edges[d] = node.edges[d]
    end
    nodes[i] = fresh
    new_nodes = new_nodes + 1
  elseif x <= 4 then
    -- Replace the whole edge table.
    local edges = {}
    for d = 1, degree do
      edges[d] = nodes[rand(N)]
    end
    node.edges = edges
    new_tables = new_tables + 1
  else
    -- Rewire one edge.
    node.edges[rand(degree)] = nodes[rand(N)]
  end
end

-- Breadth-first search from node 1 over the edges (old nodes included), in edge order.
local stamp = 1
local queue, qhead, qtail = { nodes[1] }, 1, 1
nodes[1].mark = stamp
local reached, idsum = 0, 0
while qhead <= qtail do
  local node = queue[qhead]
  queue[qhead] = nil
  qhead = qhead + 1
  reached = reached + 1
  idsum = (idsum + node.id) % 2147483647
  local edges = node.edges
  for d = 1, degree do
    local t = edges[d]
    if t.mark ~= stamp then
      t.mark = stamp
      qtail = qtail + 1
      queue[qtail] = t
    end
  end
end
io.write(string.format("new nodes %d, new edge tables %d\n", new_nodes, new_tables))
io.write(string.format("checksum graph_rewire %d %d %d\n", N, reached, idsum))
