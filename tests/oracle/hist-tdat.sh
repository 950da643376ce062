#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Oracle: tracekit hist, latency and syscalls on the raw_syscalls sample
# against counts computed here by awk from `trace-cmd report -t` (every
# sys_enter/sys_exit line, nanosecond timestamps). Nothing in this script
# calls tracekit to compute an expectation.
# Exit 77 (ctest: skipped) when trace-cmd is not installed, saying so.
set -u
TK=$(realpath "$1")
ROOT=$(realpath "$2")
F="$ROOT/samples/syscalls-stack.dat"
if ! command -v trace-cmd >/dev/null 2>&1; then
	echo "SKIP: trace-cmd is not installed (apt-get install trace-cmd); oracle not run"
	exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
# same NAME A B: two files of expectations must be equal (and not empty)
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

# One line per syscall event: comm pid event nr ret ts_ns ("-" for no ret).
# The task column is COMM-PID (the comm may hold dashes: the pid is after
# the last one).
trace-cmd report -t "$F" 2>/dev/null | awk '
	$4 == "sys_enter:" || $4 == "sys_exit:" {
		task = $1; n = split(task, p, "-"); pid = p[n]
		comm = substr(task, 1, length(task) - length(pid) - 1)
		ts = $3; sub(":", "", ts); split(ts, t, ".")
		ns = t[1] t[2]	# a string: awk would print a number as %.6g
		ret = "-"
		if ($4 == "sys_exit:") ret = $8
		print comm, pid, substr($4, 1, length($4) - 1), $6, ret, ns
	}' >"$work/ev"
[ "$(wc -l <"$work/ev")" -eq 28336 ] || bad "trace-cmd report gave $(wc -l <"$work/ev") syscall events, samples/README.md says 28336"

# hist NAME ARGS...: tracekit hist on the sample, stdout in $work/out
hist() {
	local name=$1
	shift
	if ! "$TK" hist "$@" "$F" >"$work/out" 2>"$work/err"; then
		bad "$name: tracekit hist failed: $(head -c 300 "$work/err")"
		return 1
	fi
}
# totals NAME HITS ENTRIES: the Totals block
totals() {
	local h e
	h=$(awk '/^    Hits:/ {print $2}' "$work/out")
	e=$(awk '/^    Entries:/ {print $2}' "$work/out")
	if [ "$h" = "$2" ] && [ "$e" = "$3" ]; then
		ok "$1 totals (hits $h, entries $e)"
	else
		bad "$1 totals: hits $h entries $e, expected $2 and $3"
	fi
}

# 1. .syscall key: counts per number, names from the kernel headers.
if hist "id.syscall" -e raw_syscalls:sys_enter -k id.syscall; then
	awk '$3 == "sys_enter" {n[$4]++} END {for (k in n) print k, n[k]}' "$work/ev" | sort -n >"$work/want"
	sed -n 's/^{ id: \(sys_[a-z0-9_]*\|unknown_syscall\) *\[ *\([0-9]*\)\] } hitcount: *\([0-9]*\)$/\2 \3/p' \
		"$work/out" | sort -n >"$work/got"
	same "hist id.syscall counts" "$work/want" "$work/got"
	totals "hist id.syscall" 14168 "$(wc -l <"$work/want")"
	# the names: sys_ and the header's name (these three are not renamed)
	for s in "0 read" "1 write" "202 futex"; do
		set -- $s
		if grep -Eq "^\{ id: sys_$2 +\[ *$1\] \}" "$work/out"; then ok "name of syscall $1 is sys_$2"
		else bad "syscall $1 is not printed as sys_$2"; fi
	done
	# default sort: hitcount ascending
	if sed -n 's/.*hitcount: *\([0-9]*\)$/\1/p' "$work/out" | sort -c -n 2>/dev/null; then
		ok "hist sorted by hitcount ascending"
	else
		bad "hist not sorted by hitcount"
	fi
fi

