"""Never opens Pipes: an ordinary program."""

print("I know nothing of Pipes")
