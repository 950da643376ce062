#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Regenerate the seed corpus of fuzz-pdat: tests/fuzz/corpus/pdat/.

    python3 tests/fuzz/make-corpus-pdat.py [OUTDIR]

Python 3 standard library only; deterministic (fixed random seeds). Inputs:

  samples/perf-{g,ag,sched,tp-g}.data  cut to their first few KB of records
                     (the file rebuilt: data.size and the feature offsets
                     moved), so the features, tracing data and attrs stay;
  samples/perf-z.data  whole (17 KB, two COMPRESSED records), and as
                     COMPRESSED2 (83) records holding the same zstd bytes;
  samples/perf-pipe.data  its first 16 KB (pipe mode);
  pipe-tp.data       (already in the corpus and kept whole: a pipe-mode
                     recording with HEADER_TRACING_DATA, used by the unit
                     test) cut after its tracing data;
  dwarf-cut.data     (kept whole too: `perf record -d --call-graph dwarf
                     --sample-cpu -T -R` cut after 4 samples: REGS_USER,
                     STACK_USER, ADDR, CPU, RAW, DATA_SRC) cut further;
  mono-clock.data    (kept, not mutated: `perf record -k mono`, 2 KB, with
                     the CLOCKID and CLOCK_DATA features);
  synthetic files    every PERF_SAMPLE_* field, little- and big-endian,
                     file and pipe mode, tracing data in the pipe.

