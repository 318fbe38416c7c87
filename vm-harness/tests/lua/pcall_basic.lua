-- pcall basics
print(pcall(function() return 1, 2, 3 end))
print(pcall(function() end))
print(pcall(function(...) return select('#', ...), ... end, "a", nil, "c"))
print(pcall(error))
print(pcall(error, "msg"))
print(pcall(error, "msg", 0))
print(pcall(function() error("with position") end))
print(pcall(function() error("no position", 0) end))
print(pcall(function() local x = nil; return x.y end))
print(pcall(pcall))
print(pcall(pcall, pcall))
print(select('#', pcall(error)))
-- pcall with non-function
print(pcall(42))
print(pcall({}))
print(pcall(nil))
-- pcall returns false plus the error value unchanged
local ok, e = pcall(error, 123)
print(ok, e, type(e))
ok, e = pcall(error, nil)
print(ok, e)
ok, e = pcall(error, true)
print(ok, e)
-- pcall of a C function error gets no position
print(pcall(string.rep))
print(pcall(string.sub))
-- state is preserved after an error
local counter = 0
for i = 1, 5 do
  pcall(function() counter = counter + 1 if i % 2 == 0 then error("even") end counter = counter + 10 end)
end
print(counter)
-- pcall inside loops with break/return
local function find(t, x)
  for i, v in ipairs(t) do
    local ok, r = pcall(function() if v == x then return i end error("nope") end)
    if ok then return r end
  end
end
print(find({"a", "b", "c"}, "c"))
-- error message with number formatting
print(pcall(error, 1.5))
print(pcall(function() error(10) end))
print(pcall(function() error("10") end))
