print("10" + 1)
local s = "ten"
print(s * 2)
