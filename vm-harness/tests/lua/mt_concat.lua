-- __concat
local S = {}
S.__concat = function(a, b)
  local av = type(a) == "table" and ("<" .. a.v .. ">") or tostring(a)
  local bv = type(b) == "table" and ("<" .. b.v .. ">") or tostring(b)
  return av .. bv
end
local function s(v) return setmetatable({v = v}, S) end
print(s("a") .. "x")
print("x" .. s("b"))
print(s("a") .. s("b"))
print(1 .. s("n"))
-- concatenation is right associative: "a" .. t .. "c" -> "a" .. (t .. "c")
print("a" .. s("t") .. "c")
print(s("1") .. s("2") .. s("3"))
-- a chain of plain strings with a table in the middle
print("p" .. "q" .. s("m") .. "r" .. "s")
-- result of __concat need not be a string
local T = setmetatable({}, {__concat = function(a, b) return 42 end})
print(T .. "x", type(T .. "x"))
-- no metamethod
print(pcall(function() return {} .. "x" end))
print(pcall(function() return "x" .. {} end))
print(pcall(function() local b = true return "x" .. b end))
-- numbers concatenate without metamethods
print(1 .. 2, 1.5 .. "|")
-- __concat with nil on one side
local N = setmetatable({}, {__concat = function(a, b) return tostring(a == nil) .. tostring(b == nil) end})
print(N .. nil, nil .. N)
-- error inside __concat
local E = setmetatable({}, {__concat = function() error("concat failed") end})
print(pcall(function() return "a" .. E end))
-- table.concat does not use __concat
print(pcall(table.concat, {s("x")}))
