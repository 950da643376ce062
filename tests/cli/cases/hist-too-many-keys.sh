cd "$SAMPLES" && "$TK" hist -e sys_exit -k id,ret,common_pid,common_cpu syscalls-stack.dat
