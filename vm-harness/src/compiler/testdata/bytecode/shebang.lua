#!/usr/bin/lua5.1
print(1)
x = 2
