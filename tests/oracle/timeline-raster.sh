#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The timeline raster against values computed independently from the
# report text: timeline-raster.sh TRACEKIT ROOT.
#
# For each sched sample, `tracekit timeline --format raster` (the columns
# the picture is drawn from) is checked against what a Perl reading of
# `trace-cmd report -t` (or `tracekit report -t`, which the tdat oracle
# proves identical, when trace-cmd is missing) says:
#  - every column of a CPU lane without a sched_switch inside it shows the
#    task that the last switch before it switched in, fully busy (or nothing
#    when that is the idle task 0);
#  - each task's running time (sum of its intervals between switches, from
#    each CPU's first event, to the last event) is exact to the ns;
#  - each task's longest wakeup latency (sched_wakeup or _wakeup_new of a
#    task not running, to its switch-in) is exact to the ns;
#  - the same with --from/--to (a window in the middle) and --cpus 1.
set -u
TK=$(realpath "$1")
ROOT=$(realpath "$2")
S="$ROOT/samples"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if command -v trace-cmd >/dev/null; then
	report() { trace-cmd report -t "$1" 2>/dev/null; }
	echo "text from trace-cmd report -t"
else
	report() { "$TK" report -t "$1"; }
	echo "text from tracekit report -t (trace-cmd not installed)"
