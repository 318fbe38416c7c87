-- module loaded via a dotted name
return {where = "nested.deep", arg = ...}
