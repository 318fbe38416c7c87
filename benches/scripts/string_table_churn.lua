-- Interns N distinct strings, drops them, then allocates small tables so that cycles
-- prune the string table of the dead ones and halve it, a quarter full, in steps: with
-- `luagc --stats --pause-cpu-time`, the longest sweep pauses (`pauses_by_phase_ms`) are
-- the string table's growth, pruning and halving at their largest.
--   luagc --gc newgc --stats --pause-cpu-time string_table_churn.lua [N]
local n = tonumber(arg and arg[1]) or 6000000
local t = {}
for i = 1, n do t[i] = "s" .. i end
t = nil
local kept = 0
for i = 1, 5 * n do
  local x = { i }
  if i % n == 0 then kept = kept + x[1] end
end
print(kept)
