# Empty text: no stacks, like the script.
cd "$SAMPLES/bad" && "$TK" collapse empty.dat
