-- goto is not a statement in Lua 5.1 ('goto' is an ordinary name)
for i = 1, 3 do
  goto continue
  ::continue::
end
