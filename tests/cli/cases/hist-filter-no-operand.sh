cd "$SAMPLES" && "$TK" hist -e sys_enter -k id -F "id == 0 ||" syscalls-stack.dat
