#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tracekit-record's error cases: exit status and the one line it prints.
# Usage errors (exit 2) need nothing; the rest need root and tracefs.
set -u
REC=$(realpath "$1")
TK=$(realpath "$2")
ROOT=$(realpath "$3")
. "$ROOT/tests/record/lib.sh"
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

# case NAME EXIT STDERR-REGEX -- ARGS...
case_() {
	local name=$1 want=$2 re=$3
	shift 4
	"$@" >"$work/out" 2>"$work/err"
	local st=$?
	if [ $st -ne "$want" ]; then
		bad "$name: exit $st, expected $want: $(head -c 300 "$work/err")"
	elif ! grep -Eq -- "$re" "$work/err"; then
		bad "$name: stderr lacks /$re/: $(head -c 300 "$work/err")"
	elif [ "$(wc -l <"$work/err")" -ne 1 ]; then
		bad "$name: more than one line on stderr: $(head -c 300 "$work/err")"
	else
		ok "$name: $(cat "$work/err")"
	fi
}

case_ "no events" 2 'no events to record' -- "$REC"
case_ "-f before -e" 2 'needs an -e before it' -- "$REC" -f 'prev_pid==0'
case_ "bad version" 2 'file-version is 6 or 7' -- "$REC" -e sched:sched_switch --file-version 8
case_ "v6 compressed" 2 'version 6 files cannot be compressed' -- \
	"$REC" -e sched:sched_switch --file-version 6 --compression zstd
case_ "bad compression" 2 'zstd, zlib or none' -- "$REC" -e sched:sched_switch --compression lz4
case_ "bad -d" 2 '-d wants seconds' -- "$REC" -e sched:sched_switch -d soon
case_ "function tracer" 2 "tracer 'function' is not supported" -- \
	"$REC" -p function -e sched:sched_switch
grep -q 'usage: tracekit-record' <("$REC" --help) && ok "--help" || bad "--help"
grep -q 'usage: tracekit record' <("$TK" record --help) && ok "tracekit record --help execs it" ||
	bad "tracekit record --help"

need_tracefs
if [ ! -e "$TRACEFS/kprobe_events" ]; then
	case_ "--kprobe without kprobe_events" 1 'this kernel has no kprobe_events' -- \
		"$REC" --kprobe 'p:tk/open do_sys_openat2' -e sched:sched_switch
fi
case_ "unknown event" 1 "no event matches 'nosuch:event'" -- "$REC" -e nosuch:event
case_ "unknown event glob" 1 "no event matches 'sched:nosuch\\*'" -- "$REC" -e 'sched:nosuch*'
case_ "bad filter" 1 "bad filter 'prev_pid ==' for sched:sched_switch: .*error" -- \
	"$REC" -e sched:sched_switch -f 'prev_pid =='
case_ "unknown field in filter" 1 "bad filter 'nosuch==1'" -- \
	"$REC" -e sched:sched_switch -f 'nosuch==1'
case_ "unknown clock" 1 "unknown trace clock 'nosuch' \\(available: .*local" -- \
	"$REC" -e sched:sched_switch -C nosuch
case_ "output not writable" 1 'cannot create /nonexistent/x.dat: No such file' -- \
	"$REC" -e sched:sched_switch -o /nonexistent/x.dat
case_ "command not found" 1 "cannot run '/nonexistent/cmd': No such file" -- \
	"$REC" -e sched:sched_switch -o "$work/nocmd.dat" -- /nonexistent/cmd
[ -e "$work/nocmd.dat" ] && bad "command not found: left $work/nocmd.dat" ||
	ok "command not found: no output file left"
if command -v setpriv >/dev/null; then
	case_ "not root" 1 'no permission to use tracefs .*run as root' -- \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$REC" -e sched:sched_switch \
		-o "$work/x.dat"
fi
if command -v unshare >/dev/null; then
	# tracefs gone and not mountable: a private mount namespace where
	# /sys/kernel is an empty read-only tmpfs
	case_ "tracefs missing" 1 'tracefs is not mounted .*mount -t tracefs nodev /sys/kernel/tracing' -- \
		unshare -m sh -c 'umount -l /sys/kernel/tracing 2>/dev/null
			umount -l /sys/kernel/debug 2>/dev/null
			mount -t tmpfs -o ro,size=16k none /sys/kernel || exit 9
			exec "$1" -e sched:sched_switch -o "$2/y.dat"' sh "$REC" "$work"
fi
ls "$TRACEFS/instances" | grep -q "^tracekit-record-" &&
	bad "an instance was left: $(ls "$TRACEFS/instances")" || ok "no instance left behind"
finish
