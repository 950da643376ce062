#!/usr/bin/env bash
# bench/bench.sh - compare tracekit with Debian's trace-cmd on a large trace.dat.
#
# Not a test: it records (or reuses) a >= 200 MB v6 trace.dat plus its v7+zstd twin,
# checks that `tracekit report` and `trace-cmd report` print identical text, then
# times both tools (best of N runs, page cache warm) and prints a table with the
# issue's targets marked PASS/MISS.  Run as root: bash bench/bench.sh   (see --help)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)

SCRATCH=/var/tmp/tk-bench
RUNS=3
INPUT=
MIN_MB=200
DURATION=6           # seconds of the first recording attempt
MAX_ATTEMPTS=4
BUILD_DIR="$REPO/build-bench"
TRACEKIT=
DO_BUILD=1
SKIP_CHECK=0

usage() {
	cat <<EOF
usage: bash bench/bench.sh [options]          (as root)

Benchmarks tracekit against trace-cmd (Debian's trace-cmd 3.1.x) on a big trace:

  1. records SCRATCH/trace-v6.dat (>= MIN_MB, trace.dat v6, events sched:* and
     raw_syscalls:* system-wide, busy workload) unless it already exists or --input
     is given, and makes its v7+zstd twin SCRATCH/<name>-v7-zstd.dat with
     'trace-cmd convert --file-version 7 --compression zstd' (unless present);
  2. checks that 'tracekit report' and 'trace-cmd report' outputs are identical on
     both files (md5 of the full text) and prints the event counts;
  3. times, best of N runs with a warm page cache, using /usr/bin/time -v:
       tracekit report FILE > /dev/null   vs  trace-cmd report FILE > /dev/null
       tracekit stat FILE > /dev/null     vs  trace-cmd report FILE > /dev/null
     on both files, and prints seconds, peak RSS, ratios and the targets
     (report >= 2x faster, stat >= 10x faster, tracekit peak RSS < 64 MB).

options:
  --runs N          timed runs per command, best (lowest wall time) is shown [$RUNS]
  --input FILE      use FILE (a v6 trace.dat) instead of recording one; its v7+zstd
                    twin is still made in the scratch dir if missing
  --scratch DIR     scratch dir for recordings and logs [$SCRATCH]
  --min-mb MB       minimum size of the recorded v6 file [$MIN_MB]
  --duration SEC    length of the first recording attempt; re-recorded longer
                    (up to $MAX_ATTEMPTS attempts) if the file is too small [$DURATION]
  --tracekit PATH   tracekit binary to use (skips the build)
  --build-dir DIR   Release build dir [$BUILD_DIR]
  --no-build        do not (re)build; use BUILD_DIR/cli/tracekit as is
  --skip-check      skip the output comparison (not recommended)
  -h, --help        this help

Needs root (recording: tracefs + bind mounts), trace-cmd (apt-get install -y trace-cmd),
/usr/bin/time (apt-get install -y time), cmake, gcc, make.  About 300 MB of disk in
the scratch dir (v6 file >= 200 MB + v7+zstd twin), 10-20 minutes for a full run.
EOF
}

die() { echo "bench.sh: error: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--runs) RUNS=${2:?}; shift 2 ;;
	--runs=*) RUNS=${1#*=}; shift ;;
	--input) INPUT=${2:?}; shift 2 ;;
	--input=*) INPUT=${1#*=}; shift ;;
	--scratch) SCRATCH=${2:?}; shift 2 ;;
	--scratch=*) SCRATCH=${1#*=}; shift ;;
	--min-mb) MIN_MB=${2:?}; shift 2 ;;
	--min-mb=*) MIN_MB=${1#*=}; shift ;;
	--duration) DURATION=${2:?}; shift 2 ;;
	--duration=*) DURATION=${1#*=}; shift ;;
	--tracekit) TRACEKIT=${2:?}; DO_BUILD=0; shift 2 ;;
	--tracekit=*) TRACEKIT=${1#*=}; DO_BUILD=0; shift ;;
	--build-dir) BUILD_DIR=${2:?}; shift 2 ;;
	--build-dir=*) BUILD_DIR=${1#*=}; shift ;;
	--no-build) DO_BUILD=0; shift ;;
	--skip-check) SKIP_CHECK=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "bench.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
