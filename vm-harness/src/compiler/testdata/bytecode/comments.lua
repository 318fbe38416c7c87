-- a comment
--[[ a long
comment ]] x = 1
--[==[
]==]
y = 2 --[[ inline ]] z = 3
