local obj = {}
print("calling a missing method")
obj:missing()
