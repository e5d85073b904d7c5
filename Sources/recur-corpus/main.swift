print("recur-corpus")
