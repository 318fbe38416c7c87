local data = {user = {}}
print("user exists:", data.user ~= nil)
print(data.user.profile.name)
