cd "$SAMPLES" && "$TK" hist -e sys_enter -k id -F "common_pid === 3" syscalls-stack.dat
