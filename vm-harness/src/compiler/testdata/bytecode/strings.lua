local a = "\0\255\a\b\f\n\r\t\v\\\"\'"
local b = [[
first line
second]]
local c = [==[x]]y]==]
local d = '\65\066\0067'
local e = "tab\there" .. 'q\
r'
local f = {["key one"] = 1, key2 = 2}
