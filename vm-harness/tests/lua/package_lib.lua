-- package.config, loaders, cpath, loadlib (no dynamic libraries here: only the shape
-- of the result is printed, lua5.1 has them), and the C searchers' messages.
print((package.config:gsub("\n", "|")))
print(#package.loaders, type(package.cpath), type(package.path))
for i, loader in ipairs(package.loaders) do io.write(type(loader), " ") end
print()
local fn, msg, where = package.loadlib("./nonexistent_library.so", "luaopen_x")
print(fn, type(msg), type(where))
print(pcall(package.loadlib))
print(pcall(package.loadlib, "x"))

package.path = "modules/?.lua"
package.cpath = "modules/?.so;/nonexistent/?/core.so"
print(select(2, pcall(require, "no.such.module")))

-- each searcher alone
print(package.loaders[1]("mathx"))
print(type(package.loaders[2]("mathx")))
print(package.loaders[2]("nothere"))
print(package.loaders[3]("nothere"))
print(package.loaders[4]("nothere"))
print(package.loaders[4]("nothere.sub"))

package.preload.pre = function(name) return "preloaded " .. name end
print(require("pre"))
print(pcall(require))
package.loaders = nil
print(pcall(require, "whatever"))
