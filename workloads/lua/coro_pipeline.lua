-- coro_pipeline.lua: many live coroutines as generators and pipelines. P pipelines run
-- side by side, each a chain of coroutines: a generator of numbers, then filter, map
-- and windowed-sum stages that each resume their upstream coroutine, and a consumer.
-- Every stage keeps a small state table and its own Lua stack (recursion in the map
-- stage deepens some stacks), so thousands of coroutine stacks stay live and are traced
-- on every cycle while the values passed between them (small tables) die young.
-- Pipelines finish and are replaced by new ones, so coroutines die as well.
-- Usage: coro_pipeline.lua [items]   (default 2000000; large 8000000; smoke 10000).
--   Pipelines live at a time: items / 200, between 20 and 10000 (four coroutines each).
-- Random choices come from a Park-Miller LCG (exact on doubles and on 5.4 integers).
-- The last line is a checksum that every interpreter must print identically.

local N = tonumber(arg and arg[1]) or 2000000
local LIVE = math.max(20, math.min(10000, math.floor(N / 200)))
local M = 2147483647

local seed = 9001
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end

local create, resume, yield, status = coroutine.create, coroutine.resume, coroutine.yield, coroutine.status

local function generator(start, step, count)
  return create(function()
    local x = start
    for i = 1, count do
      yield({ i = i, x = x })
      x = (x * 3 + step) % 1000003
    end
  end)
end

local function pull(co)
  local ok, v = resume(co)
  if not ok then error(v) end
  return v
end

local function filter(up, modulus)
  return create(function()
    while true do
      local v = pull(up)
      if v == nil then return end
      if v.x % modulus ~= 0 then yield(v) end
    end
  end)
end

-- The map stage recurses to a value-dependent depth before yielding: deeper stacks.
local function deep(v, d)
  if d == 0 then
    yield({ i = v.i, x = (v.x * 7 + 1) % 1000003, depth = v.depth })
    return
  end
  deep(v, d - 1)
end
local function map(up)
  return create(function()
    while true do
      local v = pull(up)
      if v == nil then return end
      v.depth = v.x % 24
      deep(v, v.depth)
    end
  end)
end

local function window(up, width)
  return create(function()
    local ring, n, sum = {}, 0, 0
    while true do
      local v = pull(up)
      if v == nil then return end
      n = n + 1
      local slot = n % width + 1
      if ring[slot] then sum = sum - ring[slot].x end
      ring[slot] = v
      sum = sum + v.x
      yield({ i = v.i, sum = sum, depth = v.depth })
    end
  end)
end

local function pipeline(id)
  local count = 50 + rand(1000)
  local co = generator(rand(1000003) - 1, rand(1000), count)
  co = filter(co, 2 + rand(5))
  co = map(co)
  co = window(co, 1 + rand(8))
  return { id = id, head = co, items = 0, total = 0 }
end

local pipes = {}
local started = 0
for i = 1, LIVE do
  started = started + 1
  pipes[i] = pipeline(started)
end

local items, finished, h, depths = 0, 0, 0, 0
while items < N do
  local k = rand(LIVE)
  local p = pipes[k]
  -- Pull a few items from one pipeline at a time.
  for _ = 1, 1 + rand(8) do
    local v = pull(p.head)
    if v == nil then
      finished = finished + 1
      h = (h * 31 + p.id + p.items + p.total % 1000) % M
      started = started + 1
      pipes[k] = pipeline(started)
      break
    end
    p.items = p.items + 1
    p.total = (p.total + v.sum) % M
    depths = depths + v.depth
    items = items + 1
  end
end

local dead = 0
for i = 1, LIVE do
  if status(pipes[i].head) == "dead" then dead = dead + 1 end
  h = (h * 31 + pipes[i].items) % M
end
io.write(string.format("items %d, pipelines finished %d, started %d\n", items, finished, started))
io.write(string.format("checksum coro_pipeline %d %d %d %d\n", N, finished, h, depths % M))
