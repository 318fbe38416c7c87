-- tostring / tonumber
print(tostring(1), tostring(-1.5), tostring("s"), tostring(nil), tostring(true), tostring(false))
print(tostring(1e15), tostring(1e16), tostring(0.1), tostring(2^63), tostring(-1/0))
print(tonumber("10"), tonumber("10.5"), tonumber("  10  "), tonumber("1e3"), tonumber("-7"))
print(tonumber("0x10"), tonumber("0XfF"), tonumber(".5"), tonumber("5."), tonumber("+3"))
print(tonumber(""), tonumber(" "), tonumber("abc"), tonumber("10a"), tonumber("1 0"), tonumber("--1"))
print(tonumber("\t\n12\r\n"), tonumber("1e"), tonumber("e1"), tonumber("."), tonumber("0x"))
print(tonumber(42), tonumber(nil), tonumber(true), tonumber({}), tonumber(print) == nil)
print(tonumber("1e500"), tonumber("-1e500"), tonumber("1e-500"))
print(tonumber("0x7fffffff"), tonumber("0xffffffff"))
print(tonumber("1.5e2"), tonumber("1.5E+2"), tonumber("150e-1"))
print(pcall(tonumber))
-- tostring with too few args
print(pcall(tostring))
-- round trips
for _, s in ipairs({"0", "1", "-1", "3.5", "1e+15", "1e+16", "0.1", "123456789"}) do
  io.write(s, "->", tostring(tonumber(s)), " ")
end
print()
-- tostring on numbers vs concatenation
print(tostring(12) == 12 .. "", tostring(-0.5) == -0.5 .. "")
-- tostring is used by print
local mt = {__tostring = function() return "custom" end}
print(setmetatable({}, mt))
-- tonumber with leading zeros
print(tonumber("007"), tonumber("0.0010"), tonumber("-0"))
