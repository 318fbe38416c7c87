local settings
local function get()
  return settings.value
end
print("calling get")
get()
