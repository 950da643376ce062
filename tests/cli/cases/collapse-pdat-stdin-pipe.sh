# Pipe-mode perf.data on a pipe: sniffed with tee(2), then read by the pdat reader.
cd "$SAMPLES" && cat perf-pipe.data | "$TK" collapse --kallsyms perf-kallsyms.txt --symfs symfs > "$OLDPWD/out" && diff -u "$GOLDEN/perf-pipe.folded" "$OLDPWD/out"
