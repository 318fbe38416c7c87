-- Interpreter benchmark: method calls through metatables (`self:method()`), with one
-- level of inheritance through `__index`, and field reads and writes on `self`.
-- Allocates only the few objects it starts with. Usage: method_calls.lua [n] (default 3e6)
local Account = {}
Account.__index = Account

function Account.new(balance)
  return setmetatable({ balance = balance, count = 0 }, Account)
end

function Account:deposit(v)
  self.balance = self.balance + v
  self.count = self.count + 1
end

function Account:get()
  return self.balance
end

local Savings = setmetatable({}, { __index = Account })
Savings.__index = Savings

function Savings.new(balance, rate)
  local s = Account.new(balance)
  s.rate = rate
  return setmetatable(s, Savings)
end

function Savings:interest()
  return self:get() * self.rate
end

local n = tonumber(arg and arg[1]) or 3000000
local a, s = Account.new(0), Savings.new(100, 0.5)
local total = 0
for i = 1, n do
  a:deposit(i % 7)
  s:deposit(1)
  total = total + a:get() - s:interest()
end
io.write(string.format("checksum method_calls %d %d %d\n", n, a.count + s.count, total % 1000003))
