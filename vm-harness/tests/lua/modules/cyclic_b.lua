local B = {name = "B"}
local a = require("cyclic_a")
B.saw_a = a.name
return B
