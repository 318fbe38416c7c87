-- how tostring / print format numbers (%.14g)
local vals = {
  0, 1, -1, 42, 100, 1000000, 123456789, 2^31, 2^32, 2^53, 2^63,
  1e14, 1e15, 1e16, 1e17, 1e100, 1e300, 1e308,
  0.1, 0.5, -0.5, 0.25, 1/3, 2/3, 1e-5, 1e-10, 1.5e-7, 123.456, 3.14159265358979,
  99999999999999, 999999999999999, 9999999999999999, 12345678901234, 123456789012345,
  1/0, -1/0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
  100.25, 1e2, 1.0, -0.0 + 0, 314.15e-2, 0x7fffffff,
}
for _, v in ipairs(vals) do print(v) end
-- tostring and .. agree
for _, v in ipairs({0.1, 1e15, 1e16, 2^53, -1.5}) do print(tostring(v) == v .. "") end
-- negative zero computed at run time prints as -0 in lua5.1
-- (a literal -0 may be constant-folded and merged with the constant 0, so
-- it is produced from a variable here)
local zero = 0
local nz = -zero
print(nz, zero * -1, tostring(nz), nz .. "")
print(nz == 0, 1 / nz, string.format("%g", nz))
-- io.write uses %.14g too
io.write(0.1, " ", 1e15, " ", 1e16, " ", 2^53, " ", nz, "\n")
-- string.format("%s") uses tostring
print(string.format("%s %s %s", 1e15, 0.1, 2^63))
-- integers from computations
print(10 / 2, 3 * 1.0, 7 - 0.5 * 2, 2^10)
print(math.floor(3.7), math.ceil(3.2), math.floor(-3.5))
