-- Builds a live heap of N small tables, then runs five explicit full collections: with
-- `luagc --stats-json`, `explicit_ms` times them (compare `--gc-threads 1` and 2).
--   luagc --gc newgc --gc-threads T --stats-json OUT full_collection.lua [N]
local n = tonumber(arg and arg[1]) or 8000000
local t = {}
for i = 1, n do t[i] = { i, i } end
for _ = 1, 5 do collectgarbage("collect") end
print(#t)
