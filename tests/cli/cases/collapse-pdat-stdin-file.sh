# File-mode perf.data as stdin redirected from the file.
# perf (and tracekit) also look up DSOs in $HOME/.debug; the goldens used an empty HOME.
export HOME="$PWD"
cd "$SAMPLES" && "$TK" collapse --kallsyms perf-kallsyms.txt --symfs symfs - < perf-z.data > "$OLDPWD/out" && diff -u "$GOLDEN/perf-z.folded" "$OLDPWD/out"