# 2. .log2 key on a signed value: the kernel's ilog2(roundup_pow_of_two(v))
#    of the u64 value, where 0, 1 and anything negative (above 2^63) give 0.
if hist "ret.log2" -e sys_exit -k ret.log2; then
	awk '$3 == "sys_exit" {
		v = $5 + 0; b = 0
		if (v > 1) { x = 1; while (x < v) { x *= 2; b++ } }
		n[b]++
	} END {for (k in n) print k, n[k]}' "$work/ev" | sort -n >"$work/want"
	sed -n 's/^{ ret: ~ 2^\([0-9]*\) *} hitcount: *\([0-9]*\)$/\1 \2/p' "$work/out" | sort -n >"$work/got"
	same "hist ret.log2 buckets" "$work/want" "$work/got"
fi

# 3. compound key, sorted descending.
if hist "common_pid,id" -e sys_enter -k common_pid,id -s hitcount.descending; then
	awk '$3 == "sys_enter" {n[$2 " " $4]++} END {for (k in n) print k, n[k]}' "$work/ev" | sort >"$work/want"
	sed -n 's/^{ common_pid: *\([0-9]*\), id: *\([0-9]*\) } hitcount: *\([0-9]*\)$/\1 \2 \3/p' \
		"$work/out" | sort >"$work/got"
	same "hist common_pid,id counts" "$work/want" "$work/got"
	if sed -n 's/.*hitcount: *\([0-9]*\)$/\1/p' "$work/out" | sort -c -n -r 2>/dev/null; then
		ok "hitcount.descending order"
	else
		bad "not sorted by hitcount descending"
	fi
fi

# 4. filter (libtraceevent syntax) on a key that is also filtered on.
if hist "filter" -e sys_enter -k id -F 'common_pid == 4253 && id != 202'; then
	awk '$3 == "sys_enter" && $2 == 4253 && $4 != 202 {n[$4]++; t++} END {for (k in n) print k, n[k]}' \
		"$work/ev" | sort -n >"$work/want"
	sed -n 's/^{ id: *\([0-9]*\) } hitcount: *\([0-9]*\)$/\1 \2/p' "$work/out" | sort -n >"$work/got"
	same "hist with -F counts" "$work/want" "$work/got"
	grep -q '^# trigger info: hist:keys=id:vals=hitcount:sort=hitcount:size=2048 if common_pid == 4253 && id != 202 \[active\]$' \
		"$work/out" && ok "trigger line shows the filter" || bad "trigger line: $(grep trigger "$work/out")"
fi

# 5. execname key and a summed value, on read and write (whose returns are >= 0).
#    (Not 'ret >= 0': libtraceevent compares as unsigned, see docs/hist.md.)
if hist "execname,vals" -e sys_exit -k common_pid.execname -v ret -F 'id == 0 || id == 1'; then
	awk '$3 == "sys_exit" && ($4 == 0 || $4 == 1) {n[$1 " " $2]++; s[$1 " " $2] += $5}
		END {for (k in n) printf "%s %d %.0f\n", k, n[k], s[k]}' "$work/ev" | sort >"$work/want"
	sed -n 's/^{ common_pid: \([^ ]*\) *\[ *\([0-9]*\)\] } hitcount: *\([0-9]*\)  ret: *\([0-9]*\)$/\1 \2 \3 \4/p' \
		"$work/out" | sort >"$work/got"
	same "hist execname with vals=ret sums" "$work/want" "$work/got"
fi

