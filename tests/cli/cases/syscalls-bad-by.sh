cd "$SAMPLES" && "$TK" syscalls --by cpu syscalls-stack.dat
