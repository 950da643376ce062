#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Oracle: `tracekit report FILE.data` must print exactly what Debian's
# `perf script` prints for the same file and options. No normalisation.
#
# Both run with HOME set to an empty directory, so perf's build-id cache
# (~/.debug) cannot help either side. Two symbol setups:
#  - pinned: --kallsyms samples/perf-kallsyms.txt --symfs samples/symfs, the
#    same on every machine (libc and ld.so are not under symfs: [unknown]);
#  - live: --kallsyms only; DSOs are looked up at their recorded paths on
#    this machine (libc, ld.so; the workload binary is not there) and their
#    split debug files under /usr/lib/debug, as perf does by default;
#  - dynsym: --symfs holding copies of this machine's libc and ld.so and the
#    workload binary but no debug files, so libc and ld.so resolve from their
#    .dynsym tables.
# Exit 77 (ctest: skipped) when perf is not installed, saying so.
set -u
TK=$(realpath "$1")
ROOT=$(realpath "$2")
S="$ROOT/samples"
if ! command -v perf >/dev/null 2>&1 || ! perf version >/dev/null 2>&1; then
	echo "SKIP: perf is not installed (apt-get install linux-perf); oracle not run"
	exit 77
fi
echo "oracle: $(perf version 2>&1)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home"
mkdir -p "$HOME"
pass=0 fail=0
K="--kallsyms $S/perf-kallsyms.txt"
PIN="$K --symfs $S/symfs"
DYN="$work/symfs-dyn"
mkdir -p "$DYN/usr/lib/x86_64-linux-gnu"
cp -r "$S/symfs/opt" "$DYN/"
for l in libc.so.6 ld-linux-x86-64.so.2; do
	[ -e "/usr/lib/x86_64-linux-gnu/$l" ] && cp -L "/usr/lib/x86_64-linux-gnu/$l" "$DYN/usr/lib/x86_64-linux-gnu/"
done

# compare NAME FILE [options...]: perf script and tracekit report, same options
compare() {
	local name=$1 file=$2
	shift 2
	perf script -i "$file" "$@" >"$work/perf" 2>"$work/perf.err"
	local ps=$?
	"$TK" report "$@" "$file" >"$work/tk" 2>"$work/tk.err"
	local tks=$?
	if [ $ps -ne 0 ]; then
		echo "FAIL $name: perf itself failed ($ps): $(head -c 200 "$work/perf.err")"
		fail=$((fail + 1))
	elif [ $tks -ne 0 ]; then
		echo "FAIL $name: tracekit exit $tks: $(head -c 300 "$work/tk.err")"
		fail=$((fail + 1))
	elif ! cmp -s "$work/perf" "$work/tk"; then
		echo "FAIL $name: output differs from perf script ($(diff "$work/perf" "$work/tk" | grep -c '^[<>]') lines):"
		diff "$work/perf" "$work/tk" | head -8
		fail=$((fail + 1))
	elif [ "$(wc -l <"$work/tk")" -lt 100 ]; then
		echo "FAIL $name: fewer than 100 lines printed, nothing much compared"
		fail=$((fail + 1))
	else
		echo "ok   $name ($(wc -l <"$work/tk") lines identical)"
		pass=$((pass + 1))
	fi
}

# same NAME A B: tracekit prints the same for two files (twins)
same() {
	"$TK" report $PIN "$2" >"$work/a" 2>&1
	"$TK" report $PIN "$3" >"$work/b" 2>&1
	if cmp -s "$work/a" "$work/b" && [ "$(wc -l <"$work/a")" -gt 1000 ]; then
		echo "ok   $1 ($(wc -l <"$work/a") lines identical)"
		pass=$((pass + 1))
	else
		echo "FAIL $1: tracekit prints different text for the twins"
		diff "$work/a" "$work/b" | head -6
		fail=$((fail + 1))
	fi
}

for f in "$S"/perf-*.data; do
	b=$(basename "$f")
	# shellcheck disable=SC2086
	compare "$b pinned" "$f" $PIN
	# shellcheck disable=SC2086
	compare "$b live" "$f" $K
	# shellcheck disable=SC2086
	compare "$b dynsym" "$f" $K --symfs "$DYN"
done
# shellcheck disable=SC2086
{
compare "perf-ag --cpu 1" "$S/perf-ag.data" $PIN --cpu 1
compare "perf-g --ns" "$S/perf-g.data" $PIN --ns
compare "perf-g --fields comm,tid,time,ip,sym" "$S/perf-g.data" $PIN --fields comm,tid,time,ip,sym
compare "perf-ag --fields +pid,-period" "$S/perf-ag.data" $PIN --fields +pid,-period
compare "perf-tp-g --fields trace:comm,cpu,event,trace" "$S/perf-tp-g.data" $PIN --fields trace:comm,cpu,event,trace
compare "perf-sched --fields trace:+pid" "$S/perf-sched.data" $PIN --fields trace:+pid
compare "perf-g --fields ip,sym,dso" "$S/perf-g.data" $PIN --fields ip,sym,dso
}
same "perf-z.data = its plain twin" "$S/perf-z.data" "$S/perf-z-twin.data"
same "perf-pipe.data = its file-mode twin" "$S/perf-pipe.data" "$S/perf-pipe-twin.data"
# Pipe mode from a pipe: stdin.
perf script -i "$S/perf-pipe.data" $PIN >"$work/perf" 2>/dev/null
# shellcheck disable=SC2086
cat "$S/perf-pipe.data" | "$TK" report $PIN - >"$work/tk" 2>"$work/tk.err"
if cmp -s "$work/perf" "$work/tk" && [ "$(wc -l <"$work/tk")" -gt 1000 ]; then
	echo "ok   perf-pipe.data from stdin ($(wc -l <"$work/tk") lines identical)"
	pass=$((pass + 1))
else
	echo "FAIL perf-pipe.data from stdin: $(head -c 200 "$work/tk.err")"
	diff "$work/perf" "$work/tk" | head -6
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
