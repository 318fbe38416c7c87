local x, y
function a()
  return function()
    return function() return x, y end
  end
end
function b()
  local z = 1
  return function() z = z + x; return z end
end
