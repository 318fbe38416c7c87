-- Lua 5.1 does not allow empty statements: ';;' is a syntax error
local a = 1;;
