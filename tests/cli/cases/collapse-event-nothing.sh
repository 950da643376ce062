# An --event that matches no sample: empty output, and stderr says why.
cd "$GOLDEN" && "$TK" collapse --event cycles perf-g.perf-script.txt
