cd "$SAMPLES" && "$TK" hist -k id syscalls-stack.dat
