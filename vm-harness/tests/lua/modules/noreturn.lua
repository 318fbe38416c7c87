-- a module that returns nothing: package.loaded gets true
noreturn_ran = true
