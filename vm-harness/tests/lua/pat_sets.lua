-- sets, negated sets and ranges
print(("hello world"):gsub("[aeiou]", "*"))
print(("hello world"):gsub("[^aeiou ]", "*"))
print(("abcxyz123"):gsub("[a-c]", "#"))
print(("abcxyz123"):gsub("[x-z1-2]", "#"))
print(("ABCabc"):gsub("[A-Ba-b]", "."))
print(("a-b-c"):gsub("[-]", "+"))
print(("a-b-c"):gsub("[a-]", "+"))
print(("a]b"):gsub("[]]", "!"))
print(("a]b"):gsub("[^]]", "!"))
print(("a^b"):gsub("[b^]", "!"))
print(("a%b"):gsub("[%%]", "!"))
print(("a1 b2"):gsub("[%d%s]", "_"))
print(("a1 b2"):gsub("[^%d%s]", "_"))
print(("x.y*z"):gsub("[%.%*]", "?"))
print(("[x]"):gsub("[%[%]]", "|"))
print(("hello"):gsub("[l-l]", "L"))
-- a reversed range matches nothing
print(("abc"):gsub("[c-a]", "X"))
-- class inside set
print(("aA1!"):gsub("[%u!]", "U"))
print(("aA1!"):gsub("[^%l]", "n"))
-- sets with quantifiers
print(("aaabbbccc"):match("[ab]+"), ("aaabbbccc"):match("[^a]+"), ("xxx"):match("[ab]*") == "")
print(("2024-01-15T10:30"):match("([%d%-]+)T([%d:]+)"))
-- malformed sets
print(pcall(string.find, "a", "[a"))
print(pcall(string.find, "a", "[^"))
print(pcall(string.find, "a", "[a-"))
print(pcall(string.find, "a", "[%"))
-- hex digits
print(("deadBEEF 0x12g"):gsub("[%x]+", "H"))
