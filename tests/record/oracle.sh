#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tracekit-record's files, every version and compression, against both
# readers: Debian's trace-cmd report must read them without a warning and
# print exactly what tracekit report prints (zlib: tracekit only, Debian's
# trace-cmd has no zlib). The summary's event count must match the report.
set -u
REC=$(realpath "$1")
TK=$(realpath "$2")
ROOT=$(realpath "$3")
. "$ROOT/tests/record/lib.sh"
need_tracefs
need_trace_cmd
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build_busy "$work" || { echo "FAIL: cannot build the workload"; exit 1; }

for vc in 6:none 7:none 7:zlib 7:zstd; do
	v=${vc%%:*} c=${vc#*:}
	f="$work/v$v-$c.dat"
	if ! "$REC" -e sched:sched_switch -e 'sched:sched_wakeup*' -e 'sched:sched_process_*' \
		--file-version "$v" --compression "$c" -o "$f" -- "$work/busy" -d 300 \
		>"$work/out" 2>"$work/err"; then
		bad "v$v $c: tracekit-record failed: $(head -c 300 "$work/err")"
		continue
	fi
	grep -q 'stopped: command exited (status 0)' "$work/err" ||
		bad "v$v $c: summary line: $(cat "$work/err")"
	[ "$c" = zlib ] && mode=zlib || mode=""
	readers_agree "v$v $c" "$f" $mode || continue
	n=$(summary_events "$work/err")
	# report prints "cpus=2" first, then one line per event
	[ "$n" = $((LINES - 1)) ] && ok "v$v $c: summary says $n events, as the report" ||
		bad "v$v $c: summary says $n events, the report has $((LINES - 1))"
	"$TK" stat "$f" >"$work/stat" 2>&1 || bad "v$v $c: tracekit stat failed"
	grep -q "trace.dat v$v" "$work/stat" && grep -q "compression: *$c" "$work/stat" &&
		ok "v$v $c: tracekit stat sees v$v $c" || bad "v$v $c: stat: $(head -3 "$work/stat")"
	grep -q 'busy' "$work/tk.txt" && ok "v$v $c: the workload's comm survived" ||
		bad "v$v $c: no 'busy' comm in the report"
done

# -T: a kernel stack after every event, and -f: the filter is applied
f="$work/stack.dat"
if "$REC" -T -e sched:sched_process_exec -e sched:sched_switch -f 'prev_comm=="busy"' \
	-o "$f" -- "$work/busy" -d 200 >"$work/out" 2>"$work/err"; then
	readers_agree "-T and -f" "$f"
	grep -q '=> ' "$work/tk.txt" && ok "-T: stack traces recorded" || bad "-T: no stack lines"
	sw=$(grep -c ' sched_switch: ' "$work/tk.txt")
	other=$(grep ' sched_switch: ' "$work/tk.txt" | grep -Evc 'sched_switch: +busy:[0-9]+ \[')
	[ "$sw" -gt 0 ] && [ "$other" -eq 0 ] &&
		ok "-f prev_comm==\"busy\": all $sw sched_switch records are busy's" ||
		bad "-f prev_comm==\"busy\": $other of $sw sched_switch records are not busy's"
else
	bad "-T/-f record failed: $(head -c 300 "$work/err")"
fi
finish
