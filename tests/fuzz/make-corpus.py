#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Regenerate the seed corpus of fuzz-tdat: tests/fuzz/corpus/tdat/.

    python3 tests/fuzz/make-corpus.py [OUTDIR]

Python 3 standard library only; deterministic (fixed random seeds), so a
rerun gives the same bytes and the committed files can be checked against
it. Inputs are the committed recordings in samples/:

  tiny-v6.dat        32 KB v6, 2 CPUs x 1 sub-buffer: parsed and rewritten
                     smaller (and as v7 none/zlib, long size 4, two buffers,
                     more options) by the writers below;
  sched-v7-zstd.dat  100 KB v7+zstd: rewritten with one chunk per CPU and no
                     kallsyms, keeping its compressed blobs (no zstd in the
                     standard library);
  bad/*.dat          copied as they are when under 16 KB (the others are
                     tiny-v6.dat with one patch, which the mutants cover).

From each valid seed it derives mutants, named <seed>.<what>.dat:
truncations at every section boundary (and one byte either side), huge or
zero counts and lengths patched into every count/length field the reader
trusts (CPU count, format counts and lengths, text lengths, option sizes,
BUFFER CPU table, section sizes, chunk csize/usize, nchunks, sub-buffer
commit), loops and dangling offsets in the v7 section chain, hostile
ring-buffer records, hostile event format and printk text, and seeded bit
flips in metadata and in data pages.

The layouts are the ones in docs/trace-dat.md; the comments in
formats/tdat-read.c give the short form.
"""
import copy
import os
import random
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SAMPLES = os.path.join(ROOT, "samples")
MAGIC = b"\x17\x08\x44tracing"

OPT_DONE, OPT_DATE, OPT_CPUSTAT, OPT_BUFFER, OPT_TRACECLOCK = 0, 1, 2, 3, 4
OPT_UNAME, OPT_OFFSET, OPT_CPUCOUNT, OPT_VERSION = 5, 7, 8, 9
OPT_TSC2NSEC, OPT_HEADER_INFO = 14, 16
META_IDS = (16, 17, 18, 19, 20, 21)

U32 = (0, 0x7FFFFFFF, 0xFFFFFFFF, 65537)
U64 = (0, 0x7FFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF, 1 << 40)


def str0(s):
    return s + b"\0"


# ---- v6 ------------------------------------------------------------------


class Cursor:
    def __init__(self, data, pos=0):
        self.d, self.p = data, pos

    def take(self, n):
        b = self.d[self.p:self.p + n]
        if len(b) != n:
            raise ValueError("short read at %d" % self.p)
        self.p += n
        return b

    def u16(self):
        return struct.unpack("<H", self.take(2))[0]

    def u32(self):
        return struct.unpack("<I", self.take(4))[0]

    def u64(self):
        return struct.unpack("<Q", self.take(8))[0]

    def s0(self):
        e = self.d.index(b"\0", self.p)
        s = self.d[self.p:e]
        self.p = e + 1
        return s


def parse_v6(d):
    """A little-endian v6 file into a dict the writers take."""
    c = Cursor(d)
    assert c.take(10) == MAGIC and c.s0() == b"6"
    m = {"endian": c.take(1)[0], "lsize": c.take(1)[0], "page": c.u32()}
    assert c.take(12) == b"header_page\0"
    m["header_page"] = c.take(c.u64())
    assert c.take(13) == b"header_event\0"
    m["header_event"] = c.take(c.u64())
    m["ftrace"] = [c.take(c.u64()) for _ in range(c.u32())]
    m["systems"] = []
    for _ in range(c.u32()):
        name = c.s0()
        m["systems"].append((name, [c.take(c.u64()) for _ in range(c.u32())]))
    m["kallsyms"] = c.take(c.u32())
    m["printk"] = c.take(c.u32())
    m["cmdlines"] = c.take(c.u64())
    ncpus = c.u32()
    m["options"] = []
    if d[c.p:c.p + 10] == b"options  \0":
        c.take(10)
        while True:
            oid = c.u16()
            if oid == 0:
                break
            m["options"].append((oid, c.take(c.u32())))
    assert c.take(10) == b"flyrecord\0"
    table = [(c.u64(), c.u64()) for _ in range(ncpus)]
    m["clock"] = None
    if any(o == OPT_TRACECLOCK for o, _ in m["options"]):
        m["clock"] = c.take(c.u64())
    m["cpus"] = [d[o:o + s] for o, s in table]
    return m


def meta_items(m):
    """The six metadata items, as both v6 and v7 store them."""
    hdr = (b"header_page\0" + struct.pack("<Q", len(m["header_page"])) + m["header_page"] +
           b"header_event\0" + struct.pack("<Q", len(m["header_event"])) + m["header_event"])
    ft = struct.pack("<I", len(m["ftrace"])) + b"".join(
        struct.pack("<Q", len(f)) + f for f in m["ftrace"])
    ev = struct.pack("<I", len(m["systems"]))
    for name, fmts in m["systems"]:
        ev += str0(name) + struct.pack("<I", len(fmts)) + b"".join(
            struct.pack("<Q", len(f)) + f for f in fmts)
    return [hdr, ft, ev,
            struct.pack("<I", len(m["kallsyms"])) + m["kallsyms"],
            struct.pack("<I", len(m["printk"])) + m["printk"],
            struct.pack("<Q", len(m["cmdlines"])) + m["cmdlines"]]


def write_v6(m, extra_buffers=()):
    """Returns (bytes, fields): fields maps a name to (offset, width) of
    every count/length worth patching, plus 'cuts', the section bounds."""
    f, cuts = {}, []
    out = bytearray(MAGIC + b"6\0" + bytes([m["endian"], m["lsize"]]) +
                    struct.pack("<I", m["page"]))
    f["page_size"] = (14, 4)
    cuts.append(len(out))
    names = ("header", "ftrace", "events", "kallsyms", "printk", "cmdlines")
    for name, item in zip(names, meta_items(m)):
        base = len(out)
        out += item
        cuts.append(len(out))
        if name == "header":
            f["header_page_len"] = (base + 12, 8)
            f["header_event_len"] = (base + 20 + len(m["header_page"]) + 13, 8)
        elif name in ("ftrace", "events"):
            f[name + "_count"] = (base, 4)
            if name == "ftrace" and m["ftrace"]:
                f["ftrace_len0"] = (base + 4, 8)
            if name == "events" and m["systems"]:
                nl = len(m["systems"][0][0]) + 1
                f["events_fmt_count0"] = (base + 4 + nl, 4)
                f["events_len0"] = (base + 8 + nl, 8)
        else:
            f[name + "_len"] = (base, 4 if name != "cmdlines" else 8)
    ncpus = len(m["cpus"])
    f["ncpus"] = (len(out), 4)
    out += struct.pack("<I", ncpus)
    cuts.append(len(out))
    opts = list(m["options"])
    flypos = {}
    # BUFFER options point at their own "flyrecord" blocks: patched below.
    for i, _ in enumerate(extra_buffers):
        opts.append((OPT_BUFFER, b"\0" * 8 + str0(b"inst%d" % i)))
    if opts:
        out += b"options  \0"
        for oid, payload in opts:
            f.setdefault("opt%d_size" % oid, (len(out) + 2, 4))
            if oid == OPT_BUFFER:
                flypos.setdefault("bufopts", []).append(len(out) + 6)
            out += struct.pack("<HI", oid, len(payload)) + payload
        out += struct.pack("<H", 0)
        cuts.append(len(out))

    def flyrecord(cpus):
        base = len(out) + 10 + 16 * ncpus + (8 + len(m["clock"]) if m["clock"] else 0)
        blk = bytearray(b"flyrecord\0")
        off = base
        for data in cpus:
            blk += struct.pack("<QQ", off, len(data))
            off += len(data)
        if m["clock"] is not None:
            blk += struct.pack("<Q", len(m["clock"])) + m["clock"]
        return blk, base

    f["flyrecord"] = (len(out), 10)
    f["cpu0_off"] = (len(out) + 10, 8)
    f["cpu0_size"] = (len(out) + 18, 8)
    blk, base = flyrecord(m["cpus"])
    out += blk
    cuts.append(len(out))
    for i, data in enumerate(m["cpus"]):
        f["cpu%d_data" % i] = (len(out), len(data))
        out += data
        cuts.append(len(out))
    for i, cpus in enumerate(extra_buffers):
        struct.pack_into("<Q", out, flypos["bufopts"][i], len(out))
        blk, _ = flyrecord(cpus)
        out += blk
        cuts.append(len(out))
        for data in cpus:
            out += data
    f["cuts"] = cuts
    return bytes(out), f


# ---- v7 ------------------------------------------------------------------


def section(sid, payload, compressed=False, usize=None):
    """A section: u16 id, u16 flags, u32 description, u64 size, payload.
    A compressed payload is given already as u32 csize, u32 usize, data."""
    return struct.pack("<HHIQ", sid, 1 if compressed else 0, 0, len(payload)) + payload


def zblob(data):
    z = zlib.compress(data, 9)
    return struct.pack("<II", len(z), len(data)) + z


def write_v7(codec, codec_ver, page, meta, options, buffers, lsize=8):
    """meta: {id: (compressed, payload)}; options: [(id, payload)] for the
    first options section; buffers: [(name, clock, compressed, cpus)] where
    cpus is [raw bytes] or, when compressed, [[chunk blobs]]. Buffer options
    go in a second options section (as trace-cmd writes them last)."""
    f, cuts = {}, []
    out = bytearray(MAGIC + b"7\0" + bytes([0, lsize]) + struct.pack("<I", page) +
                    str0(codec) + str0(codec_ver))
    f["page_size"] = (14, 4)
    f["first_options"] = (len(out), 8)
    out += b"\0" * 8
    cuts.append(len(out))
    moff = {}
    for sid in META_IDS:
        if sid not in meta:
            continue
        comp, payload = meta[sid]
        moff[sid] = len(out)
        f["sect%d_size" % sid] = (len(out) + 8, 8)
        if comp:
            f["sect%d_csize" % sid] = (len(out) + 16, 4)
            f["sect%d_usize" % sid] = (len(out) + 20, 4)
        out += section(sid, payload, comp)
        cuts.append(len(out))
    # first options section
    opt1 = len(out)
    struct.pack_into("<Q", out, f["first_options"][0], opt1)
    body = bytearray()
    for sid in META_IDS:
        if sid in moff:
            body += struct.pack("<HIQ", sid, 8, moff[sid])
    for oid, payload in options:
        body += struct.pack("<HI", oid, len(payload)) + payload
    next_at = len(body) + 6
    body += struct.pack("<HIQ", OPT_DONE, 8, 0)
    f["opt1_size"] = (opt1 + 8, 8)
    f["opt1_next"] = (opt1 + 16 + next_at, 8)
    f["opt1_first_entry_size"] = (opt1 + 18, 4)
    out += section(0, bytes(body))
    cuts.append(len(out))
    # buffer sections, then the second options section with BUFFER options
    bufopts = []
    for bi, (name, clock, comp, cpus) in enumerate(buffers):
        sect = len(out)
        hdr_len = 16
        data_start = sect + hdr_len
        payload = bytearray()
        table = []
        for data in cpus:
            off = data_start + len(payload)
            if comp:
                chunks = b"".join(data)
                f.setdefault("b%d_nchunks" % bi, (off, 4))
                if data:
                    f.setdefault("b%d_chunk0_csize" % bi, (off + 4, 4))
                    f.setdefault("b%d_chunk0_usize" % bi, (off + 8, 4))
                payload += struct.pack("<I", len(data)) + chunks
                table.append((off, len(chunks)))
            else:
                f.setdefault("b%d_page0" % bi, (off, len(data)))
                payload += data
                table.append((off, len(data)))
        f["b%d_sect_size" % bi] = (sect + 8, 8)
        out += section(OPT_BUFFER, bytes(payload), comp)
        cuts.append(len(out))
        opt = struct.pack("<Q", sect) + str0(name) + str0(clock) + struct.pack("<I", page)
        ncpus_at = len(opt)
        opt += struct.pack("<I", len(table))
        for cpu, (off, size) in enumerate(table):
            opt += struct.pack("<IQQ", cpu, off, size)
        bufopts.append((opt, ncpus_at))
    opt2 = len(out)
    struct.pack_into("<Q", out, f["opt1_next"][0], opt2)
    body = bytearray()
    for i, (opt, ncpus_at) in enumerate(bufopts):
        at = opt2 + 16 + len(body) + 6
        f["bufopt%d_size" % i] = (at - 4, 4)
        f["bufopt%d_page" % i] = (at + ncpus_at - 4, 4)
        f["bufopt%d_ncpus" % i] = (at + ncpus_at, 4)
        f["bufopt%d_cpu0_off" % i] = (at + ncpus_at + 8, 8)
        f["bufopt%d_cpu0_size" % i] = (at + ncpus_at + 16, 8)
        body += struct.pack("<HI", OPT_BUFFER, len(opt)) + opt
    body += struct.pack("<HI", OPT_CPUCOUNT, 4) + struct.pack("<I", len(buffers[0][3]))
    body += struct.pack("<HIQ", OPT_DONE, 8, 0)
    f["opt2_next"] = (opt2 + 16 + len(body) - 8, 8)
    out += section(0, bytes(body))
    cuts.append(len(out))
    f["cuts"] = cuts
    return bytes(out), f


def v7_meta_from_model(m, compress):
    items = meta_items(m)
    meta = {}
    for sid, item in zip(META_IDS, items):
        meta[sid] = (True, zblob(item)) if compress else (False, item)
    return meta


def chunks_of(data, page, per_chunk):
    out = []
    for i in range(0, len(data), page * per_chunk):
        out.append(zblob(data[i:i + page * per_chunk]))
    return out


# ---- sub-buffers ---------------------------------------------------------


def to_long4(page, page_size):
    """Rewrite a sub-buffer with an 8-byte commit as one with a 4-byte one."""
    ts, commit = struct.unpack_from("<QQ", page, 0)
    body = page[16:16 + (commit & ((1 << 27) - 1))]
    p = struct.pack("<QI", ts, commit & 0xFFFFFFFF) + body
    return p + b"\0" * (page_size - len(p))


def header_page_long4(text):
    return (text.replace(b"local_t commit;\toffset:8;\tsize:8;", b"local_t commit;\toffset:8;\tsize:4;")
            .replace(b"char data;\toffset:16;\tsize:4080;", b"char data;\toffset:12;\tsize:4084;"))


# ---- mutations -----------------------------------------------------------


class Corpus:
    def __init__(self, outdir):
        self.outdir = outdir
        self.files = {}

    def add(self, name, data):
        # Two mutations may land on one name (a patch to the value a
        # field already has): the first one stays.
        self.files.setdefault(name, bytes(data))

    def write(self):
        os.makedirs(self.outdir, exist_ok=True)
        for old in os.listdir(self.outdir):
            if old.endswith(".dat"):
                os.unlink(os.path.join(self.outdir, old))
        for name, data in sorted(self.files.items()):
            with open(os.path.join(self.outdir, name), "wb") as fh:
                fh.write(data)


def patched(data, off, width, value):
    b = bytearray(data)
    if off + width <= len(b):
        b[off:off + width] = value.to_bytes(width, "little")
    return bytes(b)


def mutate(cor, name, data, fields, rng, flips=6, patch=True, after=True):
    """Every generic mutation of one valid seed: cuts at and just after
    each section boundary, extreme values in each field, bit flips."""
    cuts = sorted(set(fields["cuts"]))
    for c in cuts:
        for d in (0, 1) if after else (0,):
            if 0 < c + d < len(data):
                cor.add("%s.cut%d.dat" % (name, c + d), data[:c + d])
    for key, val in sorted(fields.items()):
        if not patch or key == "cuts" or val[1] not in (4, 8):
            continue
        off, width = val
        for v in (U32 if width == 4 else U64):
            cor.add("%s.%s=%x.dat" % (name, key, v), patched(data, off, width, v))
    # seeded bit flips: metadata half, data half, anywhere
    data_start = cuts[-2] if len(cuts) > 2 else len(data) // 2
    for i in range(flips):
        b = bytearray(data)
        lo, hi = (0, data_start) if i % 3 == 0 else (data_start, len(b)) if i % 3 == 1 \
            else (0, len(b))
        for _ in range(1 + i % 4):
            p = rng.randrange(lo, max(lo + 1, hi))
            if p < len(b):
                b[p] ^= 1 << rng.randrange(8)
        cor.add("%s.flip%d.dat" % (name, i), b)


def page_mutants(cor, name, data, page_off, page_size, lsize=8):
    """Hostile sub-buffer headers and ring-buffer records in one page."""
    cw = 8 if lsize == 8 else 4
    ds = 8 + cw
    for v in (0, 1, (1 << 27) - 1, page_size, page_size - ds, page_size - ds + 1,
              (1 << 31) | 8, (3 << 30) | 8, (3 << 30) | (page_size - ds),
              (3 << 30) | (page_size - ds - 4), 0xFFFFFFFF):
        cor.add("%s.commit=%x.dat" % (name, v), patched(data, page_off + 8, cw, v))
    first = page_off + ds
    recs = {
        "len0": struct.pack("<II", 0, 0),            # type 0, length 0
        "len3": struct.pack("<II", 0, 3),
        "lenhuge": struct.pack("<II", 0, 0xFFFFFFFF),
        "lenpage": struct.pack("<II", 0, page_size),
        "pad0": struct.pack("<II", 29, 0),           # padding, delta 0
        "padhuge": struct.pack("<II", 29 | (5 << 5), 0xFFFFFFF0),
        "extend": struct.pack("<II", 30 | (0x7FFFFFF << 5), 0xFFFFFFFF),
        "abs": struct.pack("<II", 31 | (0x7FFFFFF << 5), 0xFFFFFFFF),
        "type28": struct.pack("<I", 28),
        "type1": struct.pack("<I", 1),
    }
    for k, rec in recs.items():
        cor.add("%s.rec-%s.dat" % (name, k), data[:first] + rec + data[first + len(rec):])
    # a page of time extends only, then a record: many steps, no output
    b = bytearray(data)
    commit = struct.unpack_from("<Q" if cw == 8 else "<I", b, page_off + 8)[0] & ((1 << 27) - 1)
    for p in range(first, first + commit - 8, 8):
        b[p:p + 8] = struct.pack("<II", 30 | (1 << 5), 1)
    cor.add("%s.rec-all-extend.dat" % name, b)


def format_mutants(cor, name, m, build):
    """Hostile event format text, printk and cmdline text, through the
    writer `build(model) -> bytes` so all lengths stay consistent."""
    sysname, fmts = m["systems"][0]
    base = fmts[0]
    edits = {
        "offbig": (b"offset:8;", b"offset:100000;"),
        "offmax": (b"offset:8;", b"offset:2147483647;"),
        "offneg": (b"offset:8;", b"offset:-100000;"),
        "offwrap": (b"offset:8;", b"offset:4294967280;"),
        "sizeneg": (b"size:4;", b"size:-1;"),
        "sizebig": (b"size:4;", b"size:100000;"),
        "sizemax": (b"size:4;", b"size:2147483647;"),
        "arraybig": (b"char comm[16];", b"char comm[2147483647];"),
        "arrayneg": (b"char comm[16];", b"char comm[-16];"),
        "dataloc": (b"char comm[16];", b"__data_loc char[] comm;"),
        "fmt-s-int": (b"comm=%s", b"comm=%s %s %s %s %s %s %s %s"),
        "fmt-pct": (b"comm=%s", b"comm=%*.*s%-999999999d%pS%pM%pI4%pI6c%pU"),
        "fmt-noargs": (b"\", REC->", b"%s%s%s%s\", REC->"),
        "id0": (b"ID: ", b"ID: 0"),
        "idneg": (b"ID: ", b"ID: -"),
        "noprint": (b"print fmt:", b"print fnt:"),
        "getstr": (b"REC->comm", b"__get_str(comm)"),
        "dynarr": (b"REC->comm", b"__get_dynamic_array(comm)"),
        "bitmask": (b"REC->comm", b"__get_bitmask(comm)"),
        "symbolic": (b"REC->pid", b"__print_symbolic(REC->pid, {0, \"a\"})"),
        "flags": (b"REC->pid", b"__print_flags(REC->pid, \"|\", {1, \"a\"})"),
        "hex": (b"REC->pid", b"__print_hex(REC->comm, 2147483647)"),
        "array": (b"REC->pid", b"__print_array(REC->comm, -1, 8)"),
        "divzero": (b"REC->pid", b"REC->pid / 0"),
        "modzero": (b"REC->pid", b"REC->pid % 0"),
        "shift": (b"REC->pid", b"REC->pid << 99"),
        "deepparen": (b"REC->pid", b"(" * 200 + b"REC->pid" + b")" * 200),
        "cond": (b"REC->pid", b"REC->pid ? REC->pid : "),
        "sizeof": (b"REC->pid", b"sizeof(u64) * REC->pid"),
        "truncated": None,
        "nul": None,
        "empty": None,
    }
    for key, ed in edits.items():
        mm = copy.deepcopy(m)
        f0 = mm["systems"][0][1]
        for i, text in enumerate(f0):
            if ed is None:
                f0[i] = {"truncated": text[:len(text) // 2], "nul": text.replace(b":", b"\0", 3),
                         "empty": b""}[key]
            else:
                f0[i] = text.replace(ed[0], ed[1])
        cor.add("%s.format-%s.dat" % (name, key), build(mm))
    texts = {
        "printk-nocolon": ("printk", b"ffffffff81000000\n"),
        "printk-colon-end": ("printk", b"ffffffff81000000 : \"x\"\nffffffff81000010:"),
        "printk-short": ("printk", b"ffffffff81000000 : \"\"\nffffffff81000008 : \"a\n"),
        "printk-empty-lines": ("printk", b"\n\n\n:::\n: :\n"),
        "kallsyms-junk": ("kallsyms", b"zz\nffffffff81000000\n0 T\n1 t f\t[\n2 t g\t[m]\n"),
        "kallsyms-long": ("kallsyms", b"ffffffff81000000 T " + b"a" * 5000 + b"\n"),
        "cmdlines-junk": ("cmdlines", b"-1 x\n2147483648 y\nabc\n1\n7 " + b"c" * 300 + b"\n"),
        "header-page-empty": ("header_page", b""),
        "header-page-junk": ("header_page", b"field: local_t commit; offset:8; size:99;\n"),
        "header-page-long4": ("header_page", b"field: local_t commit;\toffset:8;\tsize:4;\tsigned:1;\n"),
    }
    for key, (item, text) in texts.items():
        mm = copy.deepcopy(m)
        mm[item] = text
        cor.add("%s.%s.dat" % (name, key), build(mm))


# ---- seeds ---------------------------------------------------------------


def small_model(m):
    """tiny-v6 without kallsyms and with a short printk list."""
    s = copy.deepcopy(m)
    s["kallsyms"] = b"ffffffff81000000 T _text\nffffffff81001000 t do_one\n"
    s["printk"] = b"\n".join(s["printk"].split(b"\n")[:8]) + b"\n"
    return s


def min_model(m):
    """Only the sched system's formats, no ftrace formats, few cmdlines,
    512-byte sub-buffers (tiny-v6's pages hold 40 and 272 bytes)."""
    s = small_model(m)
    s["ftrace"] = []
    s["systems"] = [x for x in s["systems"] if x[0] == b"sched"] or s["systems"][:1]
    s["cmdlines"] = b"\n".join(s["cmdlines"].split(b"\n")[:6]) + b"\n"
    s["printk"] = b"\n".join(s["printk"].split(b"\n")[:3]) + b"\n"
    s["page"] = 512
    s["cpus"] = [c[:512] for c in s["cpus"]]
    return s


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus", "tdat")
    cor = Corpus(outdir)
    rng = random.Random(20261123)

    tiny = open(os.path.join(SAMPLES, "tiny-v6.dat"), "rb").read()
    m = parse_v6(tiny)
    cor.add("tiny-v6.dat", tiny)

    # v6: small and minimal rewrites, long size 4, two buffers, options
    v6s, f6s = write_v6(small_model(m))
    cor.add("v6-small.dat", v6s)
    mm = min_model(m)
    page = mm["page"]
    v6m, f6m = write_v6(mm)
    cor.add("v6-min.dat", v6m)
    mutate(cor, "v6-min", v6m, f6m, rng, flips=8, after=False)
    page_mutants(cor, "v6-min", v6m, f6m["cpu1_data"][0], page)

    m4 = copy.deepcopy(mm)
    m4["header_page"] = header_page_long4(m4["header_page"])
    m4["cpus"] = [to_long4(p, page) for p in m4["cpus"]]
    v6l4, f6l4 = write_v6(m4)
    cor.add("v6-long4.dat", v6l4)
    page_mutants(cor, "v6-long4", v6l4, f6l4["cpu1_data"][0], page, lsize=4)

    v6b, f6b = write_v6(mm, extra_buffers=[mm["cpus"], mm["cpus"][:1]])
    cor.add("v6-2buf.dat", v6b)
    mutate(cor, "v6-2buf", v6b, f6b, rng, flips=3, patch=False, after=False)

    mo = copy.deepcopy(mm)
    mo["options"] = [o for o in mo["options"] if o[0] != OPT_TRACECLOCK] + [
        (OPT_DATE, b"0x7fffffffffffffff\0"), (OPT_OFFSET, b"-9223372036854775807\0"),
        (OPT_TSC2NSEC, struct.pack("<IIQ", 0xFFFFFFFF, 63, 0)),
        (OPT_CPUCOUNT, struct.pack("<I", 2)), (OPT_UNAME, b"no-nul"),
        (OPT_TRACECLOCK, b"[x86-tsc"), (OPT_CPUSTAT, b"CPU: 99999999999\noverrun: 5\n"),
        (OPT_CPUSTAT, b"Buffer: x\nCPU: -1\noverrun: -1"), (99, b"unknown"), (OPT_VERSION, b"")]
    mo["clock"] = b"[tsc]\0"
    v6o, f6o = write_v6(mo)
    cor.add("v6-options.dat", v6o)
    for val in (b"0x8000000000000000\0", b"-0x8000000000000000\0", b"99999999999999999999\0",
                b"\0", b"0x" + b"f" * 80):
        mo2 = copy.deepcopy(mo)
        mo2["options"] = [(OPT_DATE, val), (OPT_OFFSET, val)] + mo2["options"]
        cor.add("v6-options.date=%s.dat" % val.strip(b"\0").decode()[:24], write_v6(mo2)[0])

    # v7, uncompressed and zlib, from the same model
    def v7(model, codec=b"none", comp=False, bufs=None, lsize=8, options=()):
        meta = v7_meta_from_model(model, comp)
        cpus = model["cpus"]
        if bufs is None:
            bufs = [(b"", b"local", comp, [chunks_of(c, page, 1) for c in cpus] if comp else cpus)]
        return write_v7(codec, b"" if codec == b"none" else b"1.2.13", page, meta,
                        list(options) + [(OPT_UNAME, b"Linux fuzz\0")], bufs, lsize)

    v7n, f7n = v7(mm)
    cor.add("v7-none.dat", v7n)
    mutate(cor, "v7-none", v7n, f7n, rng, flips=6, patch=False)
    page_mutants(cor, "v7-none", v7n, f7n["b0_page0"][0] + page, page)
    v7z, f7z = v7(mm, b"zlib", True)
    cor.add("v7-zlib.dat", v7z)
    mutate(cor, "v7-zlib", v7z, f7z, rng, flips=9)
    v7b, _ = v7(mm, bufs=[(b"inst", b"global", False, mm["cpus"]),
                          (b"", b"x86-tsc", False, mm["cpus"][:1])])
    cor.add("v7-2buf-top-second.dat", v7b)
    # a v7 file whose options chain loops back to itself
    b = bytearray(v7n)
    off = struct.unpack_from("<Q", b, f7n["first_options"][0])[0]
    struct.pack_into("<Q", b, f7n["opt2_next"][0], off)
    cor.add("v7-none.options-loop.dat", b)
    # meta offsets pointing at the wrong sections or into data
    for sid in META_IDS:
        b = bytearray(v7n)
        o1 = struct.unpack_from("<Q", b, f7n["first_options"][0])[0]
        p = o1 + 16 + (sid - 16) * 14 + 6
        for tgt, tag in ((o1, "opts"), (len(b) - 4, "end"), (0, "zero")):
            struct.pack_into("<Q", b, p, tgt)
            cor.add("v7-none.meta%d->%s.dat" % (sid, tag), b)
    # compression flag on a file without compression, and the reverse
    b = bytearray(v7n)
    struct.pack_into("<H", b, f7n["sect16_size"][0] - 6, 1)
    cor.add("v7-none.compressed-flag.dat", b)
    # zlib chunks whose sizes lie
    for key in ("b0_chunk0_csize", "b0_chunk0_usize", "b0_nchunks"):
        o, w = f7z[key]
        cur = struct.unpack_from("<I", v7z, o)[0]
        for v in (cur - 1, cur + 1, cur * 2, 64 << 20, (64 << 20) + 1):
            cor.add("v7-zlib.%s=%x.dat" % (key, v & 0xFFFFFFFF), patched(v7z, o, 4, v & 0xFFFFFFFF))
    # a zlib chunk that decompresses to more than it declares (a bomb)
    bomb = zlib.compress(b"\0" * (8 << 20), 9)
    bufs = [(b"", b"local", True, [[struct.pack("<II", len(bomb), page) + bomb]])]
    cor.add("v7-zlib.bomb.dat", v7(mm, b"zlib", True, bufs=bufs)[0])
    # a chunk that is not whole pages in the middle of a stream
    half = [zblob(mm["cpus"][1][:page // 2]), zblob(mm["cpus"][1])]
    cor.add("v7-zlib.half-chunk.dat", v7(mm, b"zlib", True, bufs=[(b"", b"local", True, [half])])[0])
    format_mutants(cor, "v7-zlib", mm, lambda x: v7(x, b"zlib", True)[0])

    # v7 + zstd: cut down from the committed recording, keeping its blobs
    zd = open(os.path.join(SAMPLES, "sched-v7-zstd.dat"), "rb").read()
    zmeta, zbufs = read_v7_zstd(zd)
    zv, zf = write_v7(b"zstd", b"1.5.4", 4096, zmeta, [], zbufs)
    cor.add("v7-zstd-cut.dat", zv)
    mutate(cor, "v7-zstd-cut", zv, {k: v for k, v in zf.items() if k == "cuts" or k[:2] in
                                    ("b0", "bu")}, rng, flips=4, after=False)
    o, _ = zf["b0_chunk0_csize"]
    cs = struct.unpack_from("<I", zv, o)[0]
    for v in (cs - 1, cs - 100, cs + 1):
        cor.add("v7-zstd-cut.chunk0_csize=%x.dat" % v, patched(zv, o, 4, v))
    o, _ = zf["b0_chunk0_usize"]
    us = struct.unpack_from("<I", zv, o)[0]
    for v in (us - 1, us + 1, us - 4096, 1):
        cor.add("v7-zstd-cut.chunk0_usize=%x.dat" % v, patched(zv, o, 4, v))
    # corrupt the zstd frame header (window size) and body
    o, _ = zf["b0_chunk0_csize"]
    for k, at, val in (("magic", 8, 0x00), ("fhd", 12, 0xFF), ("window", 13, 0xFF),
                       ("body", 40, 0x55)):
        b = bytearray(zv)
        b[o + at] ^= val or 0xFF
        cor.add("v7-zstd-cut.frame-%s.dat" % k, b)

    # the committed bad samples, when small
    bad = os.path.join(SAMPLES, "bad")
    for fn in sorted(os.listdir(bad)):
        p = os.path.join(bad, fn)
        if fn.endswith(".dat") and os.path.getsize(p) <= 16384:
            cor.add("bad-" + fn, open(p, "rb").read())

    cor.write()
    total = sum(len(d) for d in cor.files.values())
    print("%d files, %d bytes in %s" % (len(cor.files), total, outdir))


def read_v7_zstd(d):
    """The header, event format and cmdline blobs (compressed, as stored)
    and CPU 0's first chunk (10 sub-buffers) of sched-v7-zstd.dat."""
    c = Cursor(d)
    assert c.take(10) == MAGIC and c.s0() == b"7"
    c.take(6)
    c.s0()
    c.s0()
    off = c.u64()
    meta, bufs = {}, []
    while off:
        sid, flags, _, size = struct.unpack_from("<HHIQ", d, off)
        assert sid == 0 and flags == 0
        oc = Cursor(d, off + 16)
        nxt = 0
        while oc.p < off + 16 + size:
            oid, osz = oc.u16(), oc.u32()
            payload = oc.take(osz)
            if oid == OPT_DONE:
                nxt = struct.unpack("<Q", payload)[0]
                break
            if oid in (16, 18, 21):
                mo = struct.unpack("<Q", payload)[0]
                msid, mflags, _, msize = struct.unpack_from("<HHIQ", d, mo)
                meta[oid] = (bool(mflags & 1), d[mo + 16:mo + 16 + msize])
            elif oid == OPT_BUFFER:
                bc = Cursor(payload)
                bc.u64()
                name, clock = bc.s0(), bc.s0()
                bc.u32()
                cpus = []
                for _ in range(bc.u32()):
                    bc.u32()
                    coff, _csize = bc.u64(), bc.u64()
                    cc = Cursor(d, coff)
                    chunks = []
                    for _ in range(cc.u32()):
                        st = cc.p
                        cs = cc.u32()
                        cc.u32()
                        cc.take(cs)
                        chunks.append(d[st:cc.p])
                    if not cpus:
                        cpus.append(chunks[:1])
                bufs.append((name, clock, True, cpus))
        off = nxt
    return meta, bufs


if __name__ == "__main__":
    main()
