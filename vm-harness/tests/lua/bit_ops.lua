-- LuaBitOp: require("bit")
local bit = require("bit")
print(type(bit), package.loaded.bit == bit)
-- tobit normalizes to a signed 32-bit integer
print(bit.tobit(0), bit.tobit(1), bit.tobit(-1), bit.tobit(0xffffffff), bit.tobit(0x80000000))
print(bit.tobit(2^32), bit.tobit(2^32 + 5), bit.tobit(-2^31), bit.tobit(2^31 - 1), bit.tobit(2^40 + 3))
print(bit.tobit(1.4), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5), bit.tobit("12"))
-- tohex
print(bit.tohex(255), bit.tohex(-1), bit.tohex(0), bit.tohex(0x12345678))
print(bit.tohex(255, 2), bit.tohex(255, 4), bit.tohex(255, -4), bit.tohex(0xabcdef, -8), bit.tohex(0x12345678, 3))
print(bit.tohex(-1, 8), bit.tohex(1, 1), bit.tohex(2^32 + 10))
-- bnot band bor bxor
print(bit.bnot(0), bit.bnot(-1), bit.bnot(5), bit.bnot(0x7fffffff))
print(bit.band(0xff, 0x0f), bit.band(-1, 0x12345678), bit.band(0xf0, 0x0f), bit.band(7, 3, 1))
print(bit.bor(0xf0, 0x0f), bit.bor(1, 2, 4, 8), bit.bor(0, 0), bit.bor(-1, 0))
print(bit.bxor(0xff, 0x0f), bit.bxor(5, 5), bit.bxor(1, 2, 3), bit.bxor(-1, 0x55555555))
print(bit.band(0xffffffff, 0xffffffff), bit.bor(0x80000000, 0))
-- shifts
print(bit.lshift(1, 0), bit.lshift(1, 4), bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(1, 33))
print(bit.rshift(256, 4), bit.rshift(-1, 28), bit.rshift(-1, 0), bit.rshift(0x80000000, 31))
print(bit.arshift(256, 4), bit.arshift(-256, 4), bit.arshift(-1, 31), bit.arshift(0x80000000, 4))
print(bit.lshift(0xff, 28), bit.lshift(-1, 1), bit.rshift(1, -1), bit.lshift(1, -1))
-- rotations
print(bit.rol(1, 1), bit.rol(0x80000000, 1), bit.rol(0x12345678, 8), bit.rol(1, 32))
print(bit.ror(1, 1), bit.ror(2, 1), bit.ror(0x12345678, 8), bit.ror(1, 33))
print(bit.tohex(bit.rol(0x12345678, 4)), bit.tohex(bit.ror(0x12345678, 4)))
-- bswap
print(bit.tohex(bit.bswap(0x12345678)), bit.bswap(0), bit.tohex(bit.bswap(-1)), bit.tohex(bit.bswap(0xff)))
-- large numbers wrap modulo 2^32
print(bit.band(2^32 + 7, 0xff), bit.bor(2^33, 1), bit.bxor(2^52, 3))
-- negative numbers
print(bit.band(-8, 0xff), bit.bor(-256, 0x0f), bit.bxor(-1, -1), bit.bnot(-256))
-- argument errors
print(pcall(bit.band, "x", 1))
print(pcall(bit.bor))
print(pcall(bit.tobit, {}))
-- hash function written with bit ops (FNV-1a style, 32-bit)
local function fnv1a(s)
  local h = bit.tobit(2166136261)
  for i = 1, #s do
    h = bit.bxor(h, s:byte(i))
    h = bit.tobit(h * 16777619 % 2^32)
  end
  return bit.tohex(h)
end
print(fnv1a(""), fnv1a("a"), fnv1a("hello world"))
-- popcount
local function popcount(x)
  local c = 0
  while x ~= 0 do x = bit.band(x, x - 1) c = c + 1 end
  return c
end
print(popcount(0), popcount(255), popcount(-1), popcount(0x55555555))
