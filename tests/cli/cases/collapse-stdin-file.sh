# Standard input redirected from a regular file.
"$TK" collapse - < "$GOLDEN/perf-ag.perf-script.txt" > out && diff -u "$GOLDEN/perf-ag.folded" out
