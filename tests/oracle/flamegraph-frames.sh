#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Flame graph frames against flamegraph.pl's (tests/golden/flame/).
#
#   flamegraph-frames.sh TRACEKIT ROOT     run every case of tests/golden/flame/CASES
#   flamegraph-frames.sh --extract SVG     print the frames of an SVG (ours or
#                                          flamegraph.pl's), one per line
#   flamegraph-frames.sh --compare GOT WANT  compare two frame lists: nothing
#                                          when they agree, else why not
#
# A frame is what scripts read from a flamegraph.pl SVG: the <title> of each
# group in <g id="frames"> and the x, y, width, height and fill of its <rect>.
# Goldens hold the frames of flamegraph.pl's SVGs (made by make-goldens.sh,
# recorded in tests/golden/MANIFEST), not the SVGs: the comparison is of
# parsed frames, sorted, numbers within 0.1, titles and fills exact.
set -u

extract() {
	perl -e '
		local $/; my $s = <>;
		$s =~ s/.*?<g id="frames">//s or die "no <g id=\"frames\"> in the SVG\n";
		my @out;
		while ($s =~ m{<title>(.*?)</title>\s*<rect\b([^>]*?)/?>}gs) {
			my ($t, $a) = ($1, $2);
			my %a;
			$a{$1} = $2 while $a =~ /([\w:-]+)="([^"]*)"/g;
			$t =~ s/&quot;/"/g; $t =~ s/&lt;/</g; $t =~ s/&gt;/>/g; $t =~ s/&amp;/&/g;
			push @out, join("\t", map({ $a{$_} // "?" } qw(x y width height fill)), $t);
		}
		print map { "$_\n" } sort @out;
	' "$1"
}

# compare GOT WANT: nothing when the frames agree, else why not (one line).
compare() {
	perl -e '
		my ($got, $want) = @ARGV;
		open my $g, "<", $got or die; open my $w, "<", $want or die;
		my @g = <$g>; my @w = <$w>;
		if (@g != @w) { print scalar(@g) . " frames, golden has " . scalar(@w); exit }
		# Sorted lines pair up unless a number moved by rounding; then
		# pair by title and y, and compare x, width, height within 0.1.
		my %w;
		for (@w) { chomp; my @f = split /\t/, $_, 6; push @{$w{"$f[5]\t$f[1]"}}, \@f }
		for (@g) {
			chomp; my @f = split /\t/, $_, 6;
			my $k = "$f[5]\t$f[1]";
			my $l = $w{$k} or do { print "no golden frame $f[5] at y=$f[1]"; exit };
			my ($best, $bi) = (1e9, -1);
			for my $i (0 .. $#$l) {
				my $d = abs($l->[$i][0] - $f[0]);
				($best, $bi) = ($d, $i) if $d < $best;
			}
			my $m = splice @$l, $bi, 1;
			for my $i (0, 2, 3) {
				if (abs($m->[$i] - $f[$i]) > 0.1 + 1e-9) {
					print "$f[5] at y=$f[1]: @f[0,2,3] vs golden @$m[0,2,3]"; exit;
				}
			}
			if ($m->[4] ne $f[4]) { print "$f[5] at y=$f[1]: fill $f[4] vs golden $m->[4]"; exit }
		}
	' "$1" "$2"
}

if [ "${1:-}" = "--extract" ]; then
	extract "$2"
	exit
fi
if [ "${1:-}" = "--compare" ]; then
	compare "$2" "$3"
	exit
fi

TK=$(realpath "$1")
ROOT=$(realpath "$2")
dir="$ROOT/tests/golden/flame"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
pass=0 fail=0
while read -r name input opts; do
	case "$name" in ''|'#'*) continue ;; esac
	# shellcheck disable=SC2086 # opts are words
	if ! "$TK" flamegraph $opts "$dir/$input" >"$scratch/$name.svg" 2>"$scratch/err"; then
		echo "FAIL $name: tracekit flamegraph failed: $(head -c 300 "$scratch/err")"
		fail=$((fail + 1))
		continue
	fi
	extract "$scratch/$name.svg" >"$scratch/$name.frames"
	why=$(compare "$scratch/$name.frames" "$dir/$name.frames")
	if [ -z "$why" ]; then
		echo "ok   $name ($(wc -l <"$dir/$name.frames") frames)"
		pass=$((pass + 1))
	else
		echo "FAIL $name: $why"
		fail=$((fail + 1))
	fi
done <"$dir/CASES"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
