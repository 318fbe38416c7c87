print("this never runs")
local function f()
  if true then
    print("x")
end
