-- require, package.path, package.loaded, module()
package.path = "modules/?.lua"
package.cpath = ""
local m = require("mathx")
print(type(m), m.square(4), m.cube(3), m.name)
-- second require returns the cached value without running the file again
local m2 = require("mathx")
print(m2 == m, load_counter_mathx, package.loaded.mathx == m)
-- module returning nothing stores true
print(require("noreturn"), noreturn_ran, package.loaded.noreturn)
-- dotted names map to directories
local deep = require("nested.deep")
print(deep.where, deep.arg, package.loaded["nested.deep"] == deep)
-- missing module: error lists what was tried
local ok, e = pcall(require, "does_not_exist")
print(ok)
print(e)
-- module raising an error
ok, e = pcall(require, "failing")
print(ok, e)
-- 5.1 leaves its loading sentinel (a userdata) in package.loaded after a failure,
-- so a second require reports a loop
print(type(package.loaded.failing))
print(pcall(require, "failing"))
-- module with a syntax error
ok, e = pcall(require, "badsyntax")
print(ok, e)
-- package.preload
package.preload["virtual"] = function(name) return {virtual = true, name = name} end
local v = require("virtual")
print(v.virtual, v.name)
-- package.loaded can be pre-filled
package.loaded["fake"] = {fake = "yes"}
print(require("fake").fake)
-- unloading forces a reload
package.loaded.mathx = nil
local m3 = require("mathx")
print(m3 ~= m, load_counter_mathx)
-- module() style
local old = require("oldstyle")
print(type(old), old.version, old.hello("test"), oldstyle == old, old._NAME, package.loaded.oldstyle == old)
-- cyclic requires
local a = require("cyclic_a")
print(a.name, a.b_name, a.b_saw_a)
-- require argument errors
print(pcall(require))
-- package fields
print(type(package.path), type(package.cpath), type(package.loaded), type(package.preload), type(package.loaders), type(package.seeall))
print(#package.loaders)
-- package.loaded contains the standard libraries
print(package.loaded.string == string, package.loaded._G == _G, package.loaded.math == math)
