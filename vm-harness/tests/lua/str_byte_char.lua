-- string.byte and string.char
print(string.byte("A"), ("ABC"):byte(2), ("ABC"):byte(-1), ("ABC"):byte(1, 3))
print(("ABC"):byte(1, -1))
print(("ABC"):byte(10), ("ABC"):byte(0), select('#', ("ABC"):byte(10)))
print(("ABC"):byte(3, 1), select('#', ("ABC"):byte(3, 1)))
print((""):byte(), select('#', (""):byte()))
print(("\0\1\127\128\255"):byte(1, -1))
print(string.char(), string.char(72, 105), string.char(0):len())
print(string.char(104, 101, 108, 108, 111))
-- all bytes round trip
local t = {}
for i = 0, 255 do t[#t + 1] = string.char(i) end
local all = table.concat(t)
print(#all)
local ok = true
for i = 0, 255 do if all:byte(i + 1) ~= i then ok = false end end
print(ok)
-- char errors
print(pcall(function() return string.char(256) end))
print(pcall(function() return string.char(-1) end))
print(pcall(function() return string.char("x") end))
print(pcall(function() return string.char(65, nil) end))
-- numeric strings accepted
print(string.char("65", "66"), ("x"):byte("1"))
-- byte with float index is truncated
print(("abcdef"):byte(2.9), ("abcdef"):byte(1.1, 3.9))
-- caesar cipher via byte/char
local function caesar(str, k)
  return (str:gsub("%a", function(c)
    local base = c:match("%l") and 97 or 65
    return string.char((c:byte() - base + k) % 26 + base)
  end))
end
print(caesar("Hello, World", 3), caesar(caesar("Hello, World", 3), -3))
