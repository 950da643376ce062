#!/bin/sh
# Regenerate the deliberately broken trace files in samples/bad/.
# Run from anywhere; inputs are samples/sched-v6.dat and samples/tiny-v6.dat.
set -eu
cd "$(dirname "$0")"
SRC=../sched-v6.dat     # 974848 bytes, trace.dat v6, uncompressed
TINY=../tiny-v6.dat     # 32768 bytes, trace.dat v6, uncompressed

# 0 bytes.
: > empty.dat

# 512 bytes that start like an ELF file (0x7f 'E' 'L' 'F'), not 0x17 0x08 0x44 "tracing".
{ printf '\177ELF\002\001\001'; yes 'not a trace' | head -c 505; } > wrong-magic.dat

# First 200 bytes of a valid v6 file: ends inside the header_page format text
# (header_page says 205 bytes follow at offset 38, only 162 are present).
head -c 200 "$SRC" > truncated-header.dat

# Valid v6 file cut at 60% of its size (floor): inside CPU0's flyrecord data, mid-page
# (CPU0 data is at 0x1f000..0x91000, CPU1 at 0x91000..0xee000 per the CPU table).
size=$(stat -c %s "$SRC")
head -c $((size * 60 / 100)) "$SRC" > truncated-data.dat

# Copy of tiny-v6.dat with the 8-byte little-endian header_page size
# (offset 30 = 0x1e, right after "header_page\0"; original value 205 = cd 00 00 00 00 00 00 00)
# overwritten by 0xffffffffffffffff.
cp "$TINY" corrupt-header.dat
printf '\377\377\377\377\377\377\377\377' | dd of=corrupt-header.dat bs=1 seek=30 conv=notrunc status=none

# Copy of tiny-v6.dat with the version string "6" (offset 10 = 0xa) replaced by "9".
cp "$TINY" bad-version.dat
printf '9' | dd of=bad-version.dat bs=1 seek=10 conv=notrunc status=none

# Copy of tiny-v6.dat whose data kind says "latency" (ASCII trace text) instead of
# "flyrecord" (offset 20574 = 0x505e): tracekit reports it as unsupported.
cp "$TINY" latency.dat
printf 'latency  \000' | dd of=latency.dat bs=1 seek=20574 conv=notrunc status=none

# sched-v7-zstd.dat (103434 bytes) cut to 90000 bytes: inside CPU 1's chunks, and without
# the options section at 0x19332 that holds the BUFFER option (v7 writes it last).
# trace-cmd 3.1.6 prints "cpus=2" and exits 0 on it; tracekit names the missing section.
head -c 90000 ../sched-v7-zstd.dat > truncated-zstd.dat

# ---- perf.data (inputs: samples/perf-g.data, samples/perf-z.data, little endian) ----
# perf-g.data: 104-byte header; attr_size 144 at offset 16; attrs at 120 (144 bytes);
# data section at 264, 104800 bytes; the 101st record starts at 8176.
PG=../perf-g.data
PZ=../perf-z.data

# Cut at 8200 bytes: inside the 101st record of the data section.
head -c 8200 "$PG" > perf-truncated.data

# header.size of the 101st record (u16 at 8176 + 6) set to 4, smaller than a header.
cp "$PG" perf-bad-record-size.data
printf '\004\000' | dd of=perf-bad-record-size.data bs=1 seek=8182 conv=notrunc status=none

# attr_size (u64 at 16) set to 0xffffffff: an attr larger than the attrs section.
cp "$PG" perf-bad-attr-size.data
printf '\377\377\377\377' | dd of=perf-bad-attr-size.data bs=1 seek=16 conv=notrunc status=none

# data.size (u64 at 48) set to 0, as a perf record killed before it patched the
# header leaves it: the records are still there and are read up to the feature
# sections (perf does the same).
cp "$PG" perf-zero-data-size.data
printf '\000\000\000\000\000\000\000\000' | dd of=perf-zero-data-size.data bs=1 seek=48 conv=notrunc status=none

# perf-z.data with 64 bytes of its first COMPRESSED record's zstd payload
# (record at 536, payload from 544) overwritten with 0xff.
cp "$PZ" perf-corrupt-zstd.data
head -c 64 /dev/zero | tr '\000' '\377' | dd of=perf-corrupt-zstd.data bs=1 seek=600 conv=notrunc status=none
