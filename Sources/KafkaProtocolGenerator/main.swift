print("generator placeholder")
