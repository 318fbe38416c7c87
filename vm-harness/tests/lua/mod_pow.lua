-- % on positives, negatives and floats (a - floor(a/b)*b), and ^
local cases = {
  {7, 3}, {-7, 3}, {7, -3}, {-7, -3}, {6, 3}, {-6, 3}, {0, 5},
  {5.5, 2}, {-5.5, 2}, {5.5, -2}, {5, 0.3}, {-5, 0.3}, {1, 0.1},
  {3.75, 1}, {-3.75, 1}, {1e10, 7}, {2^40 + 3, 2^20}, {0.5, 0.25},
}
for _, c in ipairs(cases) do
  print(c[1] .. " % " .. c[2], c[1] % c[2])
end
-- (5 % math.huge is nan in 5.1: a - floor(a/b)*b; not printed)
local mh = 5 % math.huge
print(mh ~= mh)
print(string.format("%.6f", 5.3 % 1), string.format("%.6f", -5.3 % 1))
-- x % 0 is nan in 5.1: check it is not equal to itself, do not print it
local m0 = 5 % 0
print(m0 ~= m0)
-- ^
print(2 ^ 0, 2 ^ 1, 2 ^ 10, 2 ^ 0.5, 4 ^ 0.5, 27 ^ (1 / 3))
print(2 ^ -2, (-2) ^ 2, (-2) ^ 3, -2 ^ 2, 0 ^ 0, 0 ^ 1)
print(10 ^ 15, 10 ^ 16, 10 ^ -3, 1 ^ math.huge)
print(2 ^ 1023 * 2, 2 ^ 1024, 2 ^ -1074 > 0)
local neg = (-8) ^ (1 / 3)
print(neg ~= neg)
-- exponentiation is right associative and binds tighter than unary minus
print(2 ^ 3 ^ 2, -2 ^ -2, 2 ^ -3 ^ 2)
-- math.fmod differs from % on negatives
print(math.fmod(-7, 3), -7 % 3, math.fmod(7, -3), 7 % -3)
-- % with strings coerced
print("7" % 3, 7 % "3", "-7" % "3")
