-- os.date's strftime conversions (UTC with "!"), "*t" tables, os.time from a table
-- (normalised, local time), and the round trip between them, which holds in any zone.
print(os.date("!%Y-%m-%d %H:%M:%S", 0))
print(os.date("!%Y-%m-%d %H:%M:%S", 1e9))
print(os.date("!%c", 86400 * 40 + 3600 * 13 + 61))
print(os.date("!%x %X %p %j %a %A %b %B %y %Z %%", 86400 * 40))
print(os.date("!%d %e %H %I %M %S %U %W %w %u %V %G %g %C %D %F %R %T %n%t|", 1234567890))
print(os.date("!%E %5 abc%", 0))
print(os.date("!literal text", 0))
print(os.date("!%H", 1.9), os.date("!%Y", -1))

local function show(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do io.write(k, "=", tostring(t[k]), " ") end
  print()
end
show(os.date("!*t", 0))
show(os.date("!*t", 951782400))          -- 2000-02-29
show(os.date("!*t", -86400))

-- os.time round trips with os.date("*t") in the local zone
for _, t in ipairs{0, 86400, 951782400, 1234567890, 2000000000} do
  io.write(tostring(os.time(os.date("*t", t)) == t), " ")
end
print()
local t = os.date("*t", 1234567890)
print(type(t.isdst), os.date("%Y", 1234567890) == tostring(t.year))

-- normalisation: month 13 is January of the next year, day 0 the last of the month
local base = os.time{year = 2001, month = 1, day = 1, hour = 12}
print(os.time{year = 2000, month = 13, day = 1, hour = 12} == base)
print(os.time{year = 2001, month = 1, day = 31, hour = 12} - base)
print(os.time{year = 2001, month = 2, day = 0, hour = 12} - base)
print(os.time{year = 2001, month = 1, day = 1} == base)   -- hour defaults to 12
print(os.time{year = 2001, month = 1, day = 1, hour = 12, min = 1, sec = 1} - base)
print(os.time{year = "2001", month = "1", day = "1", hour = "12"} == base)
print(os.date("%Y-%m-%d", os.time{year = 2001, month = 14, day = 31}))

print(pcall(os.time, {year = 2000, month = 1}))
print(pcall(os.time, {year = 2000, day = 1}))
print(pcall(os.time, {month = 1, day = 1}))
print(pcall(os.time, {year = 2000, month = 1, day = "x"}))
print(pcall(os.time, 5))
print(pcall(os.date, {}))
print(pcall(os.date, "%Y", "x"))
print(type(os.time()), type(os.date()), os.date("!%Y", 0 / 0))
-- "*t" only alone; the format ends at a NUL, as a C string
print(os.date("!*tx", 0), os.date("!%Y\0%m", 0), #os.date("!\0", 0))
