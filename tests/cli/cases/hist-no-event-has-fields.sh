cd "$SAMPLES" && "$TK" hist -k prev_pid syscalls-stack.dat
