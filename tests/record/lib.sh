# SPDX-License-Identifier: MIT
# Shared by the recorder tests: sourced with REC (tracekit-record), TK
# (tracekit) and ROOT (the source tree) set.
#
# need_tracefs: exit 77 (ctest: skipped) with the reason unless we are root
# with a writable tracefs; the CI machines are, so there these tests run.
need_tracefs() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: not root; recording needs root (tracefs instances)"
		exit 77
	fi
	TRACEFS=""
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[ -w "$d/instances" ] && { TRACEFS=$d; break; }
	done
	if [ -z "$TRACEFS" ]; then
		echo "SKIP: no writable tracefs (mount -t tracefs nodev /sys/kernel/tracing)"
		exit 77
	fi
}

need_trace_cmd() {
	if ! command -v trace-cmd >/dev/null 2>&1; then
		echo "SKIP: trace-cmd is not installed (apt-get install trace-cmd); oracle not run"
		exit 77
	fi
}

pass=0
fail=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

# build_busy DIR: the sample workload (samples/workloads/busy.c) in DIR/busy
build_busy() {
	gcc -O1 -g -fno-omit-frame-pointer -o "$1/busy" "$ROOT/samples/workloads/busy.c" -pthread
}

# readers_agree NAME FILE [zlib]: trace-cmd report reads FILE without a
# warning and prints exactly what tracekit report prints. Debian's trace-cmd
# is built without zlib, so for zlib files ("zlib" given) only tracekit is
# run, and must read the file to the end. Sets LINES to tracekit's line count.
readers_agree() {
	local name=$1 file=$2 mode=${3:-}
	LINES=0
	if ! "$TK" report "$file" >"$work/tk.txt" 2>"$work/tk.err"; then
		bad "$name: tracekit report failed: $(head -c 300 "$work/tk.err")"
		return 1
	fi
	LINES=$(wc -l <"$work/tk.txt")
	if [ -s "$work/tk.err" ]; then
		bad "$name: tracekit report warned: $(head -c 300 "$work/tk.err")"
		return 1
	fi
	if [ "$mode" = zlib ] || ! command -v trace-cmd >/dev/null 2>&1; then
		ok "$name: tracekit reads it ($LINES lines; trace-cmd not compared${mode:+: Debian trace-cmd has no zlib})"
		return 0
	fi
	if ! trace-cmd report "$file" >"$work/tc.txt" 2>"$work/tc.err"; then
		bad "$name: trace-cmd report failed: $(head -c 300 "$work/tc.err")"
		return 1
	fi
	if [ -s "$work/tc.err" ]; then
		bad "$name: trace-cmd report warned: $(head -c 300 "$work/tc.err")"
		return 1
	fi
	if ! cmp -s "$work/tc.txt" "$work/tk.txt"; then
		bad "$name: tracekit report differs from trace-cmd report:"
		diff "$work/tc.txt" "$work/tk.txt" | head -6
		return 1
	fi
	ok "$name: trace-cmd and tracekit agree ($LINES lines)"
}

# summary_events STDERR-FILE: the event count of the summary line
summary_events() {
	sed -n 's/.*: \([0-9]*\) events, .*/\1/p' "$1" | tail -1
}

# wait_recording PID ERRFILE: until the recorder says it is recording (10 s)
wait_recording() {
	local i
	for i in $(seq 100); do
		grep -q 'SIGINT or SIGTERM stops' "$2" 2>/dev/null && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
