-- Long chunk names are cut as luaO_chunkid cuts them: "=name" keeps its start, "@file"
-- its end, a source string its first line's start; syntax errors have a longer buffer
-- (the lexer's MAXSRC, 80) than run-time errors (LUA_IDSIZE, 60).
print(select(2, loadstring("x x", "=" .. string.rep("n", 100))))
print(select(2, loadstring("x x", "@" .. string.rep("f", 100) .. ".lua")))
print(select(2, loadstring("return " .. string.rep("x", 70) .. " +")))
print(select(2, loadstring("return " .. string.rep("y", 56) .. " +")))
print(select(2, loadstring("return " .. string.rep("z", 55) .. " +")))
print(select(2, loadstring("local a = 1\nreturn a +")))
print(pcall(loadstring("error('" .. string.rep("r", 80) .. "')")))
print(pcall(loadstring("error('x')", "=" .. string.rep("m", 100))))
print(pcall(loadstring("error('x')", "@" .. string.rep("g", 100) .. ".lua")))
