io.write("partial line without newline")
local v = config.setting
