-- if / elseif / else
local function classify(n)
  if n < 0 then return "negative"
  elseif n == 0 then return "zero"
  elseif n < 10 then return "small"
  elseif n < 100 then return "medium"
  else return "large" end
end
for _, v in ipairs({-5, 0, 3, 42, 1000}) do print(v, classify(v)) end
-- truthiness
local function truth(v) if v then return "T" else return "F" end end
print(truth(nil), truth(false), truth(0), truth(""), truth({}), truth(true), truth("false"))
-- nested ifs
local function grade(s)
  if s >= 50 then
    if s >= 90 then return "A" else
      if s >= 70 then return "B" end
      return "C"
    end
  else
    return "F"
  end
end
print(grade(95), grade(75), grade(55), grade(10))
-- if without else
local x
if false then x = 1 end
print(x)
-- conditions with side effects evaluated once and in order
local log = {}
local function f(v) log[#log + 1] = tostring(v) return v end
if f(false) then elseif f(nil) then elseif f(1) then elseif f(2) then end
print(table.concat(log, ","))
-- if as statement with a local only visible in its block
if true then local inner = "in" print(inner) end
print(inner)
-- many elseifs
local function day(n)
  if n == 1 then return "mon" elseif n == 2 then return "tue" elseif n == 3 then return "wed"
  elseif n == 4 then return "thu" elseif n == 5 then return "fri" elseif n == 6 then return "sat"
  elseif n == 7 then return "sun" end
  return "?"
end
local d = {}
for i = 0, 8 do d[#d + 1] = day(i) end
print(table.concat(d, " "))
-- comparisons in conditions with strings
if "a" < "b" then print("a<b") end
if not ("b" < "a") then print("not b<a") end
