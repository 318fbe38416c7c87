if a and b then x = 1
elseif c or d then x = 2
elseif not e then x = 3
end
while a and b do x = x + 1 end
if a then if b then x = 1 else x = 2 end end
if a then return end
if a then x = 1 elseif b then return end