fi
pass=0 fail=0
check() {	# check NAME FILE TIMELINE-OPTIONS...
	local name=$1 file=$2
	shift 2
	report "$file" >"$scratch/report.txt"
	if ! "$TK" timeline --format raster "$@" "$file" >"$scratch/raster.txt" 2>"$scratch/err"; then
		echo "FAIL $name: tracekit timeline failed: $(head -c 300 "$scratch/err")"
		fail=$((fail + 1))
		return
	fi
	why=$(perl - "$scratch/report.txt" "$scratch/raster.txt" "$@" <<'PERL'
use strict; use warnings;
my ($report, $raster, @opts) = @ARGV;
my ($from, $to, %cpuok) = (0, 0);
for (my $i = 0; $i < @opts; $i++) {
	my $o = $opts[$i];
	if ($o eq '--from') { $from = ns($opts[++$i]) }
	elsif ($o eq '--to') { $to = ns($opts[++$i]) }
	elsif ($o eq '--cpus') { $cpuok{$_} = 1 for split /,/, $opts[++$i] }
}
sub ns { my ($s) = @_; my ($a, $b) = split /\./, $s; $b //= ''; $b = substr($b . '0' x 9, 0, 9); return $a * 1000000000 + $b }
# The raster.
open my $r, '<', $raster or die;
my ($rf, $rt, $cols, %cell, %busy, %wmax, @edges, %lbusy);
while (<$r>) {
	if (/^range (\d+) (\d+) columns (\d+)/) { ($rf, $rt, $cols) = ($1, $2, $3) }
	elsif (/^edges (.*)/) { @edges = split / /, $1 }
	elsif (/^lane task (\d+) busy (\d+)/) { $lbusy{$1} = $2 }
	elsif (/^task (\d+) pid \d+ busy (\d+) wake_max (\d+)/) { $busy{$1} = $2; $wmax{$1} = $3 }
	elsif (/^cpu (\d+) col (\d+) \d+ \d+ tid (\d+) busy ([\d.]+)/) { $cell{"$1 $2"} = [$3, $4] }
}
# The report: switches per CPU, first event per CPU, wakeups.
open my $t, '<', $report or die;
my (%first, %sw, %cur, %since, %run, %pend, %lat, %tbusy, $last);
while (<$t>) {
	next unless /^\s*(.*?)\s+\[(\d+)\]\s+(\d+\.\d+):\s+(\S+?):\s+(.*)$/;
	my ($cpu, $ts, $ev, $rest) = ($2 + 0, ns($3), $4, $5);
	last if $to && $ts > $to;
	# Other CPUs' events keep the task states; only drawn CPUs count.
	my $drawn = !%cpuok || $cpuok{$cpu};
	$first{$cpu} //= $ts if $drawn;
	$last = $ts;
	if ($ev eq 'sched_switch') {
		$rest =~ /^(.*):(\d+) \[\d+\] (\S+) ==> (.*):(\d+) \[\d+\]$/ or die "bad switch: $rest";
		my ($prev, $next) = ($2, $5);
		if ($drawn) {
			push @{$sw{$cpu}}, [$ts, $prev, $next];
			# The last switch-in ran since; before the first, the prev task.
			my $s = exists $since{$cpu} ? $since{$cpu} : $first{$cpu};
			my $ran = exists $cur{$cpu} ? $cur{$cpu} : $prev;
			$s = $from if $s < $from;
			$tbusy{$ran} += $ts - $s if $ts > $s;
		}
		$run{$prev} = 0; delete $pend{$prev};
		if ($drawn && defined $pend{$next}) {
			my $l = $ts - $pend{$next};
			$lat{$next} = $l if $ts >= $from && (!defined $lat{$next} || $l > $lat{$next});
		}
		delete $pend{$next}; $run{$next} = 1;
		($cur{$cpu}, $since{$cpu}) = ($next, $ts) if $drawn;
	} elsif ($ev eq 'sched_wakeup' || $ev eq 'sched_wakeup_new') {
		$rest =~ /^(.*):(\d+) \[\d+\]/ or die "bad wakeup: $rest";
		$pend{$2} //= $ts unless $run{$2};
	}
}
my $end = $to || $last;
for my $cpu (keys %cur) {
	my $s = $since{$cpu} < $from ? $from : $since{$cpu};
	$tbusy{$cur{$cpu}} += $end - $s if $end > $s;
}
die "raster range $rf..$rt, report says " . ($from || '?') . "..$end\n" if $rt != $end;
my ($n, $bad) = (0, 0);
for my $cpu (sort keys %sw) {
	my @s = @{$sw{$cpu}};
	my $k = 0;
	for my $j (0 .. $cols - 1) {
		my ($cs, $ce) = ($edges[$j], $edges[$j + 1]);
		next if $ce <= $cs || $ce > $rt;
		$k++ while $k < @s && $s[$k][0] < $cs;
		next if $k < @s && $s[$k][0] < $ce;	# a switch inside: not checked here
		my $want;
		if ($k > 0) { $want = $s[$k - 1][2] }
		elsif ($first{$cpu} <= $cs && @s) { $want = $s[0][1] }
		else { next }
		$n++;
		my $c = $cell{"$cpu $j"};
		my ($tid, $b) = $c ? @$c : (0, 0);
		if ($want == 0 ? ($tid != 0) : ($tid != $want || $b != 1)) {
			print "cpu $cpu column $j: raster tid $tid busy $b, report says $want\n" unless $bad++;
		}
	}
}
print "no whole columns to check\n" if !$n;
for my $tid (sort { $a <=> $b } keys %tbusy) {
	next if !$tid || !$tbusy{$tid};
	my $got = $busy{$tid} // 'none';
	if ($got ne $tbusy{$tid}) { print "task $tid: busy $got ns, report says $tbusy{$tid}\n"; last }
}
for my $tid (sort { $a <=> $b } keys %lat) {
	my $got = $wmax{$tid} // 'none';
	if ($got ne $lat{$tid}) { print "task $tid: wake_max $got ns, report says $lat{$tid}\n"; last }
}
# Task lanes hold the same running times.
for my $tid (keys %lbusy) {
	if (($tbusy{$tid} // 0) != $lbusy{$tid}) { print "task lane $tid: busy $lbusy{$tid} ns, report says " . ($tbusy{$tid} // 0) . "\n"; last }
}
print STDERR "$n whole columns, " . scalar(keys %tbusy) . " tasks, " . scalar(keys %lbusy) . " task lanes\n";
PERL
	)
	if [ -z "$why" ]; then
		echo "ok   $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name: $why"
		fail=$((fail + 1))
	fi
}
for f in sched-v6 sched-v7-zstd sched-v7-none; do
	check "$f" "$S/$f.dat"
done
check "sched-v6 window" "$S/sched-v6.dat" --from 2250.1 --to 2250.3 --width 700
check "sched-v6 cpu0" "$S/sched-v6.dat" --cpus 0 --width 3000
check "sched-v7-zstd tasks" "$S/sched-v7-zstd.dat" --tasks=4 --width 3000
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
