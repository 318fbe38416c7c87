if not a then x = 1 end
local b = not not a
x = not a == b
if a == nil then end
if nil then x = 2 end
if true then x = 3 end
if false then else x = 4 end
while not a do end
if not (a and b) then end
