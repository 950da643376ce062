# perf.data folds to the bytes its perf script text folds to (the golden, from stackcollapse-perf.pl).
# perf (and tracekit) also look up DSOs in $HOME/.debug; the goldens used an empty HOME.
export HOME="$PWD"
cd "$SAMPLES" && "$TK" collapse --kallsyms perf-kallsyms.txt --symfs symfs perf-pipe.data > "$OLDPWD/out" && diff -u "$GOLDEN/perf-pipe.folded" "$OLDPWD/out"
