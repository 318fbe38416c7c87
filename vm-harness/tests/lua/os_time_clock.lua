-- os.clock / os.time / os.date: only types and monotonicity
local c1 = os.clock()
local x = 0
for i = 1, 200000 do x = x + i end
local c2 = os.clock()
print(type(c1), c1 >= 0, c2 >= c1)
local t1 = os.time()
print(type(t1), t1 > 1000000000, t1 == math.floor(t1))
local t2 = os.time()
print(t2 >= t1, t2 - t1 < 100)
-- os.time with a table is deterministic given the same table
local a = os.time({year = 2020, month = 1, day = 1, hour = 12})
local b = os.time({year = 2020, month = 1, day = 2, hour = 12})
print(type(a), b - a)
print(os.time({year = 2021, month = 3, day = 1, hour = 0}) - os.time({year = 2021, month = 2, day = 28, hour = 0}))
print(pcall(os.time, {year = 2020}))
-- os.date of a fixed time in UTC with "!" format
print(os.date("!%Y-%m-%d %H:%M:%S", 0))
print(os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365))
local d = os.date("!*t", 3600)
print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday, d.isdst)
print(type(os.date()), type(os.date("*t").year))
-- difftime
print(os.difftime(10, 4), os.difftime(t2, t1) >= 0)
-- getenv of a missing variable
print(os.getenv("SURELY_NOT_SET_VARIABLE_12345"))
