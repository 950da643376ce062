# Pipe-mode perf.data on a pipe: sniffed with tee(2), then read by the pdat reader.
# perf (and tracekit) also look up DSOs in $HOME/.debug; the goldens used an empty HOME.
export HOME="$PWD"
cd "$SAMPLES" && cat perf-pipe.data | "$TK" collapse --kallsyms perf-kallsyms.txt --symfs symfs > "$OLDPWD/out" && diff -u "$GOLDEN/perf-pipe.folded" "$OLDPWD/out"
