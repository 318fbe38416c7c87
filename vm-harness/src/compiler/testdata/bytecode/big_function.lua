local function process(list, pred, ...)
  local out, n = {}, 0
  for i, v in ipairs(list) do
    if pred(v, ...) then
      n = n + 1
      out[n] = v
    elseif v == nil or (type(v) == "table" and #v > 0) then
      out[#out + 1] = process(v, pred, ...)
    else
      local s = tostring(v) .. ":" .. i
      print(s:upper(), s:len())
    end
  end
  while n > 0 and out[n] == false do n = n - 1 end
  repeat
    local done = n <= 0
    n = n - 1
  until done
  return out, n, select("#", ...)
end
return process({1, 2, {3}}, function(x) return x > 1 end)
