# sched latency --off-cpu: one pass gives the same table as without it and
# the same folded stacks as collapse --off-cpu, on trace.dat and perf.data.
set -e
for f in "$SAMPLES/offcpu-stack.dat" "$SAMPLES/perf-tp-g.data"; do
	"$TK" sched latency "$f" --off-cpu both.folded > both.txt
	"$TK" sched latency "$f" > alone.txt
	"$TK" collapse --off-cpu "$f" > alone.folded 2>/dev/null
	cmp both.txt alone.txt
	cmp both.folded alone.folded
	[ -s both.folded ]
	echo "$(basename "$f") $(wc -l < both.folded)"
done
