-- json_roundtrip.lua: serialisation. Generated documents (nested objects and arrays of
-- integers, strings with escapes, booleans and nulls) are encoded to JSON text with a
-- table.concat buffer, parsed back by a recursive-descent decoder (string.find, sub,
-- byte), and the result encoded again, which must give the same text. Per document: many
-- short strings (keys, escaped pieces, number texts), buffer tables, and the decoded
-- tree, all garbage once the next document starts; a window of recent documents stays
-- live.
-- Usage: json_roundtrip.lua [documents]   (default 10000; large 40000; smoke 100)
-- Object keys are encoded in sorted order, so no output depends on pairs() order.
-- Random choices come from a Park-Miller LCG (exact on doubles and on 5.4 integers).
-- The last line is a checksum that every interpreter must print identically.

local N = tonumber(arg and arg[1]) or 10000
local WINDOW = 64
local M = 2147483647

local seed = 2718
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end

local NULL = setmetatable({}, { __tostring = function() return "null" end })

local words = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
  "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau" }
local specials = { "\"", "\\", "\n", "\t", "/", "\r" }

local function gen_string()
  local parts = {}
  for i = 1, rand(4) do
    parts[i] = words[rand(#words)]
    if rand(5) == 1 then parts[i] = parts[i] .. specials[rand(#specials)] end
  end
  return table.concat(parts, " ")
end

local function gen_value(depth)
  local r = rand(10)
  if depth > 4 then r = rand(5) end
  if r == 1 then return rand(1000000) - 500000
  elseif r == 2 then return gen_string()
  elseif r == 3 then return rand(2) == 1
  elseif r == 4 then return NULL
  elseif r == 5 then return rand(100000)
  elseif r <= 7 then
    local a = {}
    for i = 1, rand(8) - 1 do a[i] = gen_value(depth + 1) end
    return a
  else
    local o = {}
    for _ = 1, rand(6) do
      o[words[rand(#words)] .. rand(50)] = gen_value(depth + 1)
    end
    return o
  end
end

-- Encoder. An array is a table with t[1] ~= nil or an empty table tagged by `is_array`;
-- the generator's empty arrays and objects are told apart by the metatable below.
local ARRAY = {}
local escapes = { ["\""] = "\\\"", ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t",
  ["\r"] = "\\r", ["/"] = "\\/" }

local encode_value
local function encode_string(s, buf, n)
  buf[n + 1] = "\""
  buf[n + 2] = (string.gsub(s, "[\"\\\n\t\r/]", escapes))
  buf[n + 3] = "\""
  return n + 3
end
function encode_value(v, buf, n)
  local t = type(v)
  if t == "number" then
    n = n + 1
    buf[n] = string.format("%d", v)
  elseif t == "string" then
    n = encode_string(v, buf, n)
  elseif t == "boolean" then
    n = n + 1
    buf[n] = v and "true" or "false"
  elseif v == NULL then
    n = n + 1
    buf[n] = "null"
  elseif v[1] ~= nil or getmetatable(v) == ARRAY then
    n = n + 1
    buf[n] = "["
    for i = 1, #v do
      if i > 1 then n = n + 1; buf[n] = "," end
      n = encode_value(v[i], buf, n)
    end
    n = n + 1
    buf[n] = "]"
  else
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys)
    n = n + 1
    buf[n] = "{"
    for i = 1, #keys do
      if i > 1 then n = n + 1; buf[n] = "," end
      n = encode_string(keys[i], buf, n)
      n = n + 1
      buf[n] = ":"
      n = encode_value(v[keys[i]], buf, n)
    end
    n = n + 1
    buf[n] = "}"
  end
  return n
end
local function encode(v)
  local buf = {}
  local n = encode_value(v, buf, 0)
  return table.concat(buf, "", 1, n)
end

-- Decoder.
local unescapes = { ["\""] = "\"", ["\\"] = "\\", n = "\n", t = "\t", r = "\r", ["/"] = "/" }
local decode_value
local function skip(s, i)
  return (string.find(s, "[^ \n\t\r]", i)) or #s + 1
end
local function decode_string(s, i) -- s:sub(i, i) == '"'
  local j = i + 1
  local parts, np = nil, 0
  while true do
    local a = string.find(s, "[\"\\]", j)
    if not a then error("unterminated string at " .. i) end
    if string.byte(s, a) == 34 then
      if not parts then return string.sub(s, i + 1, a - 1), a + 1 end
      np = np + 1
      parts[np] = string.sub(s, j, a - 1)
      return table.concat(parts), a + 1
    end
    parts = parts or {}
    np = np + 1
    parts[np] = string.sub(s, j, a - 1)
    np = np + 1
    parts[np] = unescapes[string.sub(s, a + 1, a + 1)] or error("bad escape at " .. a)
    j = a + 2
  end
end
function decode_value(s, i)
  i = skip(s, i)
  local c = string.byte(s, i)
  if c == 123 then -- {
    local o = {}
    i = skip(s, i + 1)
    if string.byte(s, i) == 125 then return o, i + 1 end
    while true do
      local k
      k, i = decode_string(s, skip(s, i))
      i = skip(s, i)
      if string.byte(s, i) ~= 58 then error("':' expected at " .. i) end
      o[k], i = decode_value(s, i + 1)
      i = skip(s, i)
      c = string.byte(s, i)
      if c == 125 then return o, i + 1 end
      if c ~= 44 then error("',' or '}' expected at " .. i) end
      i = i + 1
    end
  elseif c == 91 then -- [
    local a = setmetatable({}, ARRAY)
    i = skip(s, i + 1)
    if string.byte(s, i) == 93 then return a, i + 1 end
    local n = 0
    while true do
      n = n + 1
      a[n], i = decode_value(s, i)
      i = skip(s, i)
      c = string.byte(s, i)
      if c == 93 then return a, i + 1 end
      if c ~= 44 then error("',' or ']' expected at " .. i) end
      i = i + 1
    end
  elseif c == 34 then
    return decode_string(s, i)
  elseif c == 116 then
    return true, i + 4
  elseif c == 102 then
    return false, i + 5
  elseif c == 110 then
    return NULL, i + 4
  else
    local a, b = string.find(s, "^-?%d+", i)
    if not a then error("value expected at " .. i) end
    return tonumber(string.sub(s, a, b)), b + 1
  end
end
local function decode(s)
  local v, i = decode_value(s, 1)
  if skip(s, i) <= #s then error("trailing text at " .. i) end
  return v
end

-- Documents: a record of generated fields around a list of items.
local function gen_document(k)
  local items = setmetatable({}, ARRAY)
  for i = 1, rand(12) do
    items[i] = { name = gen_string(), qty = rand(100), price = rand(100000),
      tags = gen_value(2), extra = gen_value(1) }
  end
  return { id = k, customer = gen_string(), active = rand(3) ~= 1, items = items,
    meta = gen_value(0), note = NULL }
end

local window = {}
local total_len, hash, values = 0, 0, 0
local function count(v)
  local t = type(v)
  if t ~= "table" or v == NULL then return 1 end
  local c = 1
  for _, x in pairs(v) do c = c + count(x) end -- a sum: order does not matter
  return c
end
for k = 1, N do
  local doc = gen_document(k)
  local text = encode(doc)
  local back = decode(text)
  local again = encode(back)
  if again ~= text then error("round trip differs for document " .. k) end
  window[k % WINDOW + 1] = back
  total_len = total_len + #text
  for p = 1, #text, 97 do hash = (hash * 31 + string.byte(text, p)) % M end
  values = values + count(back)
end

io.write(string.format("documents %d, bytes %d, values %d\n", N, total_len, values))
io.write(string.format("checksum json_roundtrip %d %d %d %d\n", N, total_len, hash, values))
