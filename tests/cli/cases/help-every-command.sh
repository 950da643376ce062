# Every command answers --help on stdout with a usage line and exit 0.
set -e
"$TK" --help | grep -q '^usage: tracekit'
for c in $("$TK" --help | awk '/^Commands:/{on=1;next} on && /^  [a-z]/ {print $1}'); do
	"$TK" "$c" --help > h.txt
	grep -q "^usage: tracekit $c" h.txt || { echo "no usage line for $c"; exit 1; }
	"$TK" help "$c" | cmp -s - h.txt || { echo "help $c differs from $c --help"; exit 1; }
done
echo checked
