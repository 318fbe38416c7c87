local parts = {"a", "b"}
print("joining")
local s = "items: " .. parts
