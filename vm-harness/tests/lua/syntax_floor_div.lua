-- integer division // does not exist in Lua 5.1
print(7 // 2)
