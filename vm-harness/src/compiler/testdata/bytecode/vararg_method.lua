local o = {}
function o:m(...) return self, ... end
function o.n(a, b, ...) local x = ... return a end
function o:p() end
