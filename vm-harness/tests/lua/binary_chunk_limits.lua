-- Binary chunks read as 5.1's lundump reads them: each nested function counts against
-- the C-call limit (200), so a chunk nested too deep is refused before it can exhaust
-- the reader's stack; truncated chunks and unknown constant types are refused too.
-- Messages are printed from "in precompiled chunk"'s reason on (the chunk's name differs).

local function u32(n)
  local bytes = {}
  for k = 1, 4 do
    bytes[k] = string.char(n % 256)
    n = math.floor(n / 256)
  end
  return table.concat(bytes)
end

local HEADER = "\27Lua\81\0\1\4\8\4\8\0"
local NO_SOURCE = string.rep("\0", 8)
-- Lines, 0 upvalues, 0 parameters, vararg, 2 registers, code: RETURN 0 1.
local PREFIX = NO_SOURCE .. u32(0) .. u32(0) .. "\0\0\2\2" .. u32(1) .. u32(8388638)
-- No constants, then the number of nested functions.
local WITH_CHILD = PREFIX .. u32(0) .. u32(1)
local LEAF = PREFIX .. u32(0) .. u32(0)
-- Line info, local variables, upvalue names: all empty.
local DEBUG = u32(0) .. u32(0) .. u32(0)

local function nested(depth)
  return HEADER .. string.rep(WITH_CHILD, depth - 1) .. LEAF .. string.rep(DEBUG, depth)
end

local function try(name, chunk)
  local f, msg = loadstring(chunk)
  print(name, type(f), msg and msg:match(": ([^:]*)$"))
end

try("depth 1", nested(1))
try("depth 100", nested(100))
try("depth 198", nested(198))
try("depth 199", nested(199))
try("depth 800000", nested(800000))
-- From inside a function called by pcall the C-call depth is higher.
print(pcall(function() try("nested call 198", nested(198)) end))
try("truncated", nested(3):sub(1, -5))
try("no code", HEADER .. NO_SOURCE)
try("bad constant", HEADER .. PREFIX .. u32(1) .. "\9")
try("huge count", HEADER .. NO_SOURCE .. u32(0) .. u32(0) .. "\0\0\2\2" .. u32(4294967295))
