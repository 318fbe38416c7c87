-- Binary chunks: string.dump round trips, and loadstring checks the code of a chunk it
-- reads, so a corrupted chunk gives nil and "bad code in precompiled chunk" instead of
-- running. Each corruption changes one field of a dumped function.

-- The top function of a 5.1 chunk: 12-byte header, source (8-byte length, bytes),
-- line defined and last line (4 bytes each), then one byte each for the upvalue count,
-- the parameter count, the vararg flags and the stack size, the code size (4 bytes)
-- and the instructions (4 bytes each, little-endian).
local function u32(s, i)
  local a, b, c, d = s:byte(i, i + 3)
  return a + b * 256 + c * 65536 + d * 16777216
end

local function layout(chunk)
  local at = 13 + 8 + u32(chunk, 13) + 8
  return {nups = at, params = at + 1, vararg = at + 2, maxstack = at + 3, code = at + 8}
end

local function with_byte(chunk, pos, value)
  return chunk:sub(1, pos - 1) .. string.char(value) .. chunk:sub(pos + 1)
end

-- Replaces instruction n (1-based) of the top function.
local function with_instruction(chunk, n, word)
  local pos = layout(chunk).code + (n - 1) * 4
  local bytes = {}
  for k = 1, 4 do
    bytes[k] = string.char(word % 256)
    word = math.floor(word / 256)
  end
  return chunk:sub(1, pos - 1) .. table.concat(bytes) .. chunk:sub(pos + 4)
end

-- Instruction encodings (B:9 C:9 A:8 OP:6).
local function abc(op, a, b, c) return op + a * 64 + c * 16384 + b * 8388608 end
local function abx(op, a, bx) return op + a * 64 + bx * 16384 end
local function asbx(op, a, sbx) return abx(op, a, sbx + 131071) end
local MOVE, GETUPVAL, GETGLOBAL, MUL, JMP, CALL, RETURN, CLOSURE =
  0, 4, 5, 14, 22, 28, 30, 36
local K = 256

local function try(name, chunk)
  local f, msg = loadstring(chunk)
  print(name, type(f), msg ~= nil and msg:find("bad code in precompiled chunk", 1, true) ~= nil)
  return f
end

-- LT 0 0 1; JMP 2; MUL 2 0 K(0); RETURN 2 2; RETURN 1 2; RETURN 0 1 (3 registers)
local f = string.dump(function(a, b) if a < b then return a * 2 end return b end)
local loaded = try("intact", f)
print(loaded(1, 2), loaded(3, 2))
local L = layout(f)
try("opcode", with_instruction(f, 1, 63))
try("register", with_instruction(f, 3, abc(MUL, 200, 0, K)))
try("constant", with_instruction(f, 3, abc(MUL, 2, 0, K + 5)))
try("jump past the end", with_instruction(f, 2, asbx(JMP, 0, 100)))
try("jump before the start", with_instruction(f, 2, asbx(JMP, 0, -3)))
try("test without jump", with_instruction(f, 2, abc(MOVE, 0, 0, 0)))
try("no final return", with_instruction(f, 6, abc(MOVE, 0, 0, 0)))
try("stack too big", with_byte(f, L.maxstack, 251))
try("parameters beyond the stack", with_byte(f, L.params, 4))

-- GETGLOBAL 1 K(print); MOVE 2 0; CALL 2 1 0; CALL 1 0 1; RETURN 0 1
local g = string.dump(function(t) print(t()) end)
try("intact", g)
try("open results not taken", with_instruction(g, 4, abc(CALL, 1, 2, 1)))
try("global name not a string", with_instruction(g, 1, abx(GETGLOBAL, 1, 1)))

-- VARARG 1 0; RETURN 1 0; RETURN 0 1
local h = string.dump(function(...) return ... end)
print(loadstring(h)(1, 2, 3))
try("vararg in a fixed function", with_byte(h, layout(h).vararg, 0))

-- A dumped closure's upvalues come back as fresh variables holding nil.
local x = 10
local k = string.dump(function() x = (x or 0) + 1 return x end)
local k1, k2 = loadstring(k), loadstring(k)
print(k1(), k1(), k2(), x)
try("upvalue", with_instruction(k, 1, abc(GETUPVAL, 0, 1, 0)))
try("upvalue count too small", with_byte(k, layout(k).nups, 0))

-- CLOSURE 0 0; RETURN 0 2; RETURN 0 1
local n = string.dump(function() return function() return 7 end end)
print(loadstring(n)()())
try("missing function", with_instruction(n, 1, abx(CLOSURE, 0, 1)))
try("return of a bad register", with_instruction(n, 2, abc(RETURN, 2, 2, 0)))
