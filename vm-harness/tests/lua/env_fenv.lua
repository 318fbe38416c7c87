-- function environments: getfenv / setfenv / _G (Lua 5.1)
print(getfenv() == _G, getfenv(0) == _G, getfenv(1) == _G, _G._G == _G)
x = "global x"
local function show() return x end
local env = {x = "env x"}
setfenv(show, env)
print(show(), x)
print(getfenv(show) == env)
-- setfenv returns the function
local function other() return y end
print(setfenv(other, {y = "why"}) == other, other())
-- environment with fallback to globals
local sandbox = setmetatable({}, {__index = _G})
local function sandboxed() z_in_sandbox = 1 return print ~= nil end
setfenv(sandboxed, sandbox)
print(sandboxed(), rawget(sandbox, "z_in_sandbox"), z_in_sandbox)
-- setfenv(1, ...) changes the running function's environment
local function selfenv()
  local print = print
  setfenv(1, {v = "inside"})
  print(v)
end
selfenv()
-- getfenv(level)
local function lvl() return getfenv(2) end
local function caller() local e = lvl() return e end
setfenv(caller, {marker = "caller env"})
print(caller().marker)
-- through a tail call the caller's frame is gone
local function tailcaller() return lvl() end
print(pcall(tailcaller))
-- loadstring chunks get the global environment
local chunk = loadstring("return x")
print(chunk())
setfenv(chunk, {x = "chunk env"})
print(chunk())
-- closures created inside a function share its environment at creation time
local function factory() return function() return w end end
setfenv(factory, {w = "factory env"})
print(factory()())
-- setfenv on C functions is an error; level 0 changes the thread's globals
print(pcall(setfenv, print, {}))
print(pcall(setfenv, 100, {}))
print(pcall(getfenv, 100))
print(pcall(setfenv, show, 1))
-- getfenv of a C function returns the globals
print(getfenv(print) == _G)
-- _G manipulation
_G.dyn = "dynamic"
print(dyn)
local name = "computed_" .. "name"
_G[name] = 5
print(computed_name)
-- counting a few known globals (sorted)
local names = {}
for _, n in ipairs({"print", "pairs", "ipairs", "setfenv", "getfenv", "unpack", "module", "newproxy", "gcinfo", "loadstring", "load", "xpcall", "_VERSION", "table", "goto", "rawlen", "bit32"}) do
  names[#names + 1] = n .. "=" .. type(_G[n])
end
print(table.concat(names, " "))
print(_VERSION)
