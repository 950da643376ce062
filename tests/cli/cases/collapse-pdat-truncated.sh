# perf (and tracekit) also look up DSOs in $HOME/.debug; the goldens used an empty HOME.
export HOME="$PWD"
cd "$SAMPLES/bad" && "$TK" collapse perf-truncated.data
