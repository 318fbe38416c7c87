-- io.write: multiple arguments, numbers, no separators, no newline
io.write("a", "b", "c", "\n")
io.write(1, " ", 2.5, " ", -3, " ", 1e100, " ", 0.1, "\n")
io.write()
io.write("")
io.write("no newline")
io.write("\n")
io.write(2^53, "|", 1/3, "|", 100, "\n")
-- in 5.1 io.write and file:write return true (not the file, as in 5.2+)
print(io.write(""))
print(io.stdout:write(""))
-- bad arguments
print(pcall(io.write, {}))
print(pcall(io.write, nil))
print(pcall(io.write, true))
-- io.stdout:write
io.stdout:write("stdout ", "write ", 42, "\n")
-- print vs io.write interleave in order
print("print 1")
io.write("write 2\n")
print("print 3")
-- embedded zeros are written
io.write("a\0b\n")
-- io.read from /dev/null returns nil
print(io.read())
print(io.read("*a") == "")
print(io.read("*n"))
-- type of io objects
print(io.type(io.stdout), io.type(42), io.type(io.stdin))
-- string.format + io.write
io.write(string.format("%5.2f|%-4s|%d\n", 3.14159, "ab", 7))
-- many pieces
for i = 1, 10 do io.write(i, i < 10 and "," or "\n") end
