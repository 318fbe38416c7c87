local a, b = (f())
t = {(f())}
g((f()))
local c = (...)
return (f())
