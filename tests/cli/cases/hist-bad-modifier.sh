cd "$SAMPLES" && "$TK" hist -e sys_enter -k id.bogus syscalls-stack.dat
