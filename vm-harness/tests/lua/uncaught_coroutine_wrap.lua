-- an error inside coroutine.wrap propagates to the main chunk
local gen = coroutine.wrap(function()
  coroutine.yield(1)
  error("generator exhausted badly")
end)
print(gen())
print(gen())
