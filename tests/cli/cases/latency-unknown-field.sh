cd "$SAMPLES" && "$TK" latency --start sys_enter --end sys_exit --match common_pid,nope syscalls-stack.dat
