local y = 1

function f()
  return 1


