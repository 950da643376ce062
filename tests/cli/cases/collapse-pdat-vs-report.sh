# Every perf sample: collapse of perf.data equals collapse of the perf script
# text tracekit report prints for it (report's layout is checked against perf
# script by tests/oracle/pdat-report.sh), with several option sets.
# perf (and tracekit) also look up DSOs in $HOME/.debug; the goldens used an empty HOME.
export HOME="$PWD"
cd "$SAMPLES" || exit 1
K="--kallsyms perf-kallsyms.txt --symfs symfs"
for f in perf-*.data; do
	"$TK" report $K "$f" > "$OLDPWD/text" 2>/dev/null || { echo "report $f failed"; exit 1; }
	for o in "" "--kernel --addrs" "--no-comm --jit" "--event sched:sched_switch"; do
		"$TK" collapse $K $o "$f" > "$OLDPWD/a" 2>/dev/null
		"$TK" collapse $o "$OLDPWD/text" > "$OLDPWD/b" 2>/dev/null
		cmp -s "$OLDPWD/a" "$OLDPWD/b" || { echo "differ: $f $o"; exit 1; }
	done
done
echo same
