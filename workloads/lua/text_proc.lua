-- text_proc.lua: text processing with the string library. Generates paragraphs of
-- pseudo-words, then per paragraph: tokenises with gmatch, counts word frequencies in a
-- table keyed by word, rewrites with gsub (pattern captures, a function replacement, a
-- table replacement), formats report lines with string.format, and builds output by
-- concatenation and table.concat. Almost every string is short and dies at once: the
-- cost of creating, interning and collecting many short strings (the string table's
-- cost, on interpreters that intern). The frequency table (a few thousand words) and a
-- ring of recent outputs stay live.
-- Usage: text_proc.lua [paragraphs]   (default 100000; large 400000; smoke 1000)
-- Reports iterate words in sorted order, never in pairs() order.
-- Random choices come from a Park-Miller LCG (exact on doubles and on 5.4 integers).
-- The last line is a checksum that every interpreter must print identically.

local N = tonumber(arg and arg[1]) or 100000
local M = 2147483647

local seed = 1618
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end

local consonants = { "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z" }
local vowels = { "a", "e", "i", "o", "u" }
-- A vocabulary of 4000 syllable words; paragraphs draw from it with a skewed choice.
local vocab = {}
for i = 1, 4000 do
  local parts = {}
  for j = 1, 1 + rand(3) do
    parts[j] = consonants[rand(#consonants)] .. vowels[rand(#vowels)]
  end
  vocab[i] = table.concat(parts)
end

local function paragraph()
  local sentences = {}
  for s = 1, 2 + rand(4) do
    local ws = {}
    for w = 1, 4 + rand(10) do
      local r = rand(4000) - 1
      ws[w] = vocab[math.floor(r * r / 4000) + 1] -- skewed toward the first words
      if rand(12) == 1 then ws[w] = ws[w] .. rand(999) end
    end
    local sentence = table.concat(ws, " ")
    sentences[s] = string.upper(string.sub(sentence, 1, 1)) .. string.sub(sentence, 2) .. "."
  end
  return table.concat(sentences, " ")
end

local freq = {}          -- word -> count: lives through the run
local distinct = 0
local ring = {}          -- the last 256 outputs
local out_len, out_hash, numbers = 0, 0, 0
local abbrev = { ba = "BA", ke = "KE", mo = "MO" }

for p = 1, N do
  local text = paragraph()
  -- Tokenise and count.
  local words = 0
  for w in string.gmatch(string.lower(text), "%a+") do
    local c = freq[w]
    if not c then distinct = distinct + 1; c = 0 end
    freq[w] = c + 1
    words = words + 1
  end
  -- Numbers embedded in words: captured, summed.
  for d in string.gmatch(text, "%a(%d+)") do numbers = numbers + tonumber(d) end
  -- Rewrites: swap the two halves of long words, tag numbers, expand some syllables.
  local r1 = string.gsub(text, "(%a%a%a)(%a%a%a+)", "%2-%1")
  local r2 = string.gsub(r1, "%d+", function(d) return string.format("<%03d>", tonumber(d) % 1000) end)
  local r3, subs = string.gsub(r2, "%f[%a](%l%l)", abbrev)
  -- A report line per paragraph; every 64th paragraph a table of its 8 commonest words.
  local line = string.format("%6d %4d words %3d subs %s", p, words, subs, string.sub(r3, 1, 40))
  if p % 64 == 0 then
    local list = {}
    for w in string.gmatch(string.lower(text), "%a+") do
      if not list[w] then list[w] = true; list[#list + 1] = w end
    end
    table.sort(list, function(a, b)
      if freq[a] ~= freq[b] then return freq[a] > freq[b] end
      return a < b
    end)
    local top = {}
    for i = 1, math.min(8, #list) do top[i] = list[i] .. "=" .. freq[list[i]] end
    line = line .. " | " .. table.concat(top, ",")
  end
  ring[p % 256 + 1] = line
  out_len = out_len + #line + #r3
  for i = 1, #line, 7 do out_hash = (out_hash * 31 + string.byte(line, i)) % M end
end

-- The vocabulary's counts, in sorted word order.
local keys = {}
for w in pairs(freq) do keys[#keys + 1] = w end
table.sort(keys)
local fh = 0
for i = 1, #keys do fh = (fh * 17 + freq[keys[i]] + #keys[i]) % M end
io.write(string.format("paragraphs %d, distinct words %d, output bytes %d\n", N, distinct, out_len))
io.write(string.format("checksum text_proc %d %d %d %d %d\n", N, distinct, out_len, out_hash, (fh + numbers) % M))
