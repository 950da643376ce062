# File-mode perf.data as stdin redirected from the file.
cd "$SAMPLES" && "$TK" collapse --kallsyms perf-kallsyms.txt --symfs symfs - < perf-z.data > "$OLDPWD/out" && diff -u "$GOLDEN/perf-z.folded" "$OLDPWD/out"
