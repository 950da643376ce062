# perf script without callchains right-aligns the comm and has no blank lines: one
# process frame per sample (the script folds nothing here).
printf "%s\n" "            perf  3170 [000]   170.182867: sched:sched_stat_runtime: comm=perf pid=3170 runtime=148523 [ns]" \
  "     migration/0    18 [000]   170.182886:       sched:sched_waking: comm=perf pid=3170 prio=120 target_cpu=000" \
  "            perf  3170 [000]   170.182890:       sched:sched_switch: prev_comm=perf prev_pid=3170" | "$TK" collapse
