# Usage errors exit 2 and write nothing to stdout.
for a in '--colors rainbow' '--minwidth 1x' '--width 10' '--format gif' '--notes a--b' '--bogus' 'a b'; do
	# shellcheck disable=SC2086
	"$TK" flamegraph $a </dev/null 2>>err.txt
	echo "$a: $?"
done
cat err.txt >&2
