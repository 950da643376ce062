# convert --to chrome: valid JSON (perl's JSON::PP parses it); one CPU-track
# slice per sched_switch on that CPU and one instant per other event, as
# counted independently from trace-cmd report; two runs byte-identical.
set -e
f="$SAMPLES/sched-v6.dat"
"$TK" convert --to chrome -o a.json "$f"
"$TK" convert --to chrome "$f" > b.json
cmp a.json b.json
perl -MJSON::PP -e '
	local $/; my $d = decode_json(<STDIN>);
	my $ev = ref $d eq "HASH" ? $d->{traceEvents} : $d;
	my (%cpu, $inst, $busy);
	for my $e (@$ev) {
		$cpu{$e->{tid}}++ if $e->{ph} eq "X" && $e->{pid} == 1073741824;
		$inst++ if $e->{ph} eq "i";
		$busy++ if $e->{ph} eq "M" && $e->{name} eq "thread_name" && $e->{args}{name} eq "busy";
	}
	printf "cpu0 %d cpu1 %d instants %d busy-names %s\n", $cpu{0}, $cpu{1}, $inst, $busy ? "yes" : "no";
' < a.json > got.txt
trace-cmd report "$f" 2>/dev/null | awk '
	NR > 1 { n++; if ($0 ~ /sched_switch:/) { c = $2; gsub(/[^0-9]/, "", c); s[c + 0]++ } }
	END { printf "cpu0 %d cpu1 %d instants %d busy-names yes\n", s[0], s[1], n - s[0] - s[1] }' > want.txt
cmp got.txt want.txt
cat got.txt
"$TK" convert --to chrome "$SAMPLES/perf-sched.data" | perl -MJSON::PP -e 'local $/; decode_json(<STDIN>); print "perf.data ok\n"'
