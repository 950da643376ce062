#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Make the plain twins of two perf samples, which perf itself cannot make
(perf inject keeps COMPRESSED records, and keeps pipe mode):

  perf-z.data    -> perf-z-twin.data     COMPRESSED records replaced by the
                                         records they hold (decoded with the
                                         zstd command), COMPRESSED feature gone
  perf-pipe.data -> perf-pipe-twin.data  pipe mode turned into file mode:
                                         HEADER_ATTR records become the attrs
                                         section, HEADER_FEATURE records the
                                         feature sections

Both twins are checked by the peer, not by us: `perf script` must print the
same text for a twin as for its original (tests/oracle/pdat-report.sh).
Little-endian files only (what our machines record).
"""
import struct
import subprocess
import sys

HDR = struct.Struct('<8sQQ')        # magic, header size, attr_size
SECT = struct.Struct('<QQ')


def records(d, off, end):
    while off + 8 <= end:
        t, misc, size = struct.unpack_from('<IHH', d, off)
        if size < 8:
            sys.exit('record of size %d at %d' % (size, off))
        extra = 0
        if t == 66:                     # tracing data follows the record
            extra = struct.unpack_from('<I', d, off + 8)[0]
        yield t, d[off:off + size + extra]
        off += size + extra


def write_file(path, attrs, data, feats):
    """attrs: [(attr bytes, [ids])]; feats: {bit: payload}."""
    attr_size = len(attrs[0][0]) + 16
    out = bytearray(104)
    ids_off = []
    for a, ids in attrs:
        ids_off.append((len(out), 8 * len(ids)))
        out += b''.join(struct.pack('<Q', i) for i in ids)
    attrs_off = len(out)
    for (a, _), (io, isz) in zip(attrs, ids_off):
        out += a + SECT.pack(io, isz)
    data_off = len(out)
    out += data
    bits = sorted(feats)
    idx = len(out)
    out += bytes(16 * len(bits))
    for k, b in enumerate(bits):
        SECT.pack_into(out, idx + 16 * k, len(out), len(feats[b]))
        out += feats[b]
    bitmap = [0, 0, 0, 0]
    for b in bits:
        bitmap[b // 64] |= 1 << (b % 64)
    struct.pack_into('<8sQQ', out, 0, b'PERFILE2', 104, attr_size)
    SECT.pack_into(out, 24, attrs_off, attr_size * len(attrs))
    SECT.pack_into(out, 40, data_off, len(data))
    SECT.pack_into(out, 56, 0, 0)
    struct.pack_into('<4Q', out, 72, *bitmap)
    open(path, 'wb').write(out)


def read_file_mode(d):
    magic, hsize, attr_size = HDR.unpack_from(d, 0)
    assert magic == b'PERFILE2' and hsize == 104
    ao, asz = SECT.unpack_from(d, 24)
    do, dsz = SECT.unpack_from(d, 40)
    attrs = []
    for o in range(ao, ao + asz, attr_size):
        a = d[o:o + attr_size - 16]
        io, isz = SECT.unpack_from(d, o + attr_size - 16)
        attrs.append((a, list(struct.unpack_from('<%dQ' % (isz // 8), d, io))))
    bitmap = struct.unpack_from('<4Q', d, 72)
    bits = [b for b in range(256) if bitmap[b // 64] >> (b % 64) & 1]
    feats = {}
    for k, b in enumerate(bits):
        fo, fsz = SECT.unpack_from(d, do + dsz + 16 * k)
        feats[b] = d[fo:fo + fsz]
    return attrs, do, dsz, feats


def unzip_twin(src, dst):
    d = open(src, 'rb').read()
    attrs, do, dsz, feats = read_file_mode(d)
    stream = b''.join(r[8:] for t, r in records(d, do, do + dsz) if t == 81)
    # perf never ends its zstd frame, so the zstd command reports a
    # premature end after writing everything the frame holds.
    raw = subprocess.run(['zstd', '-dc'], input=stream, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout
    # One stream: all it holds goes where the first COMPRESSED record was.
    data, placed = bytearray(), False
    for t, r in records(d, do, do + dsz):
        if t != 81:
            data += r
        elif not placed:
            data += raw
            placed = True
    feats.pop(27, None)                 # HEADER_COMPRESSED
    write_file(dst, attrs, bytes(data), feats)


def pipe_twin(src, dst):
    d = open(src, 'rb').read()
    magic, hsize = struct.unpack_from('<8sQ', d, 0)
    assert magic == b'PERFILE2' and hsize == 16
    attrs, feats, data = [], {}, bytearray()
    for t, r in records(d, 16, len(d)):
        if t == 64:                     # HEADER_ATTR: attr then its ids
            asize = struct.unpack_from('<I', r, 12)[0]
            a = r[8:8 + asize]
            ids = list(struct.unpack_from('<%dQ' % ((len(r) - 8 - asize) // 8), r, 8 + asize))
            attrs.append((a, ids))
        elif t == 80:                   # HEADER_FEATURE: u64 id, payload
            feats[struct.unpack_from('<Q', r, 8)[0]] = r[16:]
        elif t == 66:
            sys.exit('tracing data in a pipe file is not handled here')
        else:
            data += r
    write_file(dst, attrs, bytes(data), feats)


if __name__ == '__main__':
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    unzip_twin(os.path.join(here, 'perf-z.data'), os.path.join(here, 'perf-z-twin.data'))
    pipe_twin(os.path.join(here, 'perf-pipe.data'), os.path.join(here, 'perf-pipe-twin.data'))
