local limit
local n = 5
print("comparing")
if n < limit then print("less") end
