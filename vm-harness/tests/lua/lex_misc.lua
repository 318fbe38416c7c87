-- misc lexical/syntax details
local a = 1; local b = 2; print(a + b);
local t = {1, 2, 3,}
print(#t)
local u = {1; 2; 3; n = 4,}
print(#u, u.n)
local kw = {["end"] = 1, ["while"] = 2, ["nil"] = 3}
print(kw["end"], kw["while"], kw["nil"])
print(type(nil), type(true), type(false))
local _under, CamelCase, x1y2 = 1, 2, 3
print(_under, CamelCase, x1y2)
local f = function(...) return select('#', ...) end
print(f{1, 2}, f"str", f[[long]])
print(("abc"):len(), #"abc")
local s = "x"
print(s:rep(3), s.rep(s, 2))
-- call syntax without parens
print(type{}, tostring"x", tostring[[y]])
-- nested tables and constructors
local n = {{1, {2, {3}}}, x = {y = {z = "deep"}}}
print(n[1][2][2][1], n.x.y.z)
-- constructor with expressions and computed keys
local k = "key"
local c = {[k] = 1, [1 + 1] = "two", k = "lit", [k .. "2"] = 3}
print(c.key, c[2], c.k, c.key2)
-- positional items after named ones
local p = {a = 1, "x", b = 2, "y"}
print(p[1], p[2], p.a, p.b)
-- constructor: last call expanded, others truncated
local function three() return 1, 2, 3 end
local q = {three(), three()}
print(#q, q[1], q[2], q[4])
local r = {three(), (three())}
print(#r)
local v = {(three())}
print(#v)
-- parentheses
print((1 + 2) * 3, 1 + 2 * 3, 2 ^ 3 ^ 2, -2 ^ 2, (-2) ^ 2)
print(not nil == true, not (1 == 2))
print(1 .. 2 == "12", "a" .. "b" .. "c" == "abc")
-- names that became keywords later are ordinary names in 5.1
local goto = "goto is a name in 5.1"
print(goto)
local t2 = {goto = 1, continue = 2}
print(t2.goto, t2.continue)
