"$TK" convert --to chrome "$SAMPLES/bad/truncated-header.dat" > /dev/null
