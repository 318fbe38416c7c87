-- error with a table value: the standalone interpreter cannot print it
print("raising a table")
error({code = 42})
