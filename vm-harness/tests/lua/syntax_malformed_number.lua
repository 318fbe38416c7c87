local n = 3..4
