-- error levels and position prefixes
local function lvl0() error("level0", 0) end
local function lvl1() error("level1", 1) end
local function lvl1default() error("default") end
local function lvl2() error("level2", 2) end
local function lvl3() error("level3", 3) end
print(pcall(lvl0))
print(pcall(lvl1))
print(pcall(lvl1default))
-- level 2 points at the caller of lvl2
local function callsLvl2()
  lvl2()
end
print(pcall(callsLvl2))
local function mid() lvl3() end
local function top()
  mid()
end
print(pcall(top))
-- level 2 when the caller is pcall (a C function): no position
print(pcall(lvl2))
-- typical argument check pattern
local function checkpositive(n)
  if type(n) ~= "number" or n <= 0 then
    error("expected positive number, got " .. tostring(n), 2)
  end
  return n
end
-- user() tail-calls checkpositive, so level 2 has no line: no position
local function user()
  return checkpositive(-1)
end
local function user2()
  local v = checkpositive("x")
  return v
end
print(pcall(user))
print(pcall(user2))
-- huge level: no position
print(pcall(function() error("far", 50) end))
-- errors raised by the runtime carry the position of the faulting line
print(pcall(function()
  local t = nil
  return t.x
end))
-- error in a function defined on one line, called from another
local function oneliner() local a = {} return a.b.c end
print(pcall(oneliner))
-- error messages from the main chunk level
print(pcall(error, "from pcall", 1))
print(pcall(error, "from pcall", 2))
-- assert in 5.1 raises its message through luaL_error, so a position IS added
-- (and a number message becomes a string)
print(pcall(function() assert(false, "assert msg") end))
print(pcall(function() assert(nil) end))
print(pcall(function() assert(false, 42) end))
