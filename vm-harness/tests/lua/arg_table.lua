-- the global arg table set up by the standalone interpreter
-- (arg[-1] is the interpreter's own name and is not printed)
print(type(arg), arg[0], arg[1], #arg)
print(select('#', ...))
print(type(arg[-1]))
local n = 0
for k, v in pairs(arg) do if type(k) == "number" and k >= 1 then n = n + 1 end end
print(n)
-- arg is an ordinary global table
arg[1] = "modified"
print(arg[1], _G.arg == arg)
-- non-vararg functions see the global arg
local function f() return arg[0] end
print(f())
-- 5.1 compat (LUA_COMPAT_VARARG): a vararg function has a local 'arg'; it holds
-- {n = count, ...} when the body does not use '...', and nil when it does
local function g(...) return arg, select('#', ...) end
print(g("a", "b"))
local function h(...) return arg.n, arg[1], arg[2] end
print(h("a", "b"))
