# --wakeup: a task's sleep from its switch-out to its first wakeup after it,
# per (woken task, waker), equals what awk computes from the `tracekit report`
# text of the same file: sched_waking on trace.dat (the file has it),
# sched_wakeup on perf.data (it has no sched_waking). The waker is the task
# the wakeup line is printed for. Also with --state D and --cpu 0 (the
# waker's CPU), each of which must change the result.
S=$SAMPLES
K="--kallsyms $S/perf-kallsyms.txt --symfs $S/symfs"
wakeawk() {	# wakeawk tdat|pdat WAKE-EVENT < report; env STATES (regex), CPU
	awk -v kind="$1" -v wev="$2" -v states="${STATES:-}" -v cpu="${CPU:--1}" '
	function ts_of(line,   t, a) {
		match(line, /\] +[0-9]+\.[0-9]+:/); t = substr(line, RSTART, RLENGTH)
		sub(/^\] +/, "", t); sub(/:$/, "", t); split(t, a, ".")
		return a[1] * 1000000000 + a[2]
	}
	function head_tid(line,   h) {	# the pid/tid column of the line
		h = line; sub(/ +\[[0-9]+\].*/, "", h)
		if (kind == "tdat") { sub(/.*-/, "", h) } else { sub(/.* /, "", h) }
		return h + 0
	}
	{ sw = 0; wk = 0 }
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
		delete out[n]
		if (p != 0 && (states == "" || st ~ states)) out[p] = ts_of($0)
		else delete out[p]
	}
	index($0, " " wev ": ") {
		t = $0; sub(/.* pid=/, "", t); sub(/ .*/, "", t)
		match($0, /\[[0-9]+\]/); c = substr($0, RSTART + 1, RLENGTH - 2) + 0
		if ((t in out) && !(t in woken)) {
			if (cpu < 0 || c == cpu) {
				d = ts_of($0) - out[t]
				if (d > 0) tot[t " " head_tid($0)] += d
			}
			woken[t] = 1
		}
	}
	sw { delete woken[p] }
	END { for (k in tot) print k, tot[k] }' | sort -n -k1,1 -k2,2
}
# per (woken tid, waker tid) from collapse --wakeup --tid
sumfold() {
	awk '{ w = $NF; split($0, f, ";"); a = f[1]; b = f[2]; sub(/ [0-9]+$/, "", b)
	sub(/.*\//, "", a); sub(/.*\//, "", b); t[a " " b] += w }
	END { for (k in t) print k, t[k] }' | sort -n -k1,1 -k2,2
}
"$TK" report -t "$S/offcpu-stack.dat" > rep.tdat || exit 1
"$TK" report --ns $K "$S/perf-tp-g.data" > rep.pdat || exit 1
check() {	# check NAME KIND FILE WAKE-EVENT [collapse options]
	local name=$1 kind=$2 file=$3 wev=$4
	shift 4
	wakeawk "$kind" "$wev" < "rep.$kind" > want
	"$TK" collapse $K --wakeup --ns --tid "$@" "$file" | sumfold > got
	if ! cmp -s want got; then
		echo "FAIL $name: $(diff want got | head -4 | tr '\n' '|')"
		return
	fi
	[ -s want ] || { echo "FAIL $name: nothing"; return; }
	if [ "$name" != all ] && cmp -s want "all.$kind"; then
		echo "FAIL $name: the option changed nothing"
		return
	fi
	[ "$name" = all ] && cp want "all.$kind"
	echo "$kind $name: $(wc -l < want) (woken, waker) pairs, $(awk '{ s += $3 } END { print s }' want) ns"
}
check all tdat "$S/offcpu-stack.dat" sched_waking
STATES='^D' check stateD tdat "$S/offcpu-stack.dat" sched_waking --state D
CPU=0 check cpu0 tdat "$S/offcpu-stack.dat" sched_waking --cpu 0
check all pdat "$S/perf-tp-g.data" sched:sched_wakeup
CPU=0 check cpu0 pdat "$S/perf-tp-g.data" sched:sched_wakeup --cpu 0
