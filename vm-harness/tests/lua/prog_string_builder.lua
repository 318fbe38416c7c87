-- string building: buffers with table.concat, rep, gsub-based templates
local Builder = {}
Builder.__index = Builder
function Builder.new() return setmetatable({parts = {}, n = 0}, Builder) end
function Builder:add(...)
  for i = 1, select('#', ...) do
    self.n = self.n + 1
    self.parts[self.n] = tostring((select(i, ...)))
  end
  return self
end
function Builder:addf(fmt, ...) return self:add(string.format(fmt, ...)) end
function Builder:build(sep) return table.concat(self.parts, sep or "") end
local b = Builder.new()
b:add("Hello", ", ", "World"):add("!"):addf(" %d+%d=%d", 2, 3, 5)
print(b:build())
print(b.n)
-- build a large string and check it
local big = Builder.new()
for i = 1, 10000 do big:add(i % 10) end
local s = big:build()
print(#s, s:sub(1, 12), s:sub(-5))
-- the "tower of Hanoi" buffer technique from PIL
local function newStack() return {""} end
local function addString(stack, str)
  table.insert(stack, str)
  for i = #stack - 1, 1, -1 do
    if #stack[i] > #stack[i + 1] then break end
    stack[i] = stack[i] .. table.remove(stack)
  end
end
local st = newStack()
for i = 1, 1000 do addString(st, "ab") end
local joined = table.concat(st)
print(#joined, #st <= 12)
-- template expansion
local function expand(tpl, vars)
  return (tpl:gsub("%${(%w+)}", function(k) return tostring(vars[k] or "?") end))
end
print(expand("Dear ${name}, you owe ${amount} ${currency}. ${missing}", {name = "Ann", amount = 42.5, currency = "EUR"}))
-- padding and alignment table
local rows = {{"apple", 1.5, 3}, {"banana", 0.25, 12}, {"cherry", 10, 100}}
local out = Builder.new()
out:addf("%-8s|%8s|%5s\n", "name", "price", "qty")
out:add(("-"):rep(23), "\n")
for _, r in ipairs(rows) do out:addf("%-8s|%8.2f|%5d\n", r[1], r[2], r[3]) end
io.write(out:build())
-- reverse words
local words = {}
for w in ("the quick brown fox jumps"):gmatch("%S+") do table.insert(words, 1, w) end
print(table.concat(words, " "))
-- repeated concatenation in a loop (quadratic but small)
local acc = ""
for i = 1, 200 do acc = acc .. string.char(65 + i % 26) end
print(#acc, acc:sub(1, 30))
