cd "$SAMPLES" && "$TK" hist -e raw_syscalls:sys_nope -k id syscalls-stack.dat
