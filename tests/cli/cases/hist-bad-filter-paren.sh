cd "$SAMPLES" && "$TK" hist -e sys_enter -k id -F "(id == 1" syscalls-stack.dat
