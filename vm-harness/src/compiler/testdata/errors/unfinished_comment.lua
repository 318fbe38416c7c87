--[[ never
closed
