print(1, 2, 3)
undefined_function("arg")
