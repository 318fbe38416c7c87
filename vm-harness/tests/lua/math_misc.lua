-- frexp, ldexp, and other odd corners of 5.1 math
print(math.frexp(8))
print(math.frexp(1))
print(math.frexp(0.5))
print(math.frexp(-3))
print(math.frexp(0))
print(math.frexp(1e10))
print(math.frexp(2^-1030))
print(math.ldexp(1, 3), math.ldexp(0.5, 1), math.ldexp(3, -1), math.ldexp(1, 1024), math.ldexp(1, -1075))
print(math.ldexp(0.75, 4), math.ldexp(-1, 10), math.ldexp(1, 52) + 1)
-- round trip
local ok = true
for _, x in ipairs({1, 3.14, -100.5, 1e-300, 1e300, 12345.678}) do
  local m, e = math.frexp(x)
  if math.ldexp(m, e) ~= x or math.abs(m) < 0.5 or math.abs(m) >= 1 then ok = false end
end
print(ok)
-- fmod corner cases (no nan printing)
print(math.fmod(1, math.huge), math.fmod(-1, math.huge), math.fmod(0, 3))
print(math.fmod(10, 3.5), math.fmod(-10, 3.5), math.fmod(2^53, 3))
local nan = math.fmod(1, 0)
print(nan ~= nan)
-- modf on large / small values
print(math.modf(1e15 + 0.5))
print(math.modf(-1e-10))
-- min / max with many args and mixed signs
print(math.max(-1, -2, -3, 0.5, -0.25), math.min(3, 2, 1, 0, -1, -2, 10))
local big = {}
for i = 1, 100 do big[i] = (i * 37) % 101 end
print(math.max(unpack(big)), math.min(unpack(big)))
-- floor / ceil on large values
print(math.floor(2^52 + 0.5), math.ceil(2^52 - 0.5), math.floor(-2^52 - 0.5))
-- abs of min int-like values
print(math.abs(-2^63), math.abs(-2^31))
-- math.mod alias exists in 5.1 with compat
print(type(math.mod), math.mod and math.mod(7, 3))
