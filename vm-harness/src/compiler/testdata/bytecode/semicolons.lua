local a = {}; a.x = a;
local b = 1; return b;
