x = 'a
b'