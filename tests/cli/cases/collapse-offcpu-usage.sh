# Usage errors of the time modes (exit 2), and inputs they cannot read (exit 1).
cd "$SAMPLES" || exit 1
"$TK" collapse --off-cpu --state Q offcpu-stack.dat; echo "exit $?"
"$TK" collapse --state S offcpu-stack.dat; echo "exit $?"
"$TK" collapse --off-cpu --wakeup offcpu-stack.dat; echo "exit $?"
"$TK" collapse --off-cpu --event sched:sched_switch offcpu-stack.dat; echo "exit $?"
"$TK" collapse --off-cpu --from 2 --to 1 offcpu-stack.dat; echo "exit $?"
"$TK" collapse --off-cpu "$GOLDEN/perf-g.perf-script.txt"; echo "exit $?"
"$TK" collapse --event no_such_event syscalls-stack.dat; echo "exit $?"
cat syscalls-stack.dat | "$TK" collapse; echo "exit $?"
