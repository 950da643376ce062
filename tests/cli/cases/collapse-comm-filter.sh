# --comm keeps the samples of the listed comms.
"$TK" collapse --comm true,perf-exec "$GOLDEN/perf-ag.perf-script.txt" > out || exit 1
grep -E "^(true|perf-exec);" "$GOLDEN/perf-ag.folded" > want
diff -u want out
