cd "$SAMPLES" && "$TK" latency --end sys_exit syscalls-stack.dat
