-- string <-> number coercions in arithmetic and concatenation
print("10" + 5, "10" - 5, "10" * 2, "10" / 4, "10" % 3, "2" ^ 3, -"3")
print("0x10" + 0, "1e2" + 0, " 5 " + 0, "5." + 0, ".5" + 0)
print("3" + "4", type("3" + "4"))
print(10 .. "", 1.5 .. "", -0.5 .. "x", 1e100 .. "", 2^53 .. "")
print(1 .. 2, 12 .. 34 .. 56)
print(type(1 .. ""), #(123 .. ""))
-- concatenation of floats uses %.14g
print(0.1 .. "", (1/3) .. "", 100 / 2 .. "")
-- invalid coercions raise errors
print(pcall(function() return "abc" + 1 end))
print(pcall(function() return "1x" * 2 end))
print(pcall(function() return {} .. "x" end))
print(pcall(function() return "x" .. nil end))
print(pcall(function() return true .. "" end))
print(pcall(function() return -"abc" end))
print(pcall(function() return "" + 1 end))
-- comparison does not coerce
print("10" == 10, pcall(function() return "10" < 11 end))
-- tostring/tonumber round trips
for _, v in ipairs({0, 1, -1, 0.5, 1e15, 1e16, 123.456, 1/3}) do
  local s = tostring(v)
  print(s, tonumber(s) == v)
end
-- numeric strings as table keys are distinct from numbers
local t = {}
t[1] = "number key"
t["1"] = "string key"
print(t[1], t["1"], t[1.0], t[tonumber("1")])
-- string methods on numbers need tostring
print(pcall(function() return (5):rep(2) end))
print(string.rep(5, 2), string.len(123), string.upper(1e3))
-- automatic coercion in string library arguments
print(string.sub(12345, 2, 3), ("x"):rep("3"), string.char("65", 66))
-- arithmetic on numeric strings with whitespace and signs
print(" -7 " * 2, "\t8\n" + 0, "+5" + 0)
