local s = [==[
unterminated long string with the wrong closing level
]=]
