-- 5.1 rejects a call whose '(' starts a new line
local f = print
local x = f
("ambiguous")
