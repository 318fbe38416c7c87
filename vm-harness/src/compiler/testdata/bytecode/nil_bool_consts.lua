if x == nil then elseif x ~= true then elseif false == x then end
local t = {}
t[1] = true
t[false] = nil
local a = x == true
