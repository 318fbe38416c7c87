-- Numbers passed where the library wants integers convert as 5.1's C casts do on
-- x86-64: truncation toward zero, and the "integer indefinite" value (the most
-- negative integer) for NaN and numbers out of range; sizes that come from such
-- numbers are checked before anything is allocated.
local bit = require("bit")
print(string.byte("abc", 2^63))
print(string.sub("abcdef", 2^63), string.sub("abcdef", -2^63))
print(string.sub("abcdef", 2, 2^63), string.sub("abc", 0/0))
print(("x"):rep(0/0), #string.rep("x", 2^40), #string.rep("x", 2^32 + 3))
print(pcall(string.byte, "abc", -2^63, 2^63))
print(pcall(string.byte, string.rep("x", 10000), 1, -1))
print(pcall(string.char, 256))
print(pcall(string.char, -1))
print(pcall(select, -1, 1, 2))
print(pcall(table.concat, {}, "", 1, 2^53))
print(string.format("%d|%x|%5.1s|", 2^70, -1, "abc"))
print(bit.lshift(1, 2^40), bit.rol(1, -2^31), bit.tohex(-1, 2^53))
print(pcall(tonumber, "10", 2^31))
print(pcall(tonumber, "10", 1))
print(select("#", unpack({}, 1, 7000)))
print(pcall(unpack, {}, 1, 1e6))
print(pcall(string.rep, "x", -2^63))
