print("before the error")
local t = nil
print(t.field)
print("never reached")
