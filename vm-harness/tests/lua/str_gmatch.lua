-- string.gmatch
local words = {}
for w in ("one two  three   four"):gmatch("%a+") do words[#words + 1] = w end
print(#words, table.concat(words, ","))
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do io.write(k, "->", v, ";") end
print()
local nums = {}
for n in ("1, -2, 3.5, 40"):gmatch("-?%d+%.?%d*") do nums[#nums + 1] = tonumber(n) end
print(table.concat(nums, " "))
-- empty matches
local parts = {}
for e in ("abc"):gmatch("") do parts[#parts + 1] = "[" .. e .. "]" end
print(#parts, table.concat(parts))
local pos = {}
for p in ("hello"):gmatch("()") do pos[#pos + 1] = p end
print(table.concat(pos, " "))
local stars = {}
for s in ("a,b,,c"):gmatch("([^,]*)") do stars[#stars + 1] = "<" .. s .. ">" end
print(table.concat(stars))
-- in 5.1 gmatch a leading '^' is not an anchor: it matches a literal '^'
local anch = {}
for s in ("^a^b"):gmatch("^%a") do anch[#anch + 1] = s end
print(#anch, table.concat(anch, " "))
-- position captures
for a, b in ("xxAyyB"):gmatch("()%u()") do io.write(a, "-", b, " ") end
print()
-- iterator is independent each call
local it = ("a1b2c3"):gmatch("%a%d")
print(it(), it(), it(), it())
-- split helper
local function split(s, sep)
  local out = {}
  for piece in (s .. sep):gmatch("(.-)" .. sep:gsub("%p", "%%%0")) do out[#out + 1] = piece end
  return out
end
print(table.concat(split("a,b,,c", ","), "|"), #split("a,b,,c", ","))
print(table.concat(split("1.2.3", "."), "|"))
-- gmatch over lines
local text = "line one\nline two\n\nline four"
local n = 0
for line in (text .. "\n"):gmatch("(.-)\n") do n = n + 1 io.write(n, ":", line, "|") end
print()
-- counting words
local count = 0
for _ in ("the cat sat on the mat"):gmatch("the") do count = count + 1 end
print(count)
