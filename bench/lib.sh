# SPDX-License-Identifier: MIT
# bench/lib.sh - shared helpers of the bench scripts (sourced, not run).
#
# Callers set SCRATCH and WORK and call bench_trap once; recording helpers need root.

die() { echo "${0##*/}: error: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }
file_size() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
rssmb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "inf"; else printf "%.2f", a / b }'; }

BENCH_MOUNTED=()            # mount points we mounted, unmounted in reverse order
BENCH_BG_PIDS=()            # recorders running in the background, stopped with SIGINT
BENCH_TRACEFS_BY_US=0

bench_cleanup() {
	local rc=$? i p
	trap - EXIT INT TERM HUP
	if [ -n "${WORK:-}" ] && [ -s "$WORK/workload.pid" ]; then
		kill -TERM -- "-$(<"$WORK/workload.pid")" 2>/dev/null || true
		rm -f "$WORK/workload.pid"
	fi
	for p in "${BENCH_BG_PIDS[@]}"; do
		kill -INT "$p" 2>/dev/null || true
	done
	for p in "${BENCH_BG_PIDS[@]}"; do
		for i in $(seq 1 100); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.2
		done
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	BENCH_BG_PIDS=()
	bench_untrace
	exit "$rc"
}

bench_trap() {
	trap bench_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
}

# Kernel lockdown work-around (samples/README.md): writable scratch files over the
# read-only ftrace_enabled sysctl and the function-tracer files, so trace-cmd record runs.
bench_trace_setup() {
	local f
	[ "$(id -u)" = 0 ] || die "recording needs root"
	if ! findmnt -rn -t tracefs --mountpoint /sys/kernel/tracing >/dev/null 2>&1; then
		log "mounting tracefs at /sys/kernel/tracing"
		mount -t tracefs nodev /sys/kernel/tracing
		BENCH_TRACEFS_BY_US=1
	fi
	echo 1 >"$WORK/ftrace_enabled"
	mount --bind "$WORK/ftrace_enabled" /proc/sys/kernel/ftrace_enabled
	BENCH_MOUNTED+=(/proc/sys/kernel/ftrace_enabled)
	for f in set_ftrace_filter set_ftrace_notrace set_ftrace_pid set_ftrace_notrace_pid; do
		[ -e "/sys/kernel/tracing/$f" ] || continue
		: >"$WORK/$f"
		mount --bind "$WORK/$f" "/sys/kernel/tracing/$f"
		BENCH_MOUNTED+=("/sys/kernel/tracing/$f")
	done
}

bench_untrace() {
	local i
	for ((i = ${#BENCH_MOUNTED[@]} - 1; i >= 0; i--)); do
		umount "${BENCH_MOUNTED[$i]}" 2>/dev/null || umount -l "${BENCH_MOUNTED[$i]}" 2>/dev/null ||
			echo "warning: could not umount ${BENCH_MOUNTED[$i]}" >&2
	done
	BENCH_MOUNTED=()
	if [ "$BENCH_TRACEFS_BY_US" = 1 ]; then
		umount /sys/kernel/tracing 2>/dev/null || true
		BENCH_TRACEFS_BY_US=0
	fi
}

# bench_measure KEY CMD... : one run under /usr/bin/time -v, stdout to /dev/null; keeps
# the best wall seconds in SEC[KEY] (its user+sys CPU in CPU[KEY]), the largest peak
# RSS (KB) in RSS[KEY] and all wall times in ALL[KEY]. Callers declare -A SEC RSS CPU ALL.
bench_measure() {
	local key=$1; shift
	local t0 t1 sec rss cpu tv="$SCRATCH/time-v.txt"
	t0=$EPOCHREALTIME
	if ! /usr/bin/time -v -o "$tv" "$@" >/dev/null 2>"$SCRATCH/run.err"; then
		head -5 "$SCRATCH/run.err" >&2
		die "command failed: $*"
	fi
	t1=$EPOCHREALTIME
	sec=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$tv")
	cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { c += $2 } END { printf "%.2f", c }' "$tv")
	ALL[$key]="${ALL[$key]:-}${ALL[$key]:+ }$sec"
	if [ -z "${SEC[$key]:-}" ] || awk -v a="$sec" -v b="${SEC[$key]}" 'BEGIN { exit !(a < b) }'; then
		SEC[$key]=$sec CPU[$key]=$cpu
	fi
	if [ -z "${RSS[$key]:-}" ] || [ "$rss" -gt "${RSS[$key]}" ]; then RSS[$key]=$rss; fi
}

# A 2-CPU machine shared with builds spoils timings: report what else used the CPU.
bench_idle_check() {
	local b0 t0 b1 t1 other top
	cpu_sample() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
	read -r b0 t0 < <(cpu_sample); sleep 2; read -r b1 t1 < <(cpu_sample)
	other=$(awk -v b="$((b1 - b0))" -v t="$((t1 - t0))" -v n="$(nproc)" 'BEGIN { printf "%.0f", (t > 0 ? b / t : 0) * n * 100 }')
	top=$(ps -eo pcpu=,pid=,comm= --sort=-pcpu | awk '$1 >= 20 && $3 != "ps" { printf "%s%s[%s] %s%%", sep, $3, $2, $1; sep = ", " }')
	echo "CPU used by other processes before timing: ${other}% of one CPU${top:+ (busy: $top)}"
	if [ "$other" -ge 15 ]; then
		echo "WARNING: the machine is not idle; timings are pessimistic. Rerun when idle (the files are reused)."
	fi
}
