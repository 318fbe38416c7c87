-- comparison errors and their messages
local function try(f) local ok, e = pcall(f) print(ok, e) end
try(function() return 1 < nil end)
try(function() return nil < 1 end)
try(function() return 1 <= "x" end)
try(function() return "x" >= 1 end)
try(function() return {} < {} end)
try(function() return {} <= {} end)
try(function() return true > false end)
try(function() return print < print end)
try(function() return 1 > {} end)
try(function() return {} > 1 end)
try(function() return nil >= nil end)
try(function() return coroutine.create(function() end) < 1 end)
try(function() local a, b = 1, nil return a < b end)
try(function() local a = {} return a <= 5 end)
-- equality never errors
try(function() return {} == 1, nil == false, print == 1 end)
-- sorting incomparable values fails (symmetric message, no position: the
-- comparison happens inside the C function)
try(function() local t = {{}, {}, {}} table.sort(t) end)
-- math.max/min compare numbers only
try(function() return math.max(1, "x") end)
