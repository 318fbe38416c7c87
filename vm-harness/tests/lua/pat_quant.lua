-- quantifiers * + - ?
print(("aaa"):match("a*"), ("aaa"):match("a+"), ("aaa"):match("a-"), ("aaa"):match("a?"))
print(("baaa"):match("a*"), ("baaa"):match("a+"), ("baaa"):match("ba-"), ("baaa"):match("ba?"))
print(("<a><b>"):match("<(.*)>"), ("<a><b>"):match("<(.-)>"))
print(("aaab"):match("a-b"), ("b"):match("a-b"), ("b"):match("a*b"), ("b"):match("a+b"))
print(("color colour"):gsub("colou?r", "C"))
print(("xxabcxx"):match("x*(.-)x*$"))
print(("123abc"):match("^%d+"), ("abc123"):match("^%d+"), ("abc123"):match("%d+$"))
print(("  x  "):match("^ *(.-) *$") .. "|")
print(("aaa"):gsub("a*", "-"))
print(("aaa"):gsub("a-", "-"))
print(("aaa"):gsub("a?", "-"))
-- quantifiers apply to single items only: "(ab)+" is a capture followed by a literal "+"
print(("abab"):gsub("(ab)+", "X"))
print(("ab+ab"):gsub("(ab)+", "X"))
-- quantifier applies to single char class only
print(("abbb"):match("ab*"), ("ababab"):match("ab*"))
-- greedy backtracking
print(("a.b.c.d"):match("(.*)%.(.*)"))
print(("a.b.c.d"):match("(.-)%.(.*)"))
print(("key: value: more"):match("^(.-):%s*(.*)$"))
-- ? with sets and classes
print(("-12"):match("^[+-]?%d+$"), ("12"):match("^[+-]?%d+$"), ("+-12"):match("^[+-]?%d+$"))
-- number-like pattern
for _, s in ipairs({"3", "3.14", "-0.5", "1e10", "abc", "1.", ".5"}) do
  io.write(s, "=", tostring(s:match("^-?%d+%.?%d*$")), " ")
end
print()
-- * at the start of a pattern is literal? (no: it is a single char '*')
print(("a*b"):find("*"), ("**"):match("**"))
-- long subject with - quantifier
local long = ("ab"):rep(500) .. "END"
print(#long:match("^(.-)END$"))
