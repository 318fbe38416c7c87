local a =
  1
local b = f(
  a,
  2
)
x = {
  1,
  y = 2,
}
if a
then
  b = 3
end
return a
  +
  b
