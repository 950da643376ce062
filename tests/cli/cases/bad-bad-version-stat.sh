cd "$SAMPLES/bad" && "$TK" stat bad-version.dat