From each seed it derives mutants, named <seed>.<what>.data: truncations at
the header, attrs, every few records and inside the feature area; killed
recorder (data.size 0, cut mid-record); huge or zero values patched into
every size, count and offset the reader trusts (header, attrs, ids,
feature index, the first record of each type, callchain nr, RAW size,
compressed data_size, tracing data lengths, feature strings and counts);
and seeded bit flips; every truncation and a fixed random choice of the
others, so the corpus stays near 2 MB. The last byte of an input picks the fuzz target's
variant (0x80 unordered, 0x40 through a pipe, 0x20 smallest reorder
queue); some mutants get a byte appended for each.
"""
import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SAMPLES = os.path.join(ROOT, "samples")

# byte order of the seed being mutated ("<" or ">"), set per seed
E = ["<"]


def fmt(f):
    return E[0] + f[1:] if f[0] in "<>" else f


# Real recordings committed in the corpus itself (too specific for samples/):
# the generator keeps them and derives mutants from cuts of them.
KEEP = ("pipe-tp.data", "dwarf-cut.data", "mono-clock.data")

HUGE64 = (0, 0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF, 1 << 40)
HUGE32 = (0, 0xFFFFFFFF, 0x7FFFFFFF, 65537)
HUGE16 = (0, 4, 0xFFFF, 7)


def records(d, start, end):
    """(offset, type, size) of the records in d[start:end] (little-endian)."""
    out = []
    off = start
    while off + 8 <= end:
        typ, misc, size = struct.unpack_from(fmt("<IHH"), d, off)
        if size < 8 or off + size > end:
            break
        out.append((off, typ, size))
        off += size
        if typ == 66:  # tracing data follows the record
            off += struct.unpack_from(fmt("<I"), d, off - size + 8)[0]
    return out


class PerfFile:
    def __init__(self, d):
        self.d = bytearray(d)
        (self.hsize, self.attr_size, self.attrs_off, self.attrs_size, self.data_off,
         self.data_size) = struct.unpack_from(fmt("<QQQQQQ"), d, 8)
        self.feats = struct.unpack_from(fmt("<4Q"), d, 72)

    def bits(self):
        return [i for i in range(256) if self.feats[i // 64] >> (i % 64) & 1]

    def index_at(self):
        return self.data_off + self.data_size

    def cut(self, keep):
        """The file with only its first `keep` bytes of whole records."""
        recs = records(self.d, self.data_off, self.data_off + self.data_size)
        end = self.data_off
        for off, _, size in recs:
            if off + size - self.data_off > keep:
                break
            end = off + size
        new_size = end - self.data_off
        delta = new_size - self.data_size
        out = bytearray(self.d[:end])
        idx = self.index_at()
        n = len(self.bits())
        index = bytearray(self.d[idx:idx + 16 * n])
        for k in range(n):
            o, s = struct.unpack_from(fmt("<QQ"), index, 16 * k)
            struct.pack_into(fmt("<QQ"), index, 16 * k, o + delta, s)
        out += index + self.d[idx + 16 * n:]
        struct.pack_into(fmt("<Q"), out, 48, new_size)
        return bytes(out)


def patch(d, off, f, v):
    d = bytearray(d)
    if off + struct.calcsize(fmt(f)) <= len(d):
        struct.pack_into(fmt(f), d, off, v)
    return bytes(d)


def bitflips(d, n, seed, lo=0):
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        m = bytearray(d)
        for _ in range(1 + i % 4):
            p = rnd.randrange(lo, len(m))
            m[p] ^= 1 << rnd.randrange(8)
        out.append(bytes(m))
    return out


def file_mutants(name, d):
    """Mutants of a file-mode perf.data."""
    f = PerfFile(d)
    out = {}
    for cut in (8, 16, 40, 72, 104, f.attrs_off + 4, f.data_off, f.data_off + 5):
        out["cut%d" % cut] = d[:cut]
    recs = records(d, f.data_off, f.data_off + f.data_size)
    for k, (off, typ, size) in enumerate(recs[::max(1, len(recs) // 6)]):
        out["cutrec%d" % k] = d[:off + size // 2]
    idx = f.index_at()
    for k in (4, 16 * len(f.bits()) - 3):
        out["cutidx%d" % k] = d[:idx + k]
    out["cutfeat"] = d[:(idx + len(d)) // 2]
    for fld, off in (("attr_size", 16), ("attrs_off", 24), ("attrs_size", 32),
                     ("data_off", 40), ("data_size", 48)):
        for v in HUGE64:
            out["%s-%x" % (fld, v)] = patch(d, off, "<Q", v)
    out["hsize72"] = patch(d, 8, "<Q", 72)
    out["hsize16"] = patch(d, 8, "<Q", 16)
    out["allfeat"] = patch(patch(d, 72, "<Q", 0xFFFFFFFFFFFFFFFF), 80, "<Q",
                           0xFFFFFFFFFFFFFFFF)
    # attrs: attr.size, sample_type, read_format, ids section
    a = f.attrs_off
    for v in (0, 8, 200, 0xFFFFFFFF):
        out["attr.size-%x" % v] = patch(d, a + 4, "<I", v)
    out["attr.st-all"] = patch(d, a + 24, "<Q", 0x1FFFFFF)
    out["attr.rf-all"] = patch(d, a + 32, "<Q", 0x1F)
    out["attr.noid"] = patch(d, a + 24, "<Q", 0x7)
    asz = struct.unpack_from(fmt("<I"), d, a + 4)[0] or 64
    for v in HUGE64:
        out["ids.off-%x" % v] = patch(d, a + asz, "<Q", v)
        out["ids.size-%x" % v] = patch(d, a + asz + 8, "<Q", v)
    # feature index entries
    for k in range(min(len(f.bits()), 6)):
        for v in (0xFFFFFFFFFFFFFFFF, 1 << 33):
            out["feat%d.off-%x" % (k, v)] = patch(d, idx + 16 * k, "<Q", v)
            out["feat%d.size-%x" % (k, v)] = patch(d, idx + 16 * k + 8, "<Q", v)
    # feature payloads: string lengths and counts at their start
    for k, bit in enumerate(f.bits()):
        o, s = struct.unpack_from(fmt("<QQ"), d, idx + 16 * k)
        if bit in (1, 2, 3, 7, 11, 12, 27, 29):
            for v in HUGE32:
                out["f%d.u32-%x" % (bit, v)] = patch(d, o, "<I", v)
        if bit == 12:
            out["f12.asz-0"] = patch(d, o + 4, "<I", 0)
        if bit == 1:
            # tracing data: header_page length, the first format length
            for v in HUGE64:
                out["td.hp-%x" % v] = patch(d, o + 10 + 4 + 6 + 12, "<Q", v)
            out["td.cut"] = patch(d, idx + 16 * k + 8, "<Q", s // 3)
            out["td.ver"] = patch(d, o + 10, "<I", 0x352e30)
        if bit == 2:
            out["bid.size0"] = patch(d, o + 6, "<H", 0)
    # the first record of each type: size, then its first fields
    seen = set()
    for off, typ, size in recs:
        if typ in seen:
            continue
        seen.add(typ)
        for v in HUGE16:
            out["r%d.size-%x" % (typ, v)] = patch(d, off + 6, "<H", v)
        for w in range(1, min(size // 8, 8)):
            out["r%d.w%d" % (typ, w)] = patch(d, off + 8 * w, "<Q", 0xFFFFFFFFFFFF)
        if typ == 81 or typ == 83:
            out["r%d.zbad" % typ] = patch(d, off + 16, "<Q", 0x5A5A5A5A5A5A5A5A)
    # killed recorder: data.size 0, cut inside a record
    if len(recs) > 3:
        off, _, size = recs[len(recs) // 2]
        out["killed"] = patch(d[:off + size // 2], 48, "<Q", 0)
    for k, m in enumerate(bitflips(d[:idx], 12, name, 104)):
        out["flip%d" % k] = m
    for k, m in enumerate(bitflips(d, 6, name + "-feat", idx)):
        out["flipfeat%d" % k] = m
    return out


def pipe_mutants(name, d):
    out = {}
    recs = records(d, 16, len(d))
    for k, (off, typ, size) in enumerate(recs[::max(1, len(recs) // 8)]):
        out["cut%d" % k] = d[:off + size // 2]
    seen = set()
    for off, typ, size in recs:
        if typ in seen:
            continue
        seen.add(typ)
        for v in HUGE16:
            out["r%d.size-%x" % (typ, v)] = patch(d, off + 6, "<H", v)
        for w in range(1, min(size // 8, 6)):
            out["r%d.w%d" % (typ, w)] = patch(d, off + 8 * w, "<Q", 0xFFFFFFFFFFFF)
        if typ == 64:
            out["attr.size-big"] = patch(d, off + 12, "<I", 4000)
        if typ == 66:
            for v in HUGE32:
                out["td.size-%x" % v] = patch(d, off + 8, "<I", v)
        if typ == 80:
            for v in HUGE32:
                out["feat.str-%x" % v] = patch(d, off + 16, "<I", v)
    for k, m in enumerate(bitflips(d, 12, name, 16)):
        out["flip%d" % k] = m
    return out


def to_compressed2(d):
    """perf-z.data with its COMPRESSED records as COMPRESSED2 (same bytes)."""
    f = PerfFile(d)
    recs = records(d, f.data_off, f.data_off + f.data_size)
    data = bytearray()
    for off, typ, size in recs:
        r = d[off:off + size]
        if typ == 81:
            z = r[8:]
            body = struct.pack(fmt("<Q"), len(z)) + z
            body += b"\0" * ((8 - (8 + len(body)) % 8) % 8)
            r = struct.pack(fmt("<IHH"), 83, 0, 8 + len(body)) + body
        data += r
    delta = len(data) - f.data_size
    idx = f.index_at()
    n = len(f.bits())
    index = bytearray(d[idx:idx + 16 * n])
    for k in range(n):
        o, s = struct.unpack_from(fmt("<QQ"), index, 16 * k)
        struct.pack_into(fmt("<QQ"), index, 16 * k, o + delta, s)
    out = bytearray(d[:f.data_off]) + data + index + d[idx + 16 * n:]
    struct.pack_into(fmt("<Q"), out, 48, len(data))
    return bytes(out)


# ---- synthetic files (the unit test's builder, in Python) ----------------


class W:
    def __init__(self, be):
        self.be = be
        self.b = bytearray()

    def u(self, v, n):
        self.b += (v & ((1 << (8 * n)) - 1)).to_bytes(n, "big" if self.be else "little")

    def raw(self, s):
        self.b += s

    def str8(self, s):
        s = s + b"\0"
        self.b += s + b"\0" * ((8 - len(s) % 8) % 8)

    def fstr(self, s):
        s = s + b"\0"
        n = (len(s) + 63) // 64 * 64
        self.u(n, 4)
        self.b += s + b"\0" * (n - len(s))

    def patch16(self, at, v):
        self.b[at + 6:at + 8] = v.to_bytes(2, "big" if self.be else "little")


EVERY = 0x1FFFFFF & ~(1 << 24)  # every field but WEIGHT_STRUCT (WEIGHT is there)
SID_ALL = 1 << 18


def attr(w, typ, config, st, rf, flags):
    w.u(typ, 4)
    w.u(128, 4)
    w.u(config, 8)
    w.u(4000, 8)
    w.u(st, 8)
    w.u(rf, 8)
    f = bytearray(8)
    for i in range(64):
        if flags >> i & 1:
            f[i // 8] |= (0x80 >> (i % 8)) if w.be else (1 << (i % 8))
    w.raw(bytes(f))
    w.u(0, 8)
    w.u(0, 8)
    w.u(0, 8)
    w.u(1 << 17, 8)  # branch_sample_type HW_INDEX
    w.u(0x7, 8)      # regs_user
    w.u(8192, 4)
    w.u(1, 4)
    w.u(0x3, 8)      # regs_intr
    w.raw(b"\0" * 24)


def sample(w, st, k, time, raw):
    at = len(w.b)
    w.u(9, 4)
    w.u(2, 2)
    w.u(0, 2)
    if st & (1 << 16):
        w.u(901, 8)
    if st & 1:
        w.u(0x400000 + k, 8)
    if st & 2:
        w.u(100, 4)
        w.u(101, 4)
    if st & 4:
        w.u(time, 8)
    if st & 8:
        w.u(0xA000, 8)
    if st & 64:
        w.u(901, 8)
    if st & 512:
        w.u(5, 8)
    if st & 128:
        w.u(1, 4)
        w.u(0, 4)
    if st & 256:
        w.u(1000, 8)
    if st & 16:  # GROUP|ID|ENABLED
        for v in (2, 77, 11, 901, 22, 902):
            w.u(v, 8)
    if st & 32:
        for v in (3, 0xFFFFFFFFFFFFFE00, 0x400000 + k, 0x400100):
            w.u(v, 8)
    if st & 1024:
        w.u(len(raw), 4)
        w.raw(raw)
    if st & 2048:
        w.u(2, 8)
        w.u(5, 8)
        for i in range(6):
            w.u(0xB00 + i, 8)
    if st & 4096:
        w.u(2, 8)
        for i in range(3):
            w.u(0xE00 + i, 8)
    if st & 8192:
        w.u(16, 8)
        w.raw(b"\0" * 16)
        w.u(9, 8)
    for bit in (14, 15, 17):
        if st & (1 << bit):
            w.u(33, 8)
    if st & (1 << 18):
        w.u(2, 8)
        w.u(1, 8)
        w.u(2, 8)
    for bit in (19, 21, 22, 23):
        if st & (1 << bit):
            w.u(4096, 8)
    if st & (1 << 20):
        w.u(8, 8)
        w.u(0, 8)
    w.patch16(at, len(w.b) - at)


def sid(w, st):
    if st & 2:
        w.u(100, 4)
        w.u(101, 4)
    if st & 4:
        w.u(500, 8)
    if st & 64:
        w.u(901, 8)
    if st & 512:
        w.u(0, 8)
    if st & 128:
        w.u(1, 4)
        w.u(0, 4)
    if st & (1 << 16):
        w.u(901, 8)


def side_records(w, st):
    at = len(w.b)
    w.u(3, 4)
    w.u(1 << 13, 2)
    w.u(0, 2)
    w.u(100, 4)
    w.u(101, 4)
    w.str8(b"app")
    sid(w, st)
    w.patch16(at, len(w.b) - at)
    at = len(w.b)
    w.u(10, 4)
    w.u(2 | 1 << 14, 2)
    w.u(0, 2)
    for v, n in ((100, 4), (101, 4), (0x400000, 8), (0x2000, 8), (0, 8)):
        w.u(v, n)
    w.u(20, 1)
    w.raw(b"\0\0\0" + bytes(range(20)))
    w.u(5, 4)
    w.u(2, 4)
    w.str8(b"/usr/bin/app")
    sid(w, st)
    w.patch16(at, len(w.b) - at)
    at = len(w.b)
    w.u(17, 4)  # KSYMBOL
    w.u(0, 2)
    w.u(0, 2)
    w.u(0xFFFFFFFFC0000000, 8)
    w.u(64, 4)
    w.u(1, 2)
    w.u(0, 2)
    w.str8(b"bpf_prog_x")
    sid(w, st)
    w.patch16(at, len(w.b) - at)
    for typ in (2, 13):  # LOST, LOST_SAMPLES
        at = len(w.b)
        w.u(typ, 4)
        w.u(0, 2)
        w.u(0, 2)
        w.u(901, 8)
        if typ == 2:
            w.u(12, 8)
        sid(w, st)
        w.patch16(at, len(w.b) - at)


def synth_file(be):
    st = EVERY
    data = W(be)
    side_records(data, st)
    for k in range(6):
        sample(data, st, k, 1000 - k, b"\x07\0rawpayload")
    data.u(68, 4)
    data.u(0, 2)
    data.u(8, 2)
    w = W(be)
    w.u(0x32454C4946524550, 8)
    w.u(104, 8)
    w.u(144, 8)
    ids_at = 104
    attrs_at = ids_at + 8
    data_at = attrs_at + 144
    w.u(attrs_at, 8)
    w.u(144, 8)
    w.u(data_at, 8)
    w.u(len(data.b), 8)
    w.u(0, 8)
    w.u(0, 8)
    w.u((1 << 3) | (1 << 7) | (1 << 11), 8)
    w.raw(b"\0" * 24)
    w.u(901, 8)
    attr(w, 4, 0x1234, st, 8 | 4 | 1, 1 | (1 << 10) | (2 << 15) | SID_ALL)
    w.u(ids_at, 8)
    w.u(8, 8)
    w.raw(data.b)
    idx = len(w.b)
    w.raw(b"\0" * 48)
    feats = []
    for body in ("host", "nrcpus", "cmdline"):
        at = len(w.b)
        if body == "host":
            w.fstr(b"synth")
        elif body == "nrcpus":
            w.u(8, 4)
            w.u(4, 4)
        else:
            w.u(2, 4)
            w.fstr(b"perf")
            w.fstr(b"record")
        feats.append((at, len(w.b) - at))
    for k, (o, s) in enumerate(feats):
        w.b[idx + 16 * k:idx + 16 * k + 16] = (
            o.to_bytes(8, "big" if be else "little") + s.to_bytes(8, "big" if be else "little"))
    return bytes(w.b)


TICK = (b"name: tick\nID: 42\nformat:\n"
        b"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
        b"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
        b"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
        b"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
        b"\tfield:int value;\toffset:8;\tsize:4;\tsigned:1;\n"
        b"\tfield:__data_loc char[] msg;\toffset:12;\tsize:4;\tsigned:0;\n\n"
        b"print fmt: \"value=%d msg=%s\", REC->value, __get_str(msg)\n")


def synth_pipe(be):
    w = W(be)
    w.u(0x32454C4946524550, 8)
    w.u(16, 8)
    st = (1 << 16) | 2 | 4 | 1024 | 32
    at = len(w.b)
    w.u(64, 4)
    w.u(0, 2)
    w.u(0, 2)
    attr(w, 2, 42, st, 0, SID_ALL)
    w.u(901, 8)
    w.patch16(at, len(w.b) - at)
    at = len(w.b)
    w.u(80, 4)
    w.u(0, 2)
    w.u(0, 2)
    w.u(3, 8)
    w.fstr(b"pipe-host")
    w.patch16(at, len(w.b) - at)
    at = len(w.b)
    w.u(78, 4)
    w.u(0, 2)
    w.u(0, 2)
    w.u(2, 8)
    w.u(901, 8)
    w.str8(b"synth:tick")
    w.patch16(at, len(w.b) - at)
    t = W(be)
    t.raw(b"\x17\x08\x44tracing0.6\0")
    t.u(1 if be else 0, 1)
    t.u(8, 1)
    t.u(4096, 4)
    t.raw(b"header_page\0")
    t.u(0, 8)
    t.raw(b"header_event\0")
    t.u(0, 8)
    t.u(0, 4)
    t.u(1, 4)
    t.raw(b"synth\0")
    t.u(1, 4)
    t.u(len(TICK), 8)
    t.raw(TICK)
    t.u(0, 4)
    t.u(0, 4)
    t.u(10, 8)
    t.raw(b"101 ticker")
    t.raw(b"\0" * ((8 - len(t.b) % 8) % 8))
    w.u(66, 4)
    w.u(0, 2)
    w.u(12, 2)
    w.u(len(t.b), 4)
    w.raw(t.b)
    for k in range(4):
        raw = W(be)
        raw.u(42, 2)
        raw.u(0, 2)
        raw.u(101, 4)
        raw.u(7 + k, 4)
        raw.u(6 << 16 | 16, 4)  # __data_loc: 6 bytes at 16
        raw.raw(b"hello\0")
        raw.raw(b"\0" * 6)
        sample(w, st, k, 2000 - k, bytes(raw.b))
    w.u(68, 4)
    w.u(0, 2)
    w.u(8, 2)
    return bytes(w.b)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus", "pdat")
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        if f not in KEEP and f.endswith(".data"):
            os.unlink(os.path.join(out, f))
    seeds = {}

    def rd(n):
        with open(os.path.join(SAMPLES, n), "rb") as fh:
            return fh.read()

    for n, keep in (("perf-g", 3000), ("perf-ag", 3000), ("perf-sched", 2500),
                    ("perf-tp-g", 2500)):
        seeds[n + "-cut"] = ("file", PerfFile(rd(n + ".data")).cut(keep))
    z = rd("perf-z.data")
    seeds["perf-z"] = ("file", z)
    seeds["perf-z2"] = ("file", to_compressed2(z))
    p = rd("perf-pipe.data")
    recs = records(p, 16, len(p))
    end = max(off + size for off, _, size in recs if off + size <= 6000)
    seeds["perf-pipe-cut"] = ("pipe", p[:end])
    with open(os.path.join(out, "pipe-tp.data"), "rb") as fh:
        p = fh.read()
    # up to the tracing data and a few records after it
    recs = records(p, 16, len(p))
    td = [off for off, typ, _ in recs if typ == 66][0]
    end = max(off + size for off, _, size in recs if off + size <= td + 12000)
    seeds["pipe-tp-cut"] = ("pipe", p[:end])
    with open(os.path.join(out, "dwarf-cut.data"), "rb") as fh:
        seeds["dwarf"] = ("file", PerfFile(fh.read()).cut(6000))
    for be in (0, 1):
        seeds["synth-%s" % ("be" if be else "le")] = ("file", synth_file(be))
        seeds["synth-pipe-%s" % ("be" if be else "le")] = ("pipe", synth_pipe(be))

    count = 0
    total = 0

    def emit(name, data):
        nonlocal count, total
        with open(os.path.join(out, name + ".data"), "wb") as fh:
            fh.write(data)
        count += 1
        total += len(data)

    for name, (kind, d) in sorted(seeds.items()):
        E[0] = ">" if d[:8] == b"2ELIFREP" else "<"
        emit(name, d)
        # each variant of the fuzz target once per seed
        for bit in (0x80, 0x40, 0x20):
            emit("%s.var%x" % (name, bit), d + bytes([bit]))
        muts = file_mutants(name, d) if kind == "file" else pipe_mutants(name, d)
        # A budget per seed keeps the corpus small: every truncation,
        # then a fixed random choice of the other mutants.
        budget = 25 if len(d) > 12000 else 40 if len(d) > 5000 else 70
        keys = sorted(muts)
        first = [k for k in keys if k.startswith("cut") or k == "killed"]
        rest = [k for k in keys if k not in first]
        rnd = random.Random(name)
        pick = first + rnd.sample(rest, max(0, min(len(rest), budget - len(first))))
        for k in sorted(pick):
            emit("%s.%s" % (name, k), muts[k])
    print("%d files, %d bytes in %s" % (count, total, out))


if __name__ == "__main__":
    main()
