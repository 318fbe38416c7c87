-- a Lua 5.1 module() style module
module("oldstyle", package.seeall)
version = "1.0"
function hello(who) return "hello " .. who .. " from " .. _NAME end
