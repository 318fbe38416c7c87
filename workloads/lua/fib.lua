-- fib.lua: naive recursive Fibonacci. Allocates nothing: it measures the interpreter
-- alone, so a collector should cost nothing here (a control for the other workloads).
-- Usage: fib.lua [n]   (default 30; smoke: 15)
-- The last line is a checksum that every interpreter must print identically.

local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

local n = tonumber(arg and arg[1]) or 30
io.write(string.format("checksum fib %d %d\n", n, fib(n)))
