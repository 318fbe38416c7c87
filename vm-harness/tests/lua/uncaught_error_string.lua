print("about to fail")
error("custom failure message")
