-- a JSON-like serializer with sorted keys
local function sortkeys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    return a < b
  end)
  return keys
end
local function isarray(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  for i = 1, n do if t[i] == nil then return false end end
  return true, n
end
local escapes = {['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\t'] = '\\t', ['\r'] = '\\r'}
local function encode(v, indent, cur)
  cur = cur or ""
  local t = type(v)
  if t == "nil" then return "null"
  elseif t == "boolean" then return tostring(v)
  elseif t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then error("cannot encode number " .. tostring(v)) end
    if v == math.floor(v) and math.abs(v) < 1e15 then return string.format("%d", v) end
    return string.format("%.14g", v)
  elseif t == "string" then
    return '"' .. v:gsub('[%c"\\]', function(c) return escapes[c] or string.format("\\u%04x", c:byte()) end) .. '"'
  elseif t == "table" then
    local arr, n = isarray(v)
    local nextcur = cur .. (indent or "")
    local nl = indent and "\n" or ""
    local sp = indent and " " or ""
    local items = {}
    if arr and n > 0 then
      for i = 1, n do items[i] = nextcur .. encode(v[i], indent, nextcur) end
      return "[" .. nl .. table.concat(items, "," .. nl) .. nl .. cur .. "]"
    elseif arr then
      return "[]"
    end
    for _, k in ipairs(sortkeys(v)) do
      items[#items + 1] = nextcur .. encode(tostring(k)) .. ":" .. sp .. encode(v[k], indent, nextcur)
    end
    return "{" .. nl .. table.concat(items, "," .. nl) .. nl .. cur .. "}"
  end
  error("cannot encode " .. t)
end
local data = {
  name = "test", version = 1.5, count = 42, enabled = true, nothing = false,
  tags = {"a", "b", "c"}, nested = {z = 1, a = {1, 2, {x = "y"}}, m = {}},
  text = 'line1\nline2\t"quoted"\\', ctrl = "\1\31", [10] = "ten", neg = -7, big = 2^53, frac = 1/3,
}
print(encode(data))
print(encode(data, "  "))
print(encode({}), encode({{}}), encode({1, 2, nil, 4}), encode(""), encode(0.1))
print(pcall(encode, {f = print}))
print(pcall(encode, {math.huge}))
