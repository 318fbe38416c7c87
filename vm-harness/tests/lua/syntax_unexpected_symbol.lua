print("never")
local x = 1 +* 2
