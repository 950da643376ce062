#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Oracle: `tracekit collapse` of trace.dat stack traces (trace-cmd record -T)
# counts each stack as often as `trace-cmd report` prints it: awk folds the
# report's "=> func (addr)" lines below each kernel_stack (comm from its
# line, outermost frame first) and counts them; both must be equal, for all
# events and with --event and --cpu. The report names a task by its saved
# cmdline (its last comm), collapse by the comm it had at the event (from
# the sched events before it), so on offcpu-stack.dat, where busy's
# children exec and the comms change, stacks are compared with --no-comm;
# the idle task is "swapper" in collapse, as perf names it.
# Exit 77 (ctest: skipped) when trace-cmd is not installed, saying so.
set -u
TK=$(realpath "$1")
ROOT=$(realpath "$2")
S="$ROOT/samples"
if ! command -v trace-cmd >/dev/null 2>&1; then
	echo "SKIP: trace-cmd is not installed (apt-get install trace-cmd); oracle not run"
	exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
# fold EVENT-REGEX CPU NOCOMM < report: "comm;outer;...;leaf COUNT", sorted bytewise
fold() {
	awk -v want="$1" -v cpu="$2" -v nocomm="$3" '
	function flush() { if (stack != "" && ok) n[nocomm ? stack : comm ";" stack]++; stack = ""; ok = 0 }
	/^=> / { if (instack) stack = (stack == "" ? $2 : $2 ";" stack); next }
	{ match($0, /\[[0-9]+\]/); c = substr($0, RSTART + 1, RLENGTH - 2) + 0 }
	/ kernel_stack: / {
		# the stack of the last event on its CPU: others may come between
		flush(); instack = 1; ok = evok[c]
		comm = $0; sub(/^ */, "", comm); sub(/ +\[[0-9]+\].*/, "", comm); sub(/-[0-9]+$/, "", comm)
		if (comm == "<idle>") comm = "swapper"
		gsub(/ /, "_", comm); next
	}
	{
		flush(); instack = 0
		match($0, /\[[0-9]+\] +[0-9.]+: /); ev = substr($0, RSTART + RLENGTH); sub(/:.*/, "", ev)
		evok[c] = ev ~ want && (cpu < 0 || c == cpu)
	}
	END { flush(); for (k in n) print k, n[k] }' | LC_ALL=C sort
}
check() {	# check NAME FILE EVENT-REGEX CPU [collapse options]
	local name=$1 file=$2 re=$3 cpu=$4 nocomm=0
	shift 4
	case " $* " in *" --no-comm "*) nocomm=1 ;; esac
	trace-cmd report "$file" 2>/dev/null | fold "$re" "$cpu" "$nocomm" > "$work/want"
	"$TK" collapse "$@" "$file" > "$work/got" 2>"$work/err"
	if [ ! -s "$work/want" ]; then
		echo "FAIL $name: the report has no stack"; fail=$((fail + 1))
	elif cmp -s "$work/want" "$work/got"; then
		echo "ok   $name: $(wc -l < "$work/want") stacks, $(awk '{ s += $NF } END { print s }' "$work/want") events"
	else
		echo "FAIL $name: $(diff "$work/want" "$work/got" | head -4 | tr '\n' '|') $(head -c 200 "$work/err")"
		fail=$((fail + 1))
	fi
}
check syscalls "$S/syscalls-stack.dat" . -1
check syscalls-sys_enter "$S/syscalls-stack.dat" '^sys_enter$' -1 --event sys_enter
check offcpu "$S/offcpu-stack.dat" . -1 --no-comm
check offcpu-cpu0-waking "$S/offcpu-stack.dat" '^sched_waking$' 0 --event sched:sched_waking --cpu 0 --no-comm
check offcpu-cpu1-two "$S/offcpu-stack.dat" '^sched_(switch|wakeup)$' 1 --event sched_switch,sched_wakeup --cpu 1 --no-comm
[ $fail -eq 0 ]
