-- sched_sim.lua: an object-oriented discrete-event simulation of an operating system's
-- task scheduler. Classes are metatables with single inheritance (Task -> Producer,
-- Worker, Device, Sink); behaviour is partly closures (each worker's transform, each
-- producer's packet maker). The scheduler is a binary heap of event records ordered by
-- (time, sequence number). Tasks, their queues and closures are the long-lived heap;
-- packets, their hop traces, queue nodes and event records are short-lived garbage
-- allocated at a steady rate, with pointers from old objects (queues, tasks) to young
-- ones on every send: the write barrier's traffic.
-- Usage: sched_sim.lua [events]   (default 2000000; large 8000000; smoke 20000).
--   Tasks: 200 + events/100.
-- Random choices come from a Park-Miller LCG (exact on doubles and on 5.4 integers).
-- The last line is a checksum that every interpreter must print identically.

local N = tonumber(arg and arg[1]) or 2000000
local ntasks = 200 + math.floor(N / 100)
local M = 1000003

local seed = 4242
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end

-- A class is a metatable that is its own __index; a subclass looks up its parent.
local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, { __index = parent }) end
  c.new = function(...)
    local o = setmetatable({}, c)
    o:init(...)
    return o
  end
  return c
end

local Queue = class()
function Queue:init() self.head, self.tail, self.n = nil, nil, 0 end
function Queue:push(v)
  local node = { value = v }
  if self.tail then self.tail.next = node else self.head = node end
  self.tail = node
  self.n = self.n + 1
end
function Queue:pop()
  local node = self.head
  if not node then return nil end
  self.head = node.next
  if not self.head then self.tail = nil end
  self.n = self.n - 1
  return node.value
end

local Packet = class()
function Packet:init(origin, value)
  self.origin, self.value, self.hops = origin, value, 0
  self.trace = { origin }
end

local Scheduler = class()
function Scheduler:init() self.heap, self.size, self.now, self.seq, self.steps = {}, 0, 0, 0, 0 end
local function before(a, b)
  return a.time < b.time or (a.time == b.time and a.seq < b.seq)
end
function Scheduler:at(time, task)
  self.seq = self.seq + 1
  local e = { time = time, seq = self.seq, task = task }
  local heap = self.heap
  local i = self.size + 1
  self.size = i
  while i > 1 do
    local p = math.floor(i / 2)
    if before(e, heap[p]) then heap[i] = heap[p]; i = p else break end
  end
  heap[i] = e
end
function Scheduler:pop()
  local heap, n = self.heap, self.size
  local top, last = heap[1], heap[n]
  heap[n] = nil
  n = n - 1
  self.size = n
  if n > 0 then
    local i = 1
    while true do
      local c = 2 * i
      if c > n then break end
      if c < n and before(heap[c + 1], heap[c]) then c = c + 1 end
      if before(heap[c], last) then heap[i] = heap[c]; i = c else break end
    end
    heap[i] = last
  end
  return top
end
function Scheduler:wake(task, delay)
  if not task.scheduled then
    task.scheduled = true
    self:at(self.now + delay, task)
  end
end
function Scheduler:run(limit)
  while self.size > 0 and self.steps < limit do
    local e = self:pop()
    self.now = e.time
    local task = e.task
    task.scheduled = false
    task:step(self)
    self.steps = self.steps + 1
  end
end

local Task = class()
function Task:init(id)
  self.id, self.inbox, self.handled, self.scheduled = id, Queue.new(), 0, false
end
function Task:send(sched, packet)
  self.inbox:push(packet)
  sched:wake(self, 1)
end

local Sink = class(Task)
function Sink:init(id)
  Task.init(self, id)
  self.total, self.delivered, self.hops = 0, 0, 0
end
function Sink:step(sched)
  local p = self.inbox:pop()
  while p do
    self.total = (self.total * 7 + p.value * p.hops + #p.trace) % M
    self.delivered = self.delivered + 1
    self.hops = self.hops + p.hops
    p = self.inbox:pop()
  end
end

local Worker = class(Task)
function Worker:init(id, transform, route)
  Task.init(self, id)
  self.transform, self.route = transform, route
end
function Worker:step(sched)
  for _ = 1, 4 do
    local p = self.inbox:pop()
    if not p then return end
    p.value = self.transform(p.value)
    p.hops = p.hops + 1
    p.trace[#p.trace + 1] = self.id
    self.handled = self.handled + 1
    self.route(p):send(sched, p)
  end
  if self.inbox.n > 0 then sched:wake(self, 1) end
end

-- A device serves one packet per `latency` ticks, like a disk.
local Device = class(Task)
function Device:init(id, latency, sink)
  Task.init(self, id)
  self.latency, self.sink = latency, sink
end
function Device:step(sched)
  local p = self.inbox:pop()
  if p then
    p.hops = p.hops + 1
    p.trace[#p.trace + 1] = -self.id
    self.handled = self.handled + 1
    self.sink:send(sched, p)
  end
  if self.inbox.n > 0 then
    self.scheduled = true
    sched:at(sched.now + self.latency, self)
  end
end

local Producer = class(Task)
function Producer:init(id, period, make, route)
  Task.init(self, id)
  self.period, self.make, self.route = period, make, route
end
function Producer:step(sched)
  local p = Packet.new(self.id, self.make())
  self.handled = self.handled + 1
  self.route(p):send(sched, p)
  self.scheduled = true
  sched:at(sched.now + self.period, self)
end

-- Build the system.
local sched = Scheduler.new()
local sink = Sink.new(0)
local nproducers = math.floor(ntasks / 10)
local ndevices = math.floor(ntasks / 20)
local nworkers = ntasks - nproducers - ndevices - 1
local workers, devices, producers = {}, {}, {}
local id = 0
for i = 1, ndevices do
  id = id + 1
  devices[i] = Device.new(id, 1 + rand(5), sink)
end
local function hop_route(p)
  -- Up to six worker hops, then a device (one packet in four) or the sink.
  if p.hops >= 3 + p.origin % 4 then
    if p.value % 4 == 0 then return devices[p.value % ndevices + 1] end
    return sink
  end
  return workers[rand(nworkers)]
end
for i = 1, nworkers do
  id = id + 1
  local a, b = 1 + rand(1048575), rand(M)
  workers[i] = Worker.new(id, function(x) return (x * a + b) % M end, hop_route)
end
for i = 1, nproducers do
  id = id + 1
  local counter, step = rand(M), 1 + rand(97)
  local make = function()
    counter = (counter + step) % M
    return counter
  end
  producers[i] = Producer.new(id, 2 + rand(40), make, function() return workers[rand(nworkers)] end)
  sched:at(rand(50), producers[i])
  producers[i].scheduled = true
end

sched:run(N)

local handled = 0
for i = 1, nworkers do handled = handled + workers[i].handled end
for i = 1, ndevices do handled = handled + devices[i].handled end
io.write(string.format("tasks %d, steps %d, time %d, handled %d, delivered %d\n",
  ntasks, sched.steps, sched.now, handled, sink.delivered))
io.write(string.format("checksum sched_sim %d %d %d %d\n", N, sink.total, sink.delivered, handled % M))
