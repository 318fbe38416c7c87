-- csv_load.lua: data loading, the project's seed use case. A large CSV text is generated
-- in memory (chunks of a few hundred KB: the "file"), then parsed line by line into one
-- record table per row, all kept live in one array; each chunk becomes garbage once
-- parsed, so the heap turns from big strings into millions of small tables and short
-- strings. Then aggregations run over the live records (group by city, by month, an
-- age histogram, a filtered query), and a fraction of the records is corrected in place
-- (writes into old objects). The live heap grows steadily and almost nothing dies.
-- Usage: csv_load.lua [rows]   (default 1000000; large 14000000, about 5.7 GB live on
--   luagc; smoke 5000)
-- Fields are parsed with string.match and converted with tonumber; amounts are integer
-- cents, so every sum is exact. Aggregates are read in a fixed order, never pairs() order.
-- Random choices come from a Park-Miller LCG (exact on doubles and on 5.4 integers).
-- The last line is a checksum that every interpreter must print identically.

local N = tonumber(arg and arg[1]) or 1000000
local CHUNK = 5000
local M = 2147483647

local seed = 8128
local function rand(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end

local cities = { "Lisbon", "Porto", "Madrid", "Sevilla", "Lyon", "Paris", "Turin", "Milan",
  "Vienna", "Graz", "Zurich", "Basel", "Krakow", "Gdansk", "Riga", "Oslo" }
local first = { "ana", "bruno", "carla", "diego", "eva", "filipe", "gloria", "hugo",
  "ines", "joao", "katia", "luis", "marta", "nuno", "olga", "pedro" }

-- Generate the text: N rows in chunks of CHUNK lines, plus a header line.
local chunks = {}
local nchunks = 0
local row = 0
while row < N do
  local lines = {}
  local n = 0
  if row == 0 then n = 1; lines[1] = "id,name,city,age,amount,date" end
  for _ = 1, math.min(CHUNK, N - row) do
    row = row + 1
    n = n + 1
    lines[n] = string.format("%d,%s_%d,%s,%d,%d.%02d,2024-%02d-%02d", row,
      first[rand(#first)], rand(100000), cities[rand(#cities)], 17 + rand(70),
      rand(5000) - 1, rand(100) - 1, rand(12), rand(28))
  end
  nchunks = nchunks + 1
  chunks[nchunks] = table.concat(lines, "\n", 1, n) .. "\n"
end

-- Parse: every row a record, kept live.
local records = {}
local nrec, bad = 0, 0
for c = 1, nchunks do
  local text = chunks[c]
  chunks[c] = nil
  for line in string.gmatch(text, "[^\n]+") do
    local id, name, city, age, units, cents, month, day =
      string.match(line, "^(%d+),([^,]*),([^,]*),(%d+),(%d+)%.(%d%d),%d+%-(%d+)%-(%d+)$")
    if id then
      nrec = nrec + 1
      records[nrec] = { id = tonumber(id), name = name, city = city, age = tonumber(age),
        cents = tonumber(units) * 100 + tonumber(cents), month = tonumber(month),
        day = tonumber(day) }
    else
      bad = bad + 1 -- the header
    end
  end
end

-- Aggregate.
local by_city = {}
for i = 1, #cities do by_city[cities[i]] = { count = 0, cents = 0, oldest = 0 } end
local by_month = {}
for m = 1, 12 do by_month[m] = 0 end
local ages = {}
for a = 0, 9 do ages[a] = 0 end
local big, big_cents = 0, 0
for i = 1, nrec do
  local r = records[i]
  local g = by_city[r.city]
  g.count = g.count + 1
  g.cents = g.cents + r.cents
  if r.age > g.oldest then g.oldest = r.age end
  by_month[r.month] = by_month[r.month] + r.cents
  local decade = math.floor(r.age / 10)
  ages[decade] = ages[decade] + 1
  if r.cents >= 490000 and r.day <= 7 then big = big + 1; big_cents = big_cents + r.cents end
end

-- Corrections in place: one record in 16 gets a new name string and amount.
for i = 16, nrec, 16 do
  local r = records[i]
  r.name = string.upper(r.name)
  r.cents = r.cents + 1
end
local upper = 0
for i = 1, nrec do
  if string.byte(records[i].name, 1) < 97 then upper = upper + 1 end
end

local h = 0
for i = 1, #cities do
  local g = by_city[cities[i]]
  h = (h * 31 + g.count + g.cents % M + g.oldest) % M
  io.write(string.format("%-8s %8d rows %14d cents, oldest %d\n", cities[i], g.count, g.cents, g.oldest))
end
for m = 1, 12 do h = (h * 31 + by_month[m] % M) % M end
for a = 0, 9 do h = (h * 31 + ages[a]) % M end
io.write(string.format("records %d, header lines %d, big %d, upper %d\n", nrec, bad, big, upper))
io.write(string.format("checksum csv_load %d %d %d %d\n", N, h, big_cents % M, upper))