# 6. latency: sys_enter -> sys_exit of the same pid and number. A start
#    that meets another start first is replaced by it.
if "$TK" latency --start raw_syscalls:sys_enter --end raw_syscalls:sys_exit --match common_pid,id \
	"$F" >"$work/out" 2>"$work/err"; then
	awk '
	$3 == "sys_enter" { k = $2 " " $4; if (k in st) rep++; st[k] = $6 }
	$3 == "sys_exit" { k = $2 " " $4
		if (k in st) { d = $6 - st[k]; n++; tot += d; if (d > max) max = d; printf "%d\n", d > "'"$work/d"'"; delete st[k] }
		else ends++ }
	END { open = 0; for (k in st) open++
		printf "count %d, total %d.%03d us\n", n, tot / 1000, tot % 1000
		printf "max %d.%03d us\n", max / 1000, max % 1000
		printf "unmatched: %d starts (%d replaced by a later start, %d open at the end), %d ends without a start\n", rep + open, rep, open, ends }' \
		"$work/ev" >"$work/want"
	sort -n "$work/d" >"$work/ds"
	n=$(wc -l <"$work/ds")
	for p in "50 100 p50" "99 100 p99" "999 1000 p99.9"; do
		set -- $p
		r=$(( (n * $1 + $2 - 1) / $2 ))
		v=$(sed -n "${r}p" "$work/ds")
		printf '%s %d.%03d us\n' "$3" $((v / 1000)) $((v % 1000)) >>"$work/want"
	done
	{
		sed -n 's/^\(count [0-9]*, total [0-9.]* us\), avg.*/\1/p' "$work/out"
		sed -n 's/.*\(max [0-9.]* us\)$/\1/p' "$work/out"
		grep '^unmatched:' "$work/out"
		sed -n 's/^\(p50 [0-9.]* us\), \(p90 [0-9.]* us\), \(p99 [0-9.]* us\), \(p99.9 [0-9.]* us\).*/\1\n\3\n\4/p' "$work/out"
	} >"$work/got"
	same "latency count/total/max/unmatched/percentiles" "$work/want" "$work/got"
else
	bad "latency failed: $(head -c 300 "$work/err")"
fi

# 7. latency --by pid: pairs per pid.
if "$TK" latency --start sys_enter --end sys_exit --match common_pid,id --by pid "$F" >"$work/out" 2>"$work/err"; then
	awk '$3 == "sys_enter" { st[$2 " " $4] = $6 }
	$3 == "sys_exit" { k = $2 " " $4; if (k in st) { n[$2]++; t[$2] += $6 - st[k]; delete st[k] } }
	END { for (p in n) printf "%s %d %d.%03d\n", p, n[p], t[p] / 1000, t[p] % 1000 }' "$work/ev" | sort >"$work/want"
	awk '/^@usecs\[/ { p = $1; gsub(/@usecs\[|\]:/, "", p) }
	/^all:/ { p = "" }
	/^count / && p != "" { c = $2; sub(",", "", c); print p, c, $4 }' "$work/out" | sort >"$work/got"
	same "latency --by pid counts and totals" "$work/want" "$work/got"
else
	bad "latency --by pid failed: $(head -c 300 "$work/err")"
fi

# 8. syscalls: calls (entries), errors (exit ret in -4095..-1), timed calls
#    and their total per syscall, with the rules of docs/hist.md.
if "$TK" syscalls --csv "$F" >"$work/out" 2>"$work/err"; then
	awk '
	$3 == "sys_enter" { if (open[$2] != "") ewe++; calls[$4]++; open[$2] = $4; ts[$2] = $6 }
	$3 == "sys_exit" { e = ($5 < 0 && $5 >= -4095)
		if (open[$2] == "" || open[$2] != $4) { errs[$4] += e; open[$2] = "" }
		else { errs[$4] += e; pairs[$4]++; tot[$4] += $6 - ts[$2]; open[$2] = "" } }
	END { for (k in calls) printf "%s,%d,%d,%d,%d\n", k, calls[k], errs[k], pairs[k], tot[k]
		for (k in errs) if (!(k in calls)) printf "%s,0,%d,0,0\n", k, errs[k] }' "$work/ev" | sort >"$work/want"
	awk -F, 'NR > 1 {print $2 "," $3 "," $4 "," $5 "," $6}' "$work/out" | sort >"$work/got"
	same "syscalls calls/errors/pairs/total_ns per syscall" "$work/want" "$work/got"
else
	bad "syscalls failed: $(head -c 300 "$work/err")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
