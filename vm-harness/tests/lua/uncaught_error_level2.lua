local function check(x)
  if type(x) ~= "number" then
    error("expected a number, got " .. type(x), 2)
  end
  return x
end
print(check(5))
local y = check("five")
print(y)
