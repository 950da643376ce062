# Acceptance of issue 4: off-CPU time per task equals the sum of its
# (switch-out .. next switch-in) intervals, computed here by awk from the
# `tracekit report` text of the same file (ns timestamps: report -t on
# trace.dat, --ns on perf.data), for trace.dat and perf.data, and with
# --cpu (the switch-out's CPU), --state, --from/--to (intervals clipped).
# Each filtered result must also differ from the unfiltered one, so a
# program that ignored the option would fail.
S=$SAMPLES
K="--kallsyms $S/perf-kallsyms.txt --symfs $S/symfs"
# offawk KIND < report: "TID NS" per task; env CPU, STATES (regex), FROM, TO (ns)
offawk() {
	awk -v kind="$1" -v cpu="${CPU:--1}" -v from="${FROM:-0}" -v to="${TO:-0}" \
	    -v states="${STATES:-}" '
	function ts_of(line,   t, a) {
		match(line, /\] +[0-9]+\.[0-9]+:/); t = substr(line, RSTART, RLENGTH)
		sub(/^\] +/, "", t); sub(/:$/, "", t); split(t, a, ".")
		return a[1] * 1000000000 + a[2]
	}
	function cpu_of(line,   c) { match(line, /\[[0-9]+\]/); return substr(line, RSTART + 1, RLENGTH - 2) + 0 }
	function add(k, a, b) { if (a < from) a = from; if (to && b > to) b = to; if (b > a) tot[k] += b - a }
	{ sw = 0 }
	kind == "tdat" && / sched_switch: / {
		sw = 1; info = $0; sub(/.* sched_switch: +/, "", info); split(info, lr, " ==> ")
		p = lr[1]; st = p; sub(/ \[.*/, "", p); sub(/.*:/, "", p); sub(/.*\] /, "", st)
		n = lr[2]; sub(/ \[.*/, "", n); sub(/.*:/, "", n)
	}
	kind == "pdat" && / sched:sched_switch: / {
		sw = 1
		p = $0; sub(/.* prev_pid=/, "", p); sub(/ .*/, "", p)
		st = $0; sub(/.* prev_state=/, "", st); sub(/ .*/, "", st)
		n = $0; sub(/.* next_pid=/, "", n); sub(/ .*/, "", n)
	}
	sw {
		ts = ts_of($0)
		if (n != 0 && (n in out)) { add(n, out[n], ts); delete out[n] }
		if (p != 0 && (cpu < 0 || cpu_of($0) == cpu) && (states == "" || st ~ states)) out[p] = ts
		else delete out[p]
	}
	END { for (k in tot) if (tot[k] > 0) print k, tot[k] }' | sort -n
}
# sumfold < collapse --tid output: "TID WEIGHT" per task
sumfold() {
	awk '{ w = $NF; s = $0; sub(/;.*/, "", s); sub(/ [0-9]+$/, "", s); sub(/.*\//, "", s); t[s] += w }
	END { for (k in t) print k, t[k] }' | sort -n
}
"$TK" report -t "$S/offcpu-stack.dat" > rep.tdat || exit 1
"$TK" report --ns $K "$S/perf-tp-g.data" > rep.pdat || exit 1
check() {	# check NAME KIND FILE [collapse options]; env for offawk
	local name=$1 kind=$2 file=$3
	shift 3
	offawk "$kind" < "rep.$kind" > want
	"$TK" collapse $K --off-cpu --ns --tid "$@" "$file" | sumfold > got
	if ! cmp -s want got; then
		echo "FAIL $name: $(diff want got | head -4 | tr '\n' '|')"
		return
	fi
	[ -s want ] || { echo "FAIL $name: no task"; return; }
	if [ "$name" != all ] && cmp -s want "all.$kind"; then
		echo "FAIL $name: the option changed nothing"
		return
	fi
	[ "$name" = all ] && cp want "all.$kind"
	echo "$kind $name: $(wc -l < want) tasks, $(awk '{ s += $2 } END { print s }' want) ns"
}
for kind in tdat pdat; do
	f=$S/offcpu-stack.dat
	[ $kind = pdat ] && f=$S/perf-tp-g.data
	check all $kind "$f"
	CPU=1 check cpu1 $kind "$f" --cpu 1
	STATES='^S$' check stateS $kind "$f" --state S
	STATES='^(D|R)' check stateDR $kind "$f" --state D,R
done
FROM=7921800000000 TO=7921900000000 check window tdat "$S/offcpu-stack.dat" --from 7921.8 --to 7921.9
FROM=171500000000 TO=171600000000 check window pdat "$S/perf-tp-g.data" --from 171.5 --to 171.6
