cd "$GOLDEN" && "$TK" collapse tricky.perf-script.txt > /dev/null
