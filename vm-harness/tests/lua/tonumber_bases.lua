-- tonumber with explicit bases 2..36
print(tonumber("1010", 2), tonumber("777", 8), tonumber("ff", 16), tonumber("FF", 16), tonumber("zz", 36))
print(tonumber("10", 2), tonumber("10", 3), tonumber("10", 10), tonumber("10", 36))
for base = 2, 36 do io.write(tonumber("11", base), " ") end
print()
print(tonumber("Z", 36), tonumber("z", 36), tonumber("10", 16), tonumber("7fffffff", 16))
-- invalid digits for the base
print(tonumber("2", 2), tonumber("8", 8), tonumber("g", 16), tonumber("1.5", 10), tonumber("1.5", 16))
-- whitespace is allowed around the number
print(tonumber("  ff  ", 16), tonumber("\t101\n", 2))
-- empty and junk
print(tonumber("", 10), tonumber(" ", 16), tonumber("0x10", 16), tonumber("1 1", 2))
-- base 10 with explicit base behaves like integer parsing
print(tonumber("123", 10), tonumber("1e5", 10), tonumber("12.0", 10))
-- number argument with base
print(tonumber(10, 16), tonumber(255, 10))
-- invalid bases
print(pcall(tonumber, "10", 1))
print(pcall(tonumber, "10", 37))
print(pcall(tonumber, "10", 0))
-- large values
print(tonumber("ffffffff", 16), tonumber("11111111111111111111111111111111", 2))
print(tonumber("zzzzzz", 36))
-- to string in a base (manual conversion)
local function tobase(n, b)
  local digits = "0123456789abcdefghijklmnopqrstuvwxyz"
  if n == 0 then return "0" end
  local s = ""
  while n > 0 do local d = n % b s = digits:sub(d + 1, d + 1) .. s n = math.floor(n / b) end
  return s
end
print(tobase(255, 2), tobase(255, 16), tobase(123456, 36), tonumber(tobase(123456, 36), 36))
