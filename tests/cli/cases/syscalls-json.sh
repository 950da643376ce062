cd "$SAMPLES" && "$TK" syscalls --json syscalls-stack.dat
