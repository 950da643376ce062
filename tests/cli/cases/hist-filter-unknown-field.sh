cd "$SAMPLES" && "$TK" hist -e sys_enter -k id -F "nosuch > 3" syscalls-stack.dat
