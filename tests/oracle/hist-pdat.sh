#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Oracle: tracekit hist and latency on perf.data tracepoint samples
# (samples/perf-tp-g.data: sched_switch and sched_wakeup, -a -g) against
# counts computed here by awk from `perf script --ns` text. Nothing here
# calls tracekit to compute an expectation.
# Exit 77 (ctest: skipped) when perf is not installed, saying so.
set -u
TK=$(realpath "$1")
ROOT=$(realpath "$2")
F="$ROOT/samples/perf-tp-g.data"
if ! command -v perf >/dev/null 2>&1 || ! perf version >/dev/null 2>&1; then
	echo "SKIP: perf is not installed (apt-get install linux-perf); oracle not run"
	exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home"
mkdir -p "$HOME"
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
same() {
	if [ ! -s "$2" ]; then
		bad "$1: nothing to compare (empty expectation)"
	elif cmp -s "$2" "$3"; then
		ok "$1 ($(wc -l <"$2") rows)"
	else
		bad "$1:"
		diff "$2" "$3" | head -8
	fi
}

# One line per sample: ts_ns event field=value... (the trace text).
if ! perf script --ns -i "$F" -F time,event,trace >"$work/ps" 2>"$work/ps.err"; then
	echo "SKIP: perf script cannot read $F here: $(head -c 200 "$work/ps.err")"
	exit 77
fi
awk '{ ts = $1; sub(":", "", ts); split(ts, t, "."); $1 = t[1] t[2]; print }' "$work/ps" >"$work/ev"
# val LINE-FIELDS NAME: the value of NAME=... in the sample's text
VAL='function val(n,  i) { for (i = 3; i <= NF; i++) if (index($i, n "=") == 1) return substr($i, length(n) + 2); return "" }'

# 1. hist on sched_switch prev_pid (the event found from the field name).
if "$TK" hist -k prev_pid "$F" >"$work/out" 2>"$work/err"; then
	awk "$VAL"' $2 == "sched:sched_switch:" { n[val("prev_pid")]++ } END { for (k in n) print k, n[k] }' \
		"$work/ev" | sort -n >"$work/want"
	sed -n 's/^{ prev_pid: *\([0-9]*\) } hitcount: *\([0-9]*\)$/\1 \2/p' "$work/out" | sort -n >"$work/got"
	same "perf hist prev_pid counts" "$work/want" "$work/got"
	h=$(awk '/^    Hits:/ {print $2}' "$work/out")
	w=$(awk '$2 == "sched:sched_switch:"' "$work/ev" | wc -l)
	[ "$h" = "$w" ] && ok "perf hist hits = $w sched_switch samples" || bad "perf hist hits $h, perf script has $w"
else
	bad "hist -k prev_pid failed: $(head -c 300 "$work/err")"
fi

# 2. string key and a filter, on perf.data.
if "$TK" hist -e sched:sched_switch -k next_comm -F 'prev_pid == 0' "$F" >"$work/out" 2>"$work/err"; then
	awk "$VAL"' $2 == "sched:sched_switch:" && val("prev_pid") == 0 { n[val("next_comm")]++ }
		END { for (k in n) print k, n[k] }' "$work/ev" | sort >"$work/want"
	sed -n 's/^{ next_comm: \([^ ]*\) *} hitcount: *\([0-9]*\)$/\1 \2/p' "$work/out" | sort >"$work/got"
	same "perf hist next_comm with -F prev_pid == 0" "$work/want" "$work/got"
else
	bad "hist -k next_comm failed: $(head -c 300 "$work/err")"
fi

# 3. wakeup latency: sched_wakeup pid -> the sched_switch that runs it.
if "$TK" latency --start sched_wakeup --end sched_switch --match pid=next_pid "$F" >"$work/out" 2>"$work/err"; then
	awk "$VAL"'
	$2 == "sched:sched_switch:" { k = val("next_pid")
		if (k in st) { d = $1 - st[k]; n++; tot += d; delete st[k] } else ends++ }
	$2 == "sched:sched_wakeup:" { k = val("pid"); if (k in st) rep++; st[k] = $1 }
	END { open = 0; for (k in st) open++
		printf "count %d, total %d.%03d us\n", n, tot / 1000, tot % 1000
		printf "unmatched: %d starts (%d replaced by a later start, %d open at the end), %d ends without a start\n", rep + open, rep, open, ends }' \
		"$work/ev" >"$work/want"
	{
		sed -n 's/^\(count [0-9]*, total [0-9.]* us\), avg.*/\1/p' "$work/out"
		grep '^unmatched:' "$work/out"
	} >"$work/got"
	same "perf wakeup latency count/total/unmatched" "$work/want" "$work/got"
else
	bad "latency failed: $(head -c 300 "$work/err")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
