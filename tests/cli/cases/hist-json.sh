cd "$SAMPLES" && "$TK" hist -e raw_syscalls:sys_enter -k id.syscall --json syscalls-stack.dat
