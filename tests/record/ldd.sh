#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tracekit-record must stay small enough to copy onto a production box: it
# links libtracefs, libtraceevent, zstd, zlib and libc, never the analysis
# side's cairo or json-c (DESIGN.md 2).
set -u
REC=$1
libs=$(ldd "$REC") || { echo "FAIL: ldd $REC failed"; exit 1; }
echo "$libs"
if echo "$libs" | grep -Ei 'cairo|json-c|libelf|pixman|fontconfig'; then
	echo "FAIL: tracekit-record links an analysis-side library (above)"
	exit 1
fi
for want in libtracefs libtraceevent libzstd libz; do
	echo "$libs" | grep -q "$want" || { echo "FAIL: $want not linked (unexpected build)"; exit 1; }
done
echo "ok   tracekit-record links only libtracefs, libtraceevent, zstd, zlib and libc"
