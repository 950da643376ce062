#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Never lose what was taken: every way a recording ends leaves a file both
# readers read to the end, and a summary line saying why it stopped.
# SIGINT, SIGTERM, a second SIGINT during the drain, -d, -m, the command's
# exit, and a full disk (a 16 MiB tmpfs in a private mount namespace).
set -u
REC=$(realpath "$1")
TK=$(realpath "$2")
ROOT=$(realpath "$3")
. "$ROOT/tests/record/lib.sh"
need_tracefs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build_busy "$work" || { echo "FAIL: cannot build the workload"; exit 1; }
EV=(-e sched:sched_switch -e sched:sched_wakeup -e 'sched:sched_process_*')

# check NAME FILE STDERR REASON-REGEX [may-be-empty]
check() {
	local name=$1 file=$2 err=$3 why=$4 empty=${5:-}
	if ! grep -Eq "stopped: $why" "$err"; then
		bad "$name: summary does not say 'stopped: $why': $(tail -c 300 "$err")"
		return
	fi
	ok "$name: $(grep -o 'stopped: .*' "$err")"
	readers_agree "$name" "$file" || return
	[ "$LINES" -gt 1 ] || [ -n "$empty" ] || bad "$name: no events in the file"
}

# by signal, with the workload running meanwhile
for sig in INT TERM; do
	"$work/busy" -d 3000 >/dev/null &
	load=$!
	"$REC" "${EV[@]}" -o "$work/$sig.dat" 2>"$work/$sig.err" &
	pid=$!
	wait_recording $pid "$work/$sig.err" || bad "SIG$sig: recorder did not start"
	sleep 0.5
	kill -$sig $pid
	wait $pid
	st=$?
	kill $load 2>/dev/null; wait $load 2>/dev/null
	[ $st -eq 0 ] || bad "SIG$sig: exit $st: $(cat "$work/$sig.err")"
	check "SIG$sig" "$work/$sig.dat" "$work/$sig.err" signal
	[ -d "$TRACEFS/instances/tracekit-record-$pid" ] &&
		bad "SIG$sig: instance tracekit-record-$pid left behind" ||
		ok "SIG$sig: instance removed"
done

# two SIGINTs at once: the drain is cut short, the file still valid (it
# may hold no events: nothing may have been spliced out before the drain)
"$work/busy" -d 5000 >/dev/null &
load=$!
"$REC" "${EV[@]}" -b 8192 -o "$work/int2.dat" 2>"$work/int2.err" &
pid=$!
wait_recording $pid "$work/int2.err" || bad "2xSIGINT: recorder did not start"
sleep 1
kill -INT $pid; kill -INT $pid
wait $pid
kill $load 2>/dev/null; wait $load 2>/dev/null
check "2xSIGINT" "$work/int2.dat" "$work/int2.err" signal may-be-empty
# The drain of a few MiB may end before the second signal lands; either
# way the file above had to be valid.
grep -q 'second signal: not waiting' "$work/int2.err" && ok "2xSIGINT: the drain was cut short" ||
	ok "2xSIGINT: the drain ended before the second signal arrived"

# -d, -m, command exit
"$REC" "${EV[@]}" -d 1 -o "$work/d.dat" 2>"$work/d.err" || bad "-d: exit $?"
check "-d 1" "$work/d.dat" "$work/d.err" 'duration'
"$REC" -e 'raw_syscalls:*' -e sched:sched_switch -m 1 -o "$work/m.dat" -- \
	dd if=/dev/zero of=/dev/null bs=1 count=20000000 2>"$work/m.err" || bad "-m: exit $?"
check "-m 1" "$work/m.dat" "$work/m.err" 'size limit'
"$REC" "${EV[@]}" -o "$work/c.dat" -- sh -c 'exit 3' 2>"$work/c.err" || bad "command: exit $?"
check "command exit" "$work/c.dat" "$work/c.err" 'command exited \(status 3\)'

# disk full: a 16 MiB tmpfs; the recording fills it, stops, and still
# closes a valid file (metadata space was reserved, data punched behind).
if ! command -v unshare >/dev/null; then
	echo "SKIP part: no unshare(1) for a private tmpfs; disk-full case not run"
else
	for v in 7 6; do
		unshare -m sh -c '
			mkdir -p "$1/full" && mount -t tmpfs -o size=16m none "$1/full" || exit 99
			"$2" -e "raw_syscalls:*" -e sched:sched_switch -b 4096 --file-version "$3" \
				-o "$1/full/t.dat" -- dd if=/dev/zero of=/dev/null bs=1 count=200000000 \
				2>"$1/full.err"
			st=$?
			cp "$1/full/t.dat" "$1/full-v$3.dat"
			exit $st
		' sh "$work" "$REC" "$v"
		st=$?
		[ $st -eq 99 ] && { echo "SKIP part: cannot mount a tmpfs"; break; }
		[ $st -eq 0 ] || bad "disk full v$v: exit $st: $(cat "$work/full.err")"
		check "disk full v$v" "$work/full-v$v.dat" "$work/full.err" 'disk full'
	done
fi
finish
