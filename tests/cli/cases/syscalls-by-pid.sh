cd "$SAMPLES" && "$TK" syscalls --by pid syscalls-stack.dat
