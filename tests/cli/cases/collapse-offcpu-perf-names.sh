# perf.data off-CPU and wakeup stacks are named as the on-CPU path names
# the same samples: every stack of --off-cpu is one that
# `collapse --event sched:sched_switch` gives (the sched_switch samples'
# callchains folded as perf script | stackcollapse-perf.pl would), every
# --wakeup stack below its woken task's frame one of --event sched:sched_wakeup.
cd "$SAMPLES" || exit 1
K="--kallsyms perf-kallsyms.txt --symfs symfs"
"$TK" collapse $K --tid --event sched:sched_switch perf-tp-g.data 2>/dev/null | sed 's/ [0-9]*$//' | sort -u > "$OLDPWD/on"
"$TK" collapse $K --tid --off-cpu perf-tp-g.data | sed 's/ [0-9]*$//' | sort -u > "$OLDPWD/off"
echo "off-cpu stacks: $(wc -l < "$OLDPWD/off"), not on-CPU ones: $(comm -13 "$OLDPWD/on" "$OLDPWD/off" | wc -l)"
"$TK" collapse $K --tid --event sched:sched_wakeup perf-tp-g.data 2>/dev/null | sed 's/ [0-9]*$//' | sort -u > "$OLDPWD/on"
"$TK" collapse $K --tid --wakeup perf-tp-g.data | sed 's/ [0-9]*$//; s/^[^;]*;//' | sort -u > "$OLDPWD/wk"
echo "wakeup stacks: $(wc -l < "$OLDPWD/wk"), not on-CPU ones: $(comm -13 "$OLDPWD/on" "$OLDPWD/wk" | wc -l)"
