-- long brackets: strings and comments with levels
local a = [[simple]]
print(a, #a)
local b = [[
first newline skipped]]
print(b, #b)
local c = [==[contains ]] and ]=] inside]==]
print(c)
local d = [=[
multi
line]=]
print(d, #d)
local e = [[no \n escapes \t here]]
print(e, #e)
local f = [[]]
print(#f, f == "")
local g = [[

two newlines, first skipped]]
print(#g, g:sub(1, 1) == "\n")
--[[ a long
comment ]] print("after long comment")
--[==[ a level-2 comment ]] still comment ]==] print("after level comment")
---[[ this is a line comment, not a long comment
print("line comment trick")
--]]
-- a comment ending the line
print("end") -- trailing comment
print([[a]] .. [=[b]=] .. [==[c]==])
print(([[x]]):upper())
