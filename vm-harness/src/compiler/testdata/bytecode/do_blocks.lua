do local a; f = function() return a end end
do local b = 1; x = b end
do
  local c = 2
  do local d = c; g = function() return d end end
end
