-- nbody_vec.lua: a numeric simulation written the way short-lived-object programs are:
-- an n-body system (32 bodies, leapfrog steps) over an immutable 3-vector class with
-- arithmetic metamethods (__add, __sub, __mul, __unm), so every operation allocates a
-- new small table that dies within the step. A few dozen bodies are all that is live;
-- the allocation rate is the whole story (the young-generation case).
-- Usage: nbody_vec.lua [steps]   (default 10000; large 40000; smoke 100)
-- Floating-point operations are done in the same order on every interpreter (no fused
-- multiply-add on x86-64), so the results agree bit for bit; the checksum prints them
-- scaled and floored to integers, never as float text.
-- Random initial conditions come from a Park-Miller LCG (exact on doubles and on 5.4
-- integers).
-- The last line is a checksum that every interpreter must print identically.

local N = tonumber(arg and arg[1]) or 10000
local BODIES = 32
local DT = 0.001

local seed = 3141
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end
local function unit() return (rand(2000001) - 1000001) / 1000000 end -- in [-1, 1]

local Vec = {}
Vec.__index = Vec
local function vec(x, y, z) return setmetatable({ x = x, y = y, z = z }, Vec) end
Vec.__add = function(a, b) return vec(a.x + b.x, a.y + b.y, a.z + b.z) end
Vec.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y, a.z - b.z) end
Vec.__mul = function(a, s)
  if type(a) == "number" then a, s = s, a end
  return vec(a.x * s, a.y * s, a.z * s)
end
Vec.__unm = function(a) return vec(-a.x, -a.y, -a.z) end
function Vec:dot(b) return self.x * b.x + self.y * b.y + self.z * b.z end
function Vec:norm2() return self:dot(self) end

local bodies = {}
for i = 1, BODIES do
  bodies[i] = { pos = vec(10 * unit(), 10 * unit(), 10 * unit()),
    vel = vec(0.1 * unit(), 0.1 * unit(), 0.1 * unit()), mass = 1 + (rand(1000) - 1) / 100 }
end
-- Zero the total momentum.
do
  local p = vec(0, 0, 0)
  local total = 0
  for i = 1, BODIES do p = p + bodies[i].vel * bodies[i].mass; total = total + bodies[i].mass end
  for i = 1, BODIES do bodies[i].vel = bodies[i].vel - p * (1 / total) end
end

local function energy()
  local e = 0
  for i = 1, BODIES do
    local b = bodies[i]
    e = e + 0.5 * b.mass * b.vel:norm2()
    for j = i + 1, BODIES do
      local c = bodies[j]
      local d = b.pos - c.pos
      e = e - b.mass * c.mass / math.sqrt(d:norm2() + 0.01)
    end
  end
  return e
end

local function advance()
  local acc = {}
  for i = 1, BODIES do acc[i] = vec(0, 0, 0) end
  for i = 1, BODIES do
    local b = bodies[i]
    for j = i + 1, BODIES do
      local c = bodies[j]
      local d = b.pos - c.pos
      local r2 = d:norm2() + 0.01 -- softened
      local f = d * (1 / (r2 * math.sqrt(r2)))
      acc[i] = acc[i] - f * c.mass
      acc[j] = acc[j] + f * b.mass
    end
  end
  for i = 1, BODIES do
    local b = bodies[i]
    b.vel = b.vel + acc[i] * DT
    b.pos = b.pos + b.vel * DT
  end
end

local e0 = energy()
local h = 0
for s = 1, N do
  advance()
  if s % 100 == 0 then
    h = (h * 31 + math.floor(bodies[1 + s / 100 % BODIES].pos.x * 1e6) % 1000003) % 2147483647
  end
end
local e1 = energy()
io.write(string.format("energy before %d, after %d (x 1e9, floored)\n", math.floor(e0 * 1e9), math.floor(e1 * 1e9)))
io.write(string.format("checksum nbody_vec %d %d %d\n", N, math.floor(e1 * 1e9), h))
