-- numeric literals in every form Lua 5.1 accepts
print(0, 1, 42, 007, 1234567890)
print(3.0, 3.5, .5, 5., 0.125)
print(1e0, 1e1, 1E2, 1e+3, 1e-3, 2.5e3, .5e1, 5.E-1)
print(0x0, 0xff, 0XFF, 0xA, 0xabcdef, 0x7fffffff, 0xffffffff, 0x100000000)
print(0x10 + 1, -0x10, 0x1F * 2)
print(1e308, 1e-308)
print(123456789012345, 1234567890123456, 12345678901234567)
print(3.14159265358979, 2.718281828459045)
print(type(1), type(1.5), type(0x10))
print(math.type)  -- nil in 5.1
-- literal adjacent to operators
print(1+2, 1-2, 2*3, 1/2, 7%3, 2^10)
print(- 5, -(-5), - -5)
print(10 .. 20)
-- integer-looking floats
print(1.0 == 1, 0x10 == 16, 1e2 == 100)
-- tonumber of the same textual forms
local forms = {"0x1A", "1e5", ".5", "5.", "  12  ", "0X10", "1E-2", "- 1", "1e", "0x", "1.2.3", ""}
for _, s in ipairs(forms) do
  print(string.format("%q", s), tonumber(s))
end
