-- cyclic require: a requires b, b sees a partially loaded
local A = {}
package.loaded["cyclic_a"] = A
A.name = "A"
local B = require("cyclic_b")
A.b_name = B.name
A.b_saw_a = B.saw_a
return A
