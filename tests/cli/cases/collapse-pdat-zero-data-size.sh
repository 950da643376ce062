# perf.data whose header says data size 0: read to the end, as report does, and said.
# perf (and tracekit) also look up DSOs in $HOME/.debug; the goldens used an empty HOME.
export HOME="$PWD"
cd "$SAMPLES/bad" && "$TK" collapse --kallsyms ../perf-kallsyms.txt --symfs ../symfs perf-zero-data-size.data > "$OLDPWD/out" && diff -u "$GOLDEN/perf-g.folded" "$OLDPWD/out"
