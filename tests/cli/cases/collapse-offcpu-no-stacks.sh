# Off-CPU time of a trace.dat without stack traces: one line per task (no
# frame below the process frame), with a warning, and some time in it.
cd "$SAMPLES" && "$TK" collapse --off-cpu --ns sched-v6.dat > "$OLDPWD/out" || exit 1
grep -c ';' "$OLDPWD/out"
awk '{ s += $NF } END { print (NR > 10), (s > 0) }' "$OLDPWD/out"
