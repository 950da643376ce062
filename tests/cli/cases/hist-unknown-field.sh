cd "$SAMPLES" && "$TK" hist -e raw_syscalls:sys_enter -k id,nope syscalls-stack.dat
