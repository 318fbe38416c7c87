-- Functions 5.1 keeps for compatibility.
for w in string.gfind("one two three", "%a+") do io.write(w, ".") end
print()
print(string.gfind == string.gmatch)
print(table.getn({ 1, 2, 3 }), table.getn({}))
print(pcall(table.setn, {}, 1))
print(pcall(table.setn, 5))
local seen = {}
print(table.foreach({ a = 1, b = 2 }, function(k, v) seen[#seen + 1] = k .. v end))
table.sort(seen)
print(table.concat(seen, ","))
print(table.foreach({ x = "found" }, function(k, v) return v end))
print(table.foreachi({ 10, 20, 30 }, function(i, v) io.write(i, "=", v, " ") end))
print(table.foreachi({ 10, 20, 30 }, function(i, v) if v == 20 then return i end end))
print(pcall(table.foreach, {}, 1))
print(pcall(table.foreachi, 1, print))
print(math.mod(7, 3), math.mod(-7, 3), math.mod(7, -3))
