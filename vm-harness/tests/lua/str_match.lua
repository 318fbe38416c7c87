-- string.match
print(("hello 123 world"):match("%d+"))
print(("hello 123 world"):match("(%a+) (%d+)"))
print(("hello"):match("x"))
print(("2024-01-15"):match("(%d+)-(%d+)-(%d+)"))
print(("key = value"):match("^(%w+)%s*=%s*(%w+)$"))
print(("  padded  "):match("^%s*(.-)%s*$") .. "|")
print(("abc"):match("()b()"))
print(("abc"):match(".-"), ("abc"):match(".*"), ("abc"):match("a*"), ("bbb"):match("a*") == "")
print(("name@example.com"):match("^([%w%.]+)@([%w%.]+)$"))
print(("The year 1999 and 2024"):match("%d%d%d%d", 10))
print(("abc"):match("b", -1), ("abc"):match("c", -1))
print(("[[nested]]"):match("%[%[(.*)%]%]"))
print(("x = 10, y = 20"):match("y = (%d+)"))
-- captures nested
print(("abcd"):match("((a)(b)(c))"))
print(("hello"):match("(h)(e)(l)(l)(o)"))
-- empty capture and position capture
print(("abc"):match("()"), ("abc"):match("a()"), ("abc"):match("(a)()(b)"))
-- whole match returned when no captures
print(("foo.bar"):match("%w+%.%w+"))
-- match on numbers
print(string.match(3.14159, "%d+%.(%d%d)"))
-- back references
print(("abcabc"):match("(abc)%1"), ("abab"):match("(a)(b)%1%2"), ("xyzw"):match("(x)%1"))
print(('say "hi" and \'bye\''):match("([\"'])(.-)%1"))
-- anchors
print(("^caret"):match("^%^(%a+)"), ("dollar$"):match("(%a+)%$$"))
print(("a$b"):match("$b"), ("ab"):match("b$"))
-- init past the end
print(("abc"):match("", 4), ("abc"):match("", 5))
