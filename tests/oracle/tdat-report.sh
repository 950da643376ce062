#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Oracle: `tracekit report` must print exactly what Debian's `trace-cmd report`
# prints for the same file and options. No normalisation is applied.
# Exit 77 (ctest: skipped) when trace-cmd is not installed, saying so.
set -u
TK=$(realpath "$1")
ROOT=$(realpath "$2")
S="$ROOT/samples"
if ! command -v trace-cmd >/dev/null 2>&1; then
	echo "SKIP: trace-cmd is not installed (apt-get install trace-cmd); oracle not run"
	exit 77
fi
echo "oracle: $(trace-cmd --version 2>&1 | grep -m1 version)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0

# compare NAME FILE [options...]: run both on FILE with the same options
compare() {
	local name=$1 file=$2
	shift 2
	trace-cmd report "$@" "$file" >"$work/tc" 2>"$work/tc.err"
	local tcs=$?
	"$TK" report "$@" "$file" >"$work/tk" 2>"$work/tk.err"
	local tks=$?
	if [ $tcs -ne 0 ]; then
		echo "FAIL $name: trace-cmd itself failed ($tcs): $(head -c 200 "$work/tc.err")"
		fail=$((fail + 1))
	elif [ $tks -ne 0 ]; then
		echo "FAIL $name: tracekit exit $tks: $(head -c 300 "$work/tk.err")"
		fail=$((fail + 1))
	elif ! cmp -s "$work/tc" "$work/tk"; then
		echo "FAIL $name: output differs from trace-cmd report:"
		diff "$work/tc" "$work/tk" | head -6
		fail=$((fail + 1))
	elif [ "$(wc -l <"$work/tk")" -lt 2 ] && [ "${ALLOW_EMPTY:-}" != 1 ]; then
		echo "FAIL $name: no events printed, nothing compared"
		fail=$((fail + 1))
	else
		echo "ok   $name ($(wc -l <"$work/tk") lines identical)"
		pass=$((pass + 1))
	fi
}

for f in "$S"/*.dat; do
	b=$(basename "$f")
	[ "$b" = sched-v7-zlib.dat ] && continue	# Debian's trace-cmd has no zlib: below
	compare "$b" "$f"
	compare "$b --cpu 1" "$f" --cpu 1
	compare "$b -t" "$f" -t
	[ "$b" = syscalls-stack.dat ] || compare "$b -R" "$f" -R
done
# -R on kernel_stack: the format's caller[8] array is longer than the record,
# so trace-cmd prints whatever memory follows the record (the next record or
# sub-buffer, or at the end of a decompressed chunk its own cached buffers).
# We copy what follows inside the same chunk, and zeros past it. Those bytes
# are not event data, so this one comparison drops kernel_stack lines; every
# other line of the -R output must still be identical.
trace-cmd report -R "$S/syscalls-stack.dat" 2>/dev/null | grep -v ' kernel_stack: ' >"$work/tc.r"
"$TK" report -R "$S/syscalls-stack.dat" | grep -v ' kernel_stack: ' >"$work/tk.r"
if cmp -s "$work/tc.r" "$work/tk.r" && [ "$(wc -l <"$work/tk.r")" -gt 1000 ]; then
	echo "ok   syscalls-stack.dat -R without kernel_stack lines ($(wc -l <"$work/tk.r") lines identical)"
	pass=$((pass + 1))
else
	echo "FAIL syscalls-stack.dat -R (kernel_stack lines dropped) differs"
	diff "$work/tc.r" "$work/tk.r" | head -6
	fail=$((fail + 1))
fi
compare "sched-v6 filter" "$S/sched-v6.dat" -F 'sched_switch:prev_pid==0'
compare "sched-v7-zstd two filters" "$S/sched-v7-zstd.dat" -F 'sched_wakeup' \
	-F 'sched_switch:next_prio<120||prev_state==2'
compare "sched-v7-none --cpu 0,1 filter" "$S/sched-v7-none.dat" --cpu 0,1 -F 'sched_process_.*'
# Stack traces follow the events the filter keeps.
compare "syscalls-stack filter+stacks" "$S/syscalls-stack.dat" -F 'sys_enter:id==0'
compare "uprobes filter" "$S/uprobes.dat" -F 'probe_busy/tk_work_item:n>100'

# zlib: trace-cmd cannot read it here; its v6 twin holds the same events.
gzip -dc "$S/sched-v7-zlib-twin-v6.dat.gz" >"$work/twin.dat"
trace-cmd report "$work/twin.dat" >"$work/tc" 2>/dev/null
"$TK" report "$S/sched-v7-zlib.dat" >"$work/tk" 2>"$work/tk.err"
if [ $? -eq 0 ] && cmp -s "$work/tc" "$work/tk" && [ "$(wc -l <"$work/tk")" -eq 58640 ]; then
	echo "ok   sched-v7-zlib.dat vs trace-cmd report of its v6 twin (58640 lines)"
	pass=$((pass + 1))
else
	echo "FAIL sched-v7-zlib.dat differs from trace-cmd report of its twin"
	diff "$work/tc" "$work/tk" | head -6
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
