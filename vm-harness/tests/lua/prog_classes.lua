-- a small class system with inheritance, super calls, tostring and type checks
local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, {__index = parent}) end
  c.super = parent
  c.new = function(...)
    local o = setmetatable({}, c)
    if o.init then o:init(...) end
    return o
  end
  c.isa = function(self, k)
    local m = getmetatable(self)
    while m do if m == k then return true end m = m.super end
    return false
  end
  return c
end
local Animal = class()
function Animal:init(name, sound) self.name = name self.sound = sound or "..." end
function Animal:speak() return self.name .. " says " .. self.sound end
function Animal:kind() return "animal" end
Animal.__tostring = function(self) return "<" .. self:kind() .. " " .. self.name .. ">" end
local Dog = class(Animal)
function Dog:init(name, breed) Animal.init(self, name, "woof") self.breed = breed end
function Dog:kind() return "dog" end
function Dog:fetch() return self.name .. " fetches" end
Dog.__tostring = Animal.__tostring
local Puppy = class(Dog)
function Puppy:init(name) Dog.init(self, name, "mixed") self.sound = "yip" end
function Puppy:kind() return "puppy (" .. Dog.kind(self) .. ")" end
function Puppy:speak() return Dog.speak(self) .. "!" end
Puppy.__tostring = Animal.__tostring
local a, d, p = Animal.new("generic"), Dog.new("rex", "lab"), Puppy.new("bit")
for _, o in ipairs({a, d, p}) do
  print(tostring(o), o:speak(), o:kind(), o:isa(Animal), o:isa(Dog), o:isa(Puppy))
end
print(d:fetch(), p:fetch(), p.breed, pcall(function() return a:fetch() end))
-- class-level counters shared through inheritance
Animal.count = 0
function Animal:register() Animal.count = Animal.count + 1 return Animal.count end
print(a:register(), d:register(), p:register(), Animal.count, Dog.count)
-- overriding a field on an instance does not affect the class
p.kind = function() return "custom" end
print(p:kind(), Puppy.new("other"):kind())
-- accessors with __index/__newindex properties
local Temp = {}
Temp.__index = function(t, k)
  if k == "fahrenheit" then return rawget(t, "celsius") * 9 / 5 + 32 end
  return Temp[k]
end
Temp.__newindex = function(t, k, v)
  if k == "fahrenheit" then rawset(t, "celsius", (v - 32) * 5 / 9) else rawset(t, k, v) end
end
local temp = setmetatable({celsius = 100}, Temp)
print(temp.fahrenheit)
temp.fahrenheit = 32
print(temp.celsius)
-- a stack class with operator overloads
local Stack = class()
function Stack:init() self.items = {} end
function Stack:push(v) self.items[#self.items + 1] = v return self end
function Stack:pop() return table.remove(self.items) end
Stack.__len = function(s) return #s.items end -- ignored for tables in 5.1
Stack.__add = function(s1, s2)
  local r = Stack.new()
  for _, v in ipairs(s1.items) do r:push(v) end
  for _, v in ipairs(s2.items) do r:push(v) end
  return r
end
Stack.__eq = function(s1, s2)
  if #s1.items ~= #s2.items then return false end
  for i = 1, #s1.items do if s1.items[i] ~= s2.items[i] then return false end end
  return true
end
local s1 = Stack.new():push(1):push(2)
local s2 = Stack.new():push(3)
local s3 = s1 + s2
print(#s3.items, #s3, s3:pop(), s3:pop(), s3:pop(), s3:pop())
print(Stack.new():push(1) == Stack.new():push(1), Stack.new():push(1) == Stack.new():push(2))
