#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Oracle: tracekit hist against a LIVE kernel hist trigger on the same events.
#
# A workload process is started blocked on a FIFO, so its pid is known before
# it does anything. Then a hist trigger filtered on that pid is set on
# raw_syscalls:sys_enter in a tracefs instance of our own, perf records the
# same tracepoint with the same filter, and the workload is released. Both
# see every sys_enter of the process from then until it exits, so the live
# `hist` file and `tracekit hist` on the recording must print the same
# entry lines (compared as sets: ties are in hash order in the kernel, in
# key order in tracekit), the same trigger line and the same totals.
#
# Exit 77 (ctest: skipped), saying why, when this cannot run: not root, no
# tracefs, a kernel without CONFIG_HIST_TRIGGERS, or no perf.
set -u
TK=$(realpath "$1")
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root for tracefs"
T=""
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -d "$d/events/raw_syscalls/sys_enter" ] && { T=$d; break; }
done
[ -n "$T" ] || skip "no tracefs with raw_syscalls events (mount -t tracefs nodev /sys/kernel/tracing)"
grep -qw hist "$T/events/raw_syscalls/sys_enter/trigger" 2>/dev/null ||
	skip "this kernel has no hist triggers (CONFIG_HIST_TRIGGERS is not set: $(head -2 "$T/events/raw_syscalls/sys_enter/trigger" | tail -1))"
command -v perf >/dev/null 2>&1 && perf version >/dev/null 2>&1 || skip "perf is not installed"

work=$(mktemp -d)
inst="$T/instances/tracekit-hist-$$"
trig=""
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	[ -n "$trig" ] && echo "!$trig" >"$inst/events/raw_syscalls/sys_enter/trigger" 2>/dev/null
	[ -d "$inst" ] && rmdir "$inst" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1
mkfifo go
sh -c 'read x < go; exec dd if=/dev/zero of=/dev/null bs=1 count=300 2>/dev/null' &
pid=$!
wl=$pid
mkdir "$inst" || skip "cannot create a tracefs instance"
trig="hist:keys=id.syscall:vals=hitcount if common_pid == $pid"
if ! echo "$trig" >"$inst/events/raw_syscalls/sys_enter/trigger"; then
	echo "FAIL: the kernel refused '$trig': $(tail -3 "$T/error_log" 2>/dev/null)"
	trig=""
	exit 1
fi
perf record -q -e raw_syscalls:sys_enter --filter "common_pid == $pid" -a -o p.data 2>perf.err &
perf_pid=$!
for _ in $(seq 100); do [ -s p.data ] && break; sleep 0.1; done
sleep 1
echo >go
wait "$pid"
pid=""
sleep 0.3
kill -INT "$perf_pid"
wait "$perf_pid"
cat "$inst/events/raw_syscalls/sys_enter/hist" >live
if ! "$TK" hist -e raw_syscalls:sys_enter -k id.syscall -F "common_pid == $wl" p.data >ours 2>err; then
	echo "FAIL: tracekit hist: $(head -c 300 err)"
	exit 1
fi
pass=0 fail=0
check() {	# check NAME FILE-A FILE-B
	if [ -s "$2" ] && cmp -s "$2" "$3"; then
		echo "ok   $1 ($(wc -l <"$2") lines)"
		pass=$((pass + 1))
	else
		echo "FAIL $1:"
		diff "$2" "$3" | head -10
		fail=$((fail + 1))
	fi
}
grep '^{' live | sort >live.entries
grep '^{' ours | sort >ours.entries
check "entry lines (live kernel vs tracekit)" live.entries ours.entries
grep -E '^    (Hits|Entries|Dropped):' live >live.totals
grep -E '^    (Hits|Entries|Dropped):' ours >ours.totals
check "totals" live.totals ours.totals
grep '^# trigger info:' live >live.trig
grep '^# trigger info:' ours >ours.trig
check "trigger line" live.trig ours.trig
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
