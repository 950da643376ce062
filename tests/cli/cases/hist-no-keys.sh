cd "$SAMPLES" && "$TK" hist -e sys_enter syscalls-stack.dat