done

[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive integer"
[[ "$MIN_MB" =~ ^[0-9]+$ ]] || die "--min-mb needs an integer"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "--duration needs a positive integer"

# ---------------------------------------------------------------- prerequisites
if ! command -v trace-cmd >/dev/null 2>&1; then
	die "trace-cmd is missing. Install Debian's package:  apt-get install -y trace-cmd"
fi
if [ ! -x /usr/bin/time ]; then
	die "/usr/bin/time is missing (GNU time, needed for -v). Install it:  apt-get install -y time"
fi
[ -z "$TRACEKIT" ] && TRACEKIT="$BUILD_DIR/cli/tracekit"

mkdir -p "$SCRATCH"
SCRATCH=$(cd "$SCRATCH" && pwd)
case "$SCRATCH/" in "$REPO"/*) die "scratch dir must be outside the repo ($SCRATCH)" ;; esac
WORK="$SCRATCH/work"
mkdir -p "$WORK"

# ---------------------------------------------------------------- cleanup / trap
MOUNTED=()          # mount points we mounted, unmounted in reverse order
RECORD_PID=         # trace-cmd record, run in the background so that signals are handled at once
TRACEFS_MOUNTED_BY_US=0

cleanup() {
	local rc=$? i
	trap - EXIT INT TERM HUP
	# the workload runs in its own session (setsid); it writes its process group id here
	if [ -s "$WORK/workload.pid" ]; then
		kill -TERM -- "-$(<"$WORK/workload.pid")" 2>/dev/null || true
		rm -f "$WORK/workload.pid"
	fi
	# stop a running trace-cmd record (its command is gone now) before unmounting
	if [ -n "$RECORD_PID" ] && kill -0 "$RECORD_PID" 2>/dev/null; then
		kill -INT "$RECORD_PID" 2>/dev/null || true
		for i in $(seq 1 100); do
			kill -0 "$RECORD_PID" 2>/dev/null || break
			sleep 0.2
		done
		kill -TERM "$RECORD_PID" 2>/dev/null || true
		wait "$RECORD_PID" 2>/dev/null || true
	fi
	RECORD_PID=
	for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTED[$i]}" 2>/dev/null || umount -l "${MOUNTED[$i]}" 2>/dev/null ||
			echo "bench.sh: warning: could not umount ${MOUNTED[$i]}" >&2
	done
	MOUNTED=()
	if [ "$TRACEFS_MOUNTED_BY_US" = 1 ]; then
		umount /sys/kernel/tracing 2>/dev/null || true
		TRACEFS_MOUNTED_BY_US=0
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------- build tracekit
if [ "$DO_BUILD" = 1 ]; then
	log "building tracekit (Release) in $BUILD_DIR"
	cmake -S "$REPO" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >"$SCRATCH/build.log" 2>&1 ||
		{ tail -20 "$SCRATCH/build.log" >&2; die "cmake configure failed (log: $SCRATCH/build.log)"; }
	cmake --build "$BUILD_DIR" -j2 >>"$SCRATCH/build.log" 2>&1 ||
		{ tail -30 "$SCRATCH/build.log" >&2; die "build failed (log: $SCRATCH/build.log)"; }
fi
[ -x "$TRACEKIT" ] || die "tracekit binary not found: $TRACEKIT"

# ---------------------------------------------------------------- recording
file_size() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

bind_over() {   # bind_over SCRATCH_FILE TARGET
	mount --bind "$1" "$2"
	MOUNTED+=("$2")
}

setup_tracing() {
	[ "$(id -u)" = 0 ] || die "recording needs root (or give --input FILE)"
	if ! findmnt -rn -t tracefs --mountpoint /sys/kernel/tracing >/dev/null 2>&1; then
		log "mounting tracefs at /sys/kernel/tracing"
		mount -t tracefs nodev /sys/kernel/tracing
		TRACEFS_MOUNTED_BY_US=1
	fi
	# Kernel lockdown work-around, as in samples/README.md: writable scratch files over
	# the read-only ftrace_enabled sysctl and the function-tracer files of tracefs.
	echo 1 >"$WORK/ftrace_enabled"
	bind_over "$WORK/ftrace_enabled" /proc/sys/kernel/ftrace_enabled
	local f
	for f in set_ftrace_filter set_ftrace_notrace set_ftrace_pid set_ftrace_notrace_pid; do
		if [ -e "/sys/kernel/tracing/$f" ]; then
			: >"$WORK/$f"
			bind_over "$WORK/$f" "/sys/kernel/tracing/$f"
		elif [ "$f" != set_ftrace_notrace_pid ]; then
			die "/sys/kernel/tracing/$f does not exist"
		fi
	done
}

teardown_tracing() {
	local i
	for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTED[$i]}"
	done
	MOUNTED=()
}

build_workload() {
	cp "$REPO/samples/workloads/busy.c" "$REPO/samples/workloads/Makefile" "$WORK/"
	make -s -C "$WORK" busy >/dev/null
}

# The workload: busy (4 threads, many wakeups/futexes/pipes), a find over / in a loop,
# and two hackbench-like pipelines of tiny reads/writes.  Runs for $1 seconds.
write_workload_script() {
	cat >"$WORK/workload.sh" <<'EOF'
#!/bin/bash
# workload.sh SECONDS BUSY   (started via setsid: its pid is its process group id)
d=$1; busy=$2
echo $$ >"$(dirname "$0")/workload.pid"
pids=()
"$busy" -t 4 -w 2 -n 200 -d $((d * 1000)) >/dev/null & pids+=($!)
( while :; do find / -xdev >/dev/null 2>&1; done ) & pids+=($!)
( while :; do dd if=/dev/zero bs=64 count=2000000 status=none | cat | dd of=/dev/null bs=64 status=none; done ) & pids+=($!)
( while :; do dd if=/dev/zero bs=16 count=2000000 status=none | dd of=/dev/null bs=16 status=none; done ) & pids+=($!)
sleep "$d"
trap '' TERM
kill -TERM 0 2>/dev/null     # the whole process group: loops, find, dd, cat, busy
wait 2>/dev/null
rm -f "$(dirname "$0")/workload.pid"
exit 0
EOF
	chmod +x "$WORK/workload.sh"
}

record_v6() {   # record_v6 OUT
	local out=$1 tmp="$1.tmp" dur=$DURATION attempt size
	setup_tracing
	build_workload
	write_workload_script
	for ((attempt = 1; attempt <= MAX_ATTEMPTS; attempt++)); do
		log "recording v6 trace for ${dur}s (attempt $attempt, need >= ${MIN_MB} MB) -> $tmp"
		rm -f "$tmp"
		# The workload runs in its own process group (setsid) so the trap can kill it.
		trace-cmd record --file-version 6 -b 20000 -e 'sched:*' -e 'raw_syscalls:*' \
			-o "$tmp" setsid --wait "$WORK/workload.sh" "$dur" "$WORK/busy" \
			>"$SCRATCH/record.log" 2>&1 &
		RECORD_PID=$!
		if ! wait "$RECORD_PID"; then
			RECORD_PID=
			tail -20 "$SCRATCH/record.log" >&2
			die "trace-cmd record failed (log: $SCRATCH/record.log)"
		fi
		RECORD_PID=
		size=$(file_size "$tmp")
		log "recorded $(mb "$size") MB"
		if [ "$size" -ge $((MIN_MB * 1048576)) ]; then
			mv "$tmp" "$out"
			teardown_tracing
			return 0
		fi
		# scale up the duration (+25% margin), at least doubling the size
		dur=$(awk -v d="$dur" -v s="$size" -v m="$MIN_MB" 'BEGIN {
			n = (s > 0) ? d * m * 1048576 / s * 1.25 : d * 4; if (n < d + 5) n = d + 5;
			printf "%d", n + 0.999 }')
	done
	die "could not record >= ${MIN_MB} MB in $MAX_ATTEMPTS attempts"
}

if [ -n "$INPUT" ]; then
	[ -r "$INPUT" ] || die "cannot read --input $INPUT"
	V6=$(readlink -f "$INPUT")
	base=$(basename "$V6" .dat)
	V7="$SCRATCH/$base-v7-zstd.dat"
else
	V6="$SCRATCH/trace-v6.dat"
	V7="$SCRATCH/trace-v6-v7-zstd.dat"
	if [ -s "$V6" ]; then
		log "reusing $V6 ($(mb "$(file_size "$V6")") MB)"
	else
		rm -f "$V7"     # a twin of an older recording is stale
		record_v6 "$V6"
	fi
fi

if [ -s "$V7" ] && [ "$V7" -nt "$V6" ]; then
	log "reusing $V7"
else
	log "converting to v7+zstd -> $V7"
	rm -f "$V7.tmp"
	trace-cmd convert --file-version 7 --compression zstd -i "$V6" -o "$V7.tmp" \
		>"$SCRATCH/convert.log" 2>&1 ||
		{ tail -20 "$SCRATCH/convert.log" >&2; die "trace-cmd convert failed (log: $SCRATCH/convert.log)"; }
	mv "$V7.tmp" "$V7"
fi

# ---------------------------------------------------------------- describe inputs
FILES=("$V6" "$V7")
LABELS=("v6" "v7+zstd")

for f in "${FILES[@]}"; do
	log "warm-up read of $f"
	cat "$f" >/dev/null
done

echo
echo "tracekit:  $TRACEKIT ($("$TRACEKIT" version 2>/dev/null | head -1 || echo '?'))"
gitrev=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')
gitdirty=$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null | wc -l || echo '?')
echo "source:    $REPO at git $gitrev ($gitdirty modified tracked files)"
tcver=$(trace-cmd --version 2>&1 || true)
echo "trace-cmd: $(command -v trace-cmd) ($(echo "$tcver" | sed -n '/version/{p;q}'))"
echo "machine:   $(uname -srm), $(nproc) CPUs; runs per command: $RUNS (best wall time shown)"
echo
for i in 0 1; do
	f=${FILES[$i]}
	fmt=$("$TRACEKIT" stat "$f" 2>/dev/null | sed -n 's/^format: *//p;s/^compression: *\(.*\)/compression \1/p' | paste -sd';' - | sed 's/;/; /g' || true)
	printf '%-8s %s: %s bytes (%s MB); %s\n' "${LABELS[$i]}" "$f" "$(file_size "$f")" "$(mb "$(file_size "$f")")" "$fmt"
done
echo

# ---------------------------------------------------------------- output check
# check_pass TAG CMD... : md5 (-> check-TAG.md5) and line count (-> check-TAG.lines) of
# CMD's stdout in one pass, stderr -> check-TAG.err
check_pass() {
	local tag=$1 fifo="$SCRATCH/check.fifo" pid; shift
	rm -f "$fifo"; mkfifo "$fifo"
	md5sum <"$fifo" >"$SCRATCH/check-$tag.md5" & pid=$!
	"$@" 2>"$SCRATCH/check-$tag.err" | tee "$fifo" |
		awk '{ n++ } /^CPU:[0-9]+ \[([0-9]+ )?EVENTS DROPPED\]$/ { d++ } END { print n + 0, d + 0 }' \
		>"$SCRATCH/check-$tag.lines"
	wait "$pid"
	rm -f "$fifo"
}

declare -A EVENTS
ALL_SAME=1
if [ "$SKIP_CHECK" = 0 ]; then
	for i in 0 1; do
		f=${FILES[$i]}; l=${LABELS[$i]}
		log "comparing report outputs on $l"
		# one pass per tool: md5 and line count of the full report text
		check_pass tk "$TRACEKIT" report "$f"
		check_pass tc trace-cmd report "$f"
		tk=$(cut -d' ' -f1 "$SCRATCH/check-tk.md5"); tc=$(cut -d' ' -f1 "$SCRATCH/check-tc.md5")
		read -r tkl tkd <"$SCRATCH/check-tk.lines"; read -r tcl tcd <"$SCRATCH/check-tc.lines"
		tkev=$("$TRACEKIT" stat "$f" 2>/dev/null | sed -n 's/^events: *\([0-9]*\).*/\1/p' || true)
		EVENTS[$l]="${tkev:-?}"
		if [ "$tk" = "$tc" ]; then
			same="IDENTICAL"
		else
			same="DIFFERENT"; ALL_SAME=0
		fi
		printf 'report output %-8s: %s\n' "$l" "$same"
		printf '  tracekit report:  md5 %s, %s lines\n' "$tk" "$tkl"
		printf '  trace-cmd report: md5 %s, %s lines (%s "CPU:N [(N) EVENTS DROPPED]" lines)\n' "$tc" "$tcl" "$tcd"
		printf '  events: %s (tracekit stat); %s (trace-cmd report lines - 1 cpus= line - %s DROPPED lines)\n' \
			"${tkev:-?}" "$((tcl - 1 - tcd))" "$tcd"
		if [ -s "$SCRATCH/check-tk.err" ]; then
			echo "  tracekit stderr: $(head -3 "$SCRATCH/check-tk.err" | paste -sd'|' -)"
		fi
		if [ -s "$SCRATCH/check-tc.err" ]; then
			echo "  trace-cmd stderr: $(head -3 "$SCRATCH/check-tc.err" | paste -sd'|' -)"
		fi
		if [ "$same" = DIFFERENT ]; then
			echo "  first difference (cmp; diff head):"
			cmp <("$TRACEKIT" report "$f" 2>/dev/null) <(trace-cmd report "$f" 2>/dev/null) 2>&1 | sed 's/^/    /' || true
			diff <("$TRACEKIT" report "$f" 2>/dev/null) <(trace-cmd report "$f" 2>/dev/null) 2>&1 | head -8 | sed 's/^/    /' || true
		fi
	done
	echo
fi

# ---------------------------------------------------------------- timing
# measure_once KEY CMD... : one run of CMD under /usr/bin/time -v, stdout to /dev/null;
# keeps the best (lowest) wall seconds in SEC[KEY] (and that run's user+system CPU in
# CPU[KEY]) and the largest peak RSS (KB) in RSS[KEY]; all wall times in ALL[KEY].
# Wall time is taken with bash's $EPOCHREALTIME around the /usr/bin/time -v run (ms
# resolution; time -v's "Elapsed" field has only 10 ms); RSS is time -v's "Maximum
# resident set size" of the measured command.  The runs of the commands are
# interleaved (round r of every command before round r+1), so that a noisy neighbour
# hurts tracekit and trace-cmd alike.
declare -A SEC RSS CPU ALL
measure_once() {
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

# Other CPU-heavy processes (2-CPU machine!) spoil the timing: measure the CPU use of
# everything else for 2 s while this script sleeps, and warn.
cpu_sample() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
read -r b0 t0 < <(cpu_sample); sleep 2; read -r b1 t1 < <(cpu_sample)
other=$(awk -v b="$((b1 - b0))" -v t="$((t1 - t0))" -v n="$(nproc)" 'BEGIN { printf "%.0f", (t > 0 ? b / t : 0) * n * 100 }')
top=$(ps -eo pcpu=,pid=,comm= --sort=-pcpu | awk '$1 >= 20 && $3 != "ps" { printf "%s%s[%s] %s%%", sep, $3, $2, $1; sep = ", " }')
echo "CPU used by other processes before timing: ${other}% of one CPU${top:+ (long-running busy: $top)}"
if [ "$other" -ge 15 ]; then
	echo "WARNING: the machine is not idle; timings are pessimistic. Rerun when idle (the files are reused)."
fi
echo

for ((r = 1; r <= RUNS; r++)); do
	log "timing round $r of $RUNS"
	for i in 0 1; do
		f=${FILES[$i]}; l=${LABELS[$i]}
		measure_once "$l,tkr" "$TRACEKIT" report "$f"
		measure_once "$l,tcr" trace-cmd report "$f"
		measure_once "$l,tks" "$TRACEKIT" stat "$f"
	done
done
for l in "${LABELS[@]}"; do
	for k in tkr:"tracekit report" tcr:"trace-cmd report" tks:"tracekit stat"; do
		log "$l ${k#*:}: runs ${ALL[$l,${k%%:*}]} s, peak RSS $((RSS[$l,${k%%:*}] / 1024)) MB"
	done
done

# ---------------------------------------------------------------- table
rssmb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "inf"; else printf "%.2f", a / b }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

echo "Results (best of $RUNS runs by wall time, warm page cache; RSS = max over the runs;"
echo "CPU s = user+system time of the best run, from time -v, for reference only):"
echo
printf '| %-8s | %-17s | %8s | %11s | %13s |\n' input tool seconds "peak RSS MB" "CPU s (u+s)"
printf '|%s|%s|%s|%s|%s|\n' ---------- ------------------- ---------- ------------- ---------------
for l in "${LABELS[@]}"; do
	printf '| %-8s | %-17s | %8s | %11s | %13s |\n' "$l" "tracekit report" "${SEC[$l,tkr]}" "$(rssmb "${RSS[$l,tkr]}")" "${CPU[$l,tkr]}"
	printf '| %-8s | %-17s | %8s | %11s | %13s |\n' "$l" "trace-cmd report" "${SEC[$l,tcr]}" "$(rssmb "${RSS[$l,tcr]}")" "${CPU[$l,tcr]}"
	printf '| %-8s | %-17s | %8s | %11s | %13s |\n' "$l" "tracekit stat" "${SEC[$l,tks]}" "$(rssmb "${RSS[$l,tks]}")" "${CPU[$l,tks]}"
done
echo

MISSES=0
mark() { if "$@"; then echo PASS; else echo MISS; fi; }
echo "Ratios and targets:"
echo
printf '| %-8s | %-52s | %9s | %-7s | %-6s |\n' input measure value target result
printf '|%s|%s|%s|%s|%s|\n' ---------- ------------------------------------------------------ ----------- --------- --------
for l in "${LABELS[@]}"; do
	rr=$(ratio "${SEC[$l,tcr]}" "${SEC[$l,tkr]}")
	sr=$(ratio "${SEC[$l,tcr]}" "${SEC[$l,tks]}")
	tkmax=${RSS[$l,tkr]}
	if [ "${RSS[$l,tks]}" -gt "$tkmax" ]; then tkmax=${RSS[$l,tks]}; fi
	res_r=$(mark ge "$rr" 2); res_s=$(mark ge "$sr" 10)
	res_m=$(mark awk -v k="$tkmax" 'BEGIN { exit !(k < 64 * 1024) }')
	for x in "$res_r" "$res_s" "$res_m"; do
		if [ "$x" = MISS ]; then MISSES=$((MISSES + 1)); fi
	done
	printf '| %-8s | %-52s | %8sx | %-7s | %-6s |\n' "$l" "report speed: trace-cmd report s / tracekit report s" "$rr" ">= 2x" "$res_r"
	printf '| %-8s | %-52s | %8sx | %-7s | %-6s |\n' "$l" "stat speed: trace-cmd report s / tracekit stat s" "$sr" ">= 10x" "$res_s"
	printf '| %-8s | %-52s | %9s | %-7s | %-6s |\n' "$l" "tracekit peak RSS MB (max of report, stat)" "$(rssmb "$tkmax")" "< 64 MB" "$res_m"
	printf '| %-8s | %-52s | %8sx | %-7s | %-6s |\n' "$l" "RSS: trace-cmd report / tracekit report" "$(ratio "${RSS[$l,tcr]}" "${RSS[$l,tkr]}")" "-" "-"
	printf '| %-8s | %-52s | %8sx | %-7s | %-6s |\n' "$l" "RSS: trace-cmd report / tracekit stat" "$(ratio "${RSS[$l,tcr]}" "${RSS[$l,tks]}")" "-" "-"
	printf '| %-8s | %-52s | %8sx | %-7s | %-6s |\n' "$l" "(info) CPU s: trace-cmd report / tracekit report" "$(ratio "${CPU[$l,tcr]}" "${CPU[$l,tkr]}")" "-" "-"
done
echo
if [ "$SKIP_CHECK" = 0 ]; then
	if [ "$ALL_SAME" = 1 ]; then echo "report outputs: identical on both files"; else echo "report outputs: DIFFERENT (see above)"; fi
fi
echo "targets: $((9 - MISSES))/9 PASS, $MISSES MISS"
