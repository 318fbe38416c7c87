f"a""b"
f[[x]]
f{x = 1}{2}
obj:m"s"
obj:m{1}
local s = ("x"):rep(3)
