-- n-queens: count all solutions for n = 1..8 and print the first for n = 6 and 8
local function solve(n, wantFirst)
  local cols, d1, d2 = {}, {}, {}
  local pos = {}
  local count, first = 0, nil
  local function place(r)
    if r > n then
      count = count + 1
      if not first then first = {unpack(pos, 1, n)} end
      return
    end
    for c = 1, n do
      if not cols[c] and not d1[r + c] and not d2[r - c + n] then
        cols[c], d1[r + c], d2[r - c + n] = true, true, true
        pos[r] = c
        place(r + 1)
        cols[c], d1[r + c], d2[r - c + n] = nil, nil, nil
      end
    end
  end
  place(1)
  return count, first
end
for n = 1, 8 do
  local count = solve(n)
  print(n, count)
end
for _, n in ipairs({6, 8}) do
  local _, first = solve(n)
  print("first solution for " .. n .. ": " .. table.concat(first, " "))
  for r = 1, n do
    local row = {}
    for c = 1, n do row[c] = (first[r] == c) and "Q" or "." end
    print(table.concat(row))
  end
end
