-- debug.getlocal / setlocal / getupvalue / setupvalue and the other small functions.
local function locals(level)
  local out = {}
  local i = 1
  while true do
    local name, value = debug.getlocal(level + 1, i)
    if not name then break end
    if type(value) ~= "string" and type(value) ~= "number" then value = type(value) end
    out[#out + 1] = name .. "=" .. value
    i = i + 1
  end
  return table.concat(out, " ")
end

local function f(a, b)
  local c = a + b
  do local inner = "x" print(locals(1)) end
  print(locals(1))
  return c
end
f(1, 2)

local function g(...)
  local x = 10
  print(debug.getlocal(1, 1), debug.getlocal(1, 2), (debug.getlocal(1, 3)))
  print(debug.setlocal(1, 1, 99), x)
  print(debug.setlocal(1, 5, 1), debug.setlocal(1, 50, 1))
end
g(7, 8)

-- temporaries: slots in use by a pending call
local function show(...) return debug.getlocal(2, 3) end
local function tmp()
  local a = 1
  return (show(a, "t"))
end
print(tmp())
print(pcall(debug.getlocal, 100, 1))
print(pcall(debug.getlocal, 1))
print(pcall(debug.setlocal, 1, 1))
print(debug.getlocal(1, 0), debug.getlocal(1, -1))

-- a C function's level has only temporaries
print(pcall(function() return debug.getlocal(2, 1) end))

-- coroutine locals
local co = coroutine.create(function(p)
  local q = p * 2
  coroutine.yield()
end)
coroutine.resume(co, 5)
print(debug.getlocal(co, 1, 1), debug.getlocal(co, 1, 2))
print(debug.setlocal(co, 1, 2, "changed"), debug.getlocal(co, 1, 2))

-- upvalues
local u1, u2 = "one", "two"
local function uses() return u1, u2 end
print(debug.getupvalue(uses, 1), debug.getupvalue(uses, 2), debug.getupvalue(uses, 3))
print(debug.setupvalue(uses, 2, "TWO"), uses())
print(debug.getupvalue(print, 1), debug.setupvalue(print, 1, 1))
print(debug.getupvalue(uses, 0))
print(pcall(debug.getupvalue, {}, 1))
print(pcall(debug.setupvalue, uses, 1))

-- metatables, environments, registry
local prot = setmetatable({}, { __metatable = "locked" })
print(getmetatable(prot), type(debug.getmetatable(prot)))
print(debug.setmetatable(prot, nil), getmetatable(prot))
print(pcall(debug.setmetatable, {}, 1))
print(debug.getmetatable(1), debug.getmetatable("").__index == string)
local env = { print = print }
local function inenv() return x end
print(debug.setfenv(inenv, env) == inenv, debug.getfenv(inenv) == env)
env.x = "from env"
print(inenv(), debug.getfenv(print) == _G, debug.getfenv(1))
print(pcall(debug.setfenv, inenv, 1))
print(pcall(debug.getfenv))
print(type(debug.getregistry()), type(debug.getregistry()._LOADED))
