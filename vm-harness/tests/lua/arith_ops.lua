-- arithmetic operators
print(1 + 2, 10 - 3, 6 * 7, 7 / 2, 1 / 3, -7 / 2)
print(2 ^ 10, 2 ^ 0.5, 2 ^ -1, 10 ^ 2, 0 ^ 0, 2 ^ 0)
print(-(3), - -3, -(-3.5))
print(1 / 0, -1 / 0, 1 / 0 == math.huge, -1 / 0 == -math.huge)
print(0 / 1, 3 + 0.5, 3 * 1.5, 100 / 10)
print(2 ^ 53, 2 ^ 53 + 1, 2 ^ 63, 2 ^ 64)
print(1e15 + 1, 1e16 + 1)
print(0.1 + 0.2, 0.1 + 0.2 == 0.3, 0.5 + 0.25 == 0.75)
-- precedence
print(2 + 3 * 4, (2 + 3) * 4, 2 * 3 ^ 2, -3 ^ 2, 2 ^ -2)
print(10 - 4 - 3, 100 / 10 / 5, 2 ^ 3 ^ 2, (2 ^ 3) ^ 2)
print(1 + 2 .. "", "x" .. 1 + 2, 2 .. 3 ^ 2)
print(-2 ^ 2 + 1, not 1 == 2, (not 1) == false)
-- integer-valued floats print as integers
print(3.0, -3.0, 1e2, 2 ^ 31, 2 ^ 32, -2 ^ 31)
-- large and small
print(1e300 * 1e10, -1e300 * 1e10, 1e-300 * 1e-300)
print(math.huge - math.huge ~= math.huge - math.huge)
-- division results
print(1 / 4, 3 / 8, 22 / 7, 1e10 / 3)
-- arithmetic on variables of every numeric shape
local a, b = 17, 5
print(a + b, a - b, a * b, a / b, a % b, a ^ 2, -a)
a, b = -17, 5
print(a + b, a - b, a * b, a / b, a % b, -a)
a, b = 2.5, -1.25
print(a + b, a - b, a * b, a / b, a % b, a ^ 2)
-- unary minus on expressions
local c = 4
print(-c, -c * 2, -(c + 1), - - c)
-- constant folding edge cases should behave as runtime
local zero = 0
print(1 / zero, -1 / zero, zero / 1)
-- repeated operations
local acc = 1
for i = 1, 20 do acc = acc * 2 end
print(acc)
local f = 1
for i = 1, 20 do f = f * i end
print(f)
local g = 1
for i = 1, 25 do g = g * i end
print(g)
