# perf.data folds to the bytes its perf script text folds to (the golden, from stackcollapse-perf.pl).
cd "$SAMPLES" && "$TK" collapse --kallsyms perf-kallsyms.txt --symfs symfs --event sched:sched_switch perf-tp-g.data > "$OLDPWD/out" && diff -u "$GOLDEN/perf-tp-g-notrace.switch.folded" "$OLDPWD/out"
