/* SPDX-License-Identifier: MIT */
/*
 * perf.data: the record stream.
 *
 * Three layers, each bounded:
 *  - the source: records in file order, from the file mapping (dropped
 *    behind the reader, so the resident set does not grow with the file) or
 *    through a fixed buffer over a pipe; tracing data (record 66) and AUX
 *    data (71) that follow their record outside header.size are consumed
 *    here. COMPRESSED (81) and COMPRESSED2 (83) records are not handed out:
 *    their payloads are one zstd stream (perf never ends it), decoded with
 *    one persistent stream into a fixed buffer, and the records in it come
 *    out instead; a record cut by the end of a compressed record is carried
 *    over to the next one.
 *  - the reorder queue, perf's ordered_events: records with a time are
 *    copied into blocks and kept in a heap on (time, arrival). At each
 *    FINISHED_ROUND everything up to the largest time of the round before is
 *    handed out, then the limit becomes the largest time queued now; at the
 *    end everything is. Past the byte cap the oldest records are handed out
 *    until the queue is half full. Records without a time (or with time 0,
 *    as perf's synthesized ones) and perf's own records (type >= 64) are
 *    handed out at once, as perf delivers them.
 *  - decoding into struct tk_pdat_rec, in host order: every PERF_SAMPLE_*
 *    field in the kernel's order, the sample_id trailer from the end.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "formats/pdat-int.h"

#define MIN_REORDER		(4ull * TK_PDAT_QBLOCK)
#define BRANCH_HW_INDEX		(1ull << 17)	/* PERF_SAMPLE_BRANCH_HW_INDEX */
#define BRANCH_COUNTERS		(1ull << 19)	/* PERF_SAMPLE_BRANCH_COUNTERS */
#define RF_TOTAL_TIME_ENABLED	1u
#define RF_TOTAL_TIME_RUNNING	2u
#define RF_ID			4u
#define RF_GROUP		8u
#define RF_LOST			16u
#define REC_AUXTRACE		71
#define EVENT_UPDATE_NAME	2

struct rawrec {
	const uint8_t *p;
	uint32_t size;
	uint32_t type;
	uint64_t off;
};

static uint16_t load16(const uint8_t *p, bool swap)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return swap ? __builtin_bswap16(v) : v;
}

/* ---- source: file mapping or pipe buffer -------------------------------- */

static void drop_behind(struct tk_pdat_reader *r, uint64_t upto)
{
	long hp = sysconf(_SC_PAGESIZE);
	uint64_t start, end;

	if (r->src != PDAT_SRC_FILE || hp <= 0 || upto < r->dropped + TK_PDAT_DROP_STEP)
		return;
	start = (r->dropped + (uint64_t)hp - 1) & ~((uint64_t)hp - 1);
	end = upto & ~((uint64_t)hp - 1);
	if (end > start)
		madvise(r->map + start, (size_t)(end - start), MADV_DONTNEED);
	r->dropped = upto;
}

/* Make n bytes (n <= TK_PDAT_PIPE_BUF) readable at pbuf + pbuf_start.
 * 1: there; 0: the input ends first; < 0: read error. */
static int pipe_fill(struct tk_pdat_reader *r, size_t n)
{
	size_t have = r->pbuf_end - r->pbuf_start;

	if (have >= n)
		return 1;
	if (r->pbuf_start) {
		memmove(r->pbuf, r->pbuf + r->pbuf_start, have);
		r->pbuf_start = 0;
		r->pbuf_end = have;
	}
	while (r->pbuf_end < n && !r->pipe_eof) {
		ssize_t k = read(r->fd, r->pbuf + r->pbuf_end, TK_PDAT_PIPE_BUF - r->pbuf_end);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return tk_err_sys(&r->err, errno, (int64_t)r->pos, "cannot read");
		if (k == 0)
			r->pipe_eof = true;
		r->pbuf_end += (size_t)k;
		r->bytes_read += (uint64_t)k;
	}
	return r->pbuf_end >= n;
}

/* Bytes readable at r->pos, at most `want` (pipe: fills the buffer). */
static int src_peek(struct tk_pdat_reader *r, size_t want, const uint8_t **p, size_t *have)
{
	int ret;

	if (r->src == PDAT_SRC_FILE) {
		uint64_t left = r->data_end - r->pos;

		*p = r->map + r->pos;
		*have = left < want ? (size_t)left : want;
		return 0;
	}
	ret = pipe_fill(r, want);
	if (ret < 0)
		return ret;
	*p = r->pbuf + r->pbuf_start;
	*have = r->pbuf_end - r->pbuf_start;
	if (*have > want)
		*have = want;
	return 0;
}

static void src_advance(struct tk_pdat_reader *r, uint64_t n)
{
	if (r->src == PDAT_SRC_PIPE)
		r->pbuf_start += (size_t)n;
	else
		r->bytes_read += n;
	r->pos += n;
}

/*
 * `n` bytes that follow a record outside header.size: handed to fn whole
 * (tracing data) or skipped (fn NULL: AUX data). In a file they are in the
 * mapping; from a pipe they are read into a buffer bounded by `max`.
 */
static int src_extra(struct tk_pdat_reader *r, uint64_t n, uint64_t max, uint64_t at,
		     const char *what,
		     int (*fn)(struct tk_pdat_reader *, const uint8_t *, uint64_t, uint64_t))
{
	uint8_t *buf;
	size_t got, cap;
	int ret = 0;

	if (r->src == PDAT_SRC_FILE) {
		if (n > r->data_end - r->pos)
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
					  "%s of %" PRIu64 " bytes runs past the end of the data", what,
					  n);
		if (fn)
			ret = fn(r, r->map + r->pos, n, r->pos);
		src_advance(r, n);
		return ret;
	}
	if (!fn) {
		while (n) {
			size_t step = n < TK_PDAT_PIPE_BUF ? (size_t)n : TK_PDAT_PIPE_BUF;

			ret = pipe_fill(r, step);
			if (ret < 0)
				return ret;
			if (!ret)
				return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
						  "input ends inside %s", what);
			src_advance(r, step);
			n -= step;
		}
		return 0;
	}
	if (n > max)
		return tk_err_set(&r->err, TK_ELIMIT, (int64_t)at, "%s of %" PRIu64 " bytes", what,
				  n);
	/* The buffer grows with what arrives, so a size that lies costs no
	 * more memory than the input really holds. */
	cap = n < TK_PDAT_PIPE_BUF ? (size_t)n : TK_PDAT_PIPE_BUF;
	buf = malloc(cap ? cap : 1);
	if (!buf)
		return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
	got = r->pbuf_end - r->pbuf_start;
	if (got > n)
		got = (size_t)n;
	memcpy(buf, r->pbuf + r->pbuf_start, got);
	r->pbuf_start += got;
	while (got < n) {
		ssize_t k;

		if (got == cap) {
			size_t ncap = cap * 2 < n ? cap * 2 : (size_t)n;
			uint8_t *nb = realloc(buf, ncap);

			if (!nb) {
				free(buf);
				return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
			}
			buf = nb;
			cap = ncap;
		}
		k = read(r->fd, buf + got, cap - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			free(buf);
			return tk_err_sys(&r->err, errno, (int64_t)(r->pos + got), "cannot read");
		}
		if (k == 0) {
			free(buf);
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at, "input ends inside %s",
					  what);
		}
		got += (size_t)k;
		r->bytes_read += (uint64_t)k;
	}
	ret = fn(r, buf, n, r->pos);
	r->pos += n;
	free(buf);
	return ret;
}

/* The next record of the file (or pipe) itself. 1, 0 at the end, or < 0. */
static int src_record(struct tk_pdat_reader *r, struct rawrec *out)
{
	const uint8_t *p;
	size_t have;
	uint32_t size;
	int ret;

	ret = src_peek(r, 8, &p, &have);
	if (ret)
		return ret;
	if (have == 0)
		return 0;
	if (have >= 8)
		size = load16(p + 6, r->swap);
	else
		size = 0;
	if (have >= 8 && size >= 8) {
		ret = src_peek(r, size, &p, &have);
		if (ret)
			return ret;
	}
	if (have < 8 || size < 8 || have < size) {
		if (r->info.salvaged) {
			/* the recorder was killed: what follows is not whole */
			r->info.salvage_dropped = r->data_end - r->pos;
			r->pos = r->data_end;
			return 0;
		}
		if (have >= 8 && size < 8)
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)r->pos,
					  "record size %u (at least 8 expected)", size);
		if (have < 8)
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)r->pos,
					  "data ends inside a record header (%zu of 8 bytes)", have);
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)r->pos,
				  "record of %u bytes runs past the end of the data (%zu left)", size,
				  have);
	}
	out->p = p;
	out->size = size;
	out->type = tk_load_u32(p, r->swap);
	out->off = r->pos;
	drop_behind(r, r->in_decomp ? r->zrec_off : r->pos);
	src_advance(r, size);
	return 1;
}

/* ---- compressed records -------------------------------------------------- */

static int decomp_start(struct tk_pdat_reader *r, const struct rawrec *rr)
{
	const uint8_t *z = rr->p + 8;
	size_t zlen = rr->size - 8;

	if (rr->type == TK_PDAT_COMPRESSED2) {
		/* u64 data_size, zstd bytes, padding to 8 */
		uint64_t dsize;

		if (rr->size < 16)
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)rr->off,
					  "COMPRESSED2 record of %u bytes", rr->size);
		dsize = tk_load_u64(rr->p + 8, r->swap);
		if (dsize > rr->size - 16u)
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)rr->off,
					  "COMPRESSED2 claims %" PRIu64 " bytes in a %u-byte record",
					  dsize, rr->size);
		z = rr->p + 16;
		zlen = (size_t)dsize;
	}
	if (!r->zds) {
		size_t e;

		r->zds = ZSTD_createDStream();
		if (!r->zds)
			return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
		e = ZSTD_DCtx_setParameter(r->zds, ZSTD_d_windowLogMax,
					   TK_PDAT_ZSTD_WINDOW_LOG_MAX);
		if (ZSTD_isError(e))
			return tk_err_set(&r->err, TK_ENOMEM, -1, "zstd: %s", ZSTD_getErrorName(e));
	}
	if (!r->dbuf) {
		r->dbuf = malloc(TK_PDAT_DECOMP_BUF);
		if (!r->dbuf)
			return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
	}
	r->zin = z;
	r->zin_len = zlen;
	r->zin_pos = 0;
	r->zrec_off = rr->off;
	r->in_decomp = true;
	r->counts.compressed_bytes += zlen;
	return 0;
}

/*
 * The next record out of the decompressed stream: 1, or 0 when this
 * COMPRESSED record's bytes are used up (a partial record stays in dbuf
 * for the next one), or < 0.
 */
static int decomp_record(struct tk_pdat_reader *r, struct rawrec *out)
{
	for (;;) {
		size_t have = r->dbuf_end - r->dbuf_start;
		ZSTD_inBuffer in;
		ZSTD_outBuffer o;
		size_t ret;

		if (have >= 8) {
			const uint8_t *p = r->dbuf + r->dbuf_start;
			uint32_t size = load16(p + 6, r->swap);

			if (size < 8)
				return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)r->zrec_off,
						  "compressed data holds a record of size %u", size);
			if (size <= have) {
				out->p = p;
				out->size = size;
				out->type = tk_load_u32(p, r->swap);
				out->off = r->zrec_off;
				r->dbuf_start += size;
				if (out->type == TK_PDAT_COMPRESSED || out->type == TK_PDAT_COMPRESSED2 ||
				    out->type == TK_PDAT_HEADER_TRACING_DATA ||
				    out->type == REC_AUXTRACE)
					return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)r->zrec_off,
							  "record type %u inside compressed data",
							  out->type);
				return 1;
			}
		}
		if (r->zin_pos >= r->zin_len && !r->zflush)
			return 0;
		if (r->dbuf_start) {
			memmove(r->dbuf, r->dbuf + r->dbuf_start, have);
			r->dbuf_start = 0;
			r->dbuf_end = have;
		}
		in = (ZSTD_inBuffer){ r->zin, r->zin_len, r->zin_pos };
		o = (ZSTD_outBuffer){ r->dbuf, TK_PDAT_DECOMP_BUF, r->dbuf_end };
		ret = ZSTD_decompressStream(r->zds, &o, &in);
		if (ZSTD_isError(ret))
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)r->zrec_off,
					  "compressed record does not decompress (%s)",
					  ZSTD_getErrorName(ret));
		r->counts.decompressed_bytes += o.pos - r->dbuf_end;
		/* a full output buffer may leave output inside zstd */
		r->zflush = o.pos == o.size;
		if (!r->zflush && in.pos == r->zin_pos && o.pos == r->dbuf_end)
			r->zin_pos = r->zin_len;	/* no progress: nothing more here */
		else
			r->zin_pos = in.pos;
		r->dbuf_end = o.pos;
	}
}

/* The next record in file order, compressed ones opened up. */
static int next_raw(struct tk_pdat_reader *r, struct rawrec *rr)
{
	int ret;

	for (;;) {
		if (r->in_decomp) {
			ret = decomp_record(r, rr);
			if (ret > 0)
				r->counts.by_type[rr->type < 128 ? rr->type : 127]++;
			if (ret)
				return ret;
			r->in_decomp = false;
		}
		ret = src_record(r, rr);
		if (ret <= 0) {
			if (ret == 0 && r->dbuf_end > r->dbuf_start) {
				if (r->info.salvaged) {
					r->info.salvage_dropped += r->dbuf_end - r->dbuf_start;
					r->dbuf_end = r->dbuf_start;
					return 0;
				}
				return tk_err_set(&r->err, TK_ETRUNC, (int64_t)r->zrec_off,
						  "compressed data ends inside a record (%zu bytes left)",
						  r->dbuf_end - r->dbuf_start);
			}
			return ret;
		}
		r->counts.by_type[rr->type < 128 ? rr->type : 127]++;
		if (rr->type == TK_PDAT_COMPRESSED || rr->type == TK_PDAT_COMPRESSED2) {
			ret = decomp_start(r, rr);
			if (ret)
				return ret;
			continue;
		}
		if (rr->type == TK_PDAT_HEADER_TRACING_DATA) {
			/* u32 size; the tracing data follows the 12-byte record */
			uint32_t n;

			if (rr->size < 12)
				return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)rr->off,
						  "tracing data record of %u bytes", rr->size);
			n = tk_load_u32(rr->p + 8, r->swap);
			/* the record bytes may move when the pipe buffer refills */
			memcpy(r->pend, rr->p, rr->size);
			rr->p = r->pend;
			ret = src_extra(r, n, TK_PDAT_MAX_TRACING, rr->off, "tracing data",
					tk_pdat__tracing_data);
			if (ret)
				return ret;
			return 1;
		}
		if (rr->type == REC_AUXTRACE) {
			/* u64 size, offset, reference; ...: size bytes of AUX data
			 * follow the record */
			uint64_t n;

			if (rr->size < 16)
				return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)rr->off,
						  "AUXTRACE record of %u bytes", rr->size);
			n = tk_load_u64(rr->p + 8, r->swap);
			memcpy(r->pend, rr->p, rr->size);
			rr->p = r->pend;
			ret = src_extra(r, n, 0, rr->off, "AUX data", NULL);
			if (ret)
				return ret;
			return 1;
		}
		return 1;
	}
}

/* ---- which attr, which time (perf's evlist__event2evsel) ---------------- */

static bool id_at(const struct tk_pdat_reader *r, const struct rawrec *rr, int id_pos,
		  int is_pos, uint64_t *id)
{
	uint32_t n = (rr->size - 8) / 8;

	if (rr->type == TK_PDAT_SAMPLE) {
		if (id_pos < 0 || (uint32_t)id_pos >= n)
			return false;
		*id = tk_load_u64(rr->p + 8 + 8 * (uint32_t)id_pos, r->swap);
	} else {
		if (is_pos < 0 || (uint32_t)is_pos > n)
			return false;
		*id = tk_load_u64(rr->p + 8 + 8 * (n - (uint32_t)is_pos), r->swap);
	}
	return true;
}

static int rec_attr(const struct tk_pdat_reader *r, const struct rawrec *rr)
{
	const struct pdat_attr *a0;
	uint64_t id;
	int i, k;

	if (!r->nattrs)
		return -1;
	if (r->nattrs == 1)
		return 0;
	a0 = r->attrs[0];
	if (rr->type != TK_PDAT_SAMPLE && !a0->pub.sample_id_all)
		return 0;
	if (!r->mixed_pos) {
		if (!id_at(r, rr, a0->id_pos, a0->is_pos, &id))
			return a0->id_pos < 0 ? 0 : -1;
		return tk_pdat__attr_of_id(r, id);
	}
	/* Attrs disagree on where the id is (perf refuses such files): take
	 * the attr whose own position holds one of its own ids. */
	for (i = 0; i < r->nattrs; i++) {
		if (!id_at(r, rr, r->attrs[i]->id_pos, r->attrs[i]->is_pos, &id))
			continue;
		k = tk_pdat__attr_of_id(r, id);
		if (k == i && id)
			return i;
	}
	return -1;
}

static uint64_t rec_time(const struct tk_pdat_reader *r, const struct rawrec *rr, int attr)
{
	const struct pdat_attr *a;
	uint64_t st;
	uint32_t off;

	if (attr < 0 || rr->type >= 64)
		return TK_PDAT_NO_TIME;
	a = r->attrs[attr];
	st = a->pub.sample_type;
	if (!(st & TK_PS_TIME))
		return TK_PDAT_NO_TIME;
	if (rr->type == TK_PDAT_SAMPLE) {
		off = 8 + 8 * (!!(st & TK_PS_IDENTIFIER) + !!(st & TK_PS_IP) + !!(st & TK_PS_TID));
	} else {
		if (!a->pub.sample_id_all || rr->size - 8 < a->sid_size)
			return TK_PDAT_NO_TIME;
		off = rr->size - a->sid_size + (st & TK_PS_TID ? 8 : 0);
	}
	if (off + 8 > rr->size)
		return TK_PDAT_NO_TIME;
	return tk_load_u64(rr->p + off, r->swap);
}

/* ---- perf's own records (type >= 64): what they tell the reader --------- */

static int user_record(struct tk_pdat_reader *r, const struct rawrec *rr)
{
	struct tk_cursor c;
	uint16_t misc = load16(rr->p + 4, r->swap);
	int k, ret;

	tk_cur_init(&c, rr->p + 8, rr->size - 8, rr->off + 8, r->swap);
	switch (rr->type) {
	case TK_PDAT_HEADER_ATTR:
		/* attr (attr.size bytes), then u64 ids to the end */
		k = tk_pdat__add_attr(r, &c, rr->size - 8, (int64_t)rr->off);
		if (k < 0)
			return k;
		return tk_pdat__add_ids(r, k, &c, tk_cur_left(&c) / 8, (int64_t)rr->off);
	case TK_PDAT_HEADER_BUILD_ID:
		return tk_pdat__buildid_entry(r, &c, misc, rr->size, (int64_t)rr->off);
	case TK_PDAT_ID_INDEX: {
		/* u64 nr; nr x { u64 id, idx, cpu, tid } (idx is the mmap index,
		 * not an attr: ids map to attrs through the attrs' id arrays) */
		uint64_t nr = tk_cur_u64(&c);

		if (c.trunc || nr > tk_cur_left(&c) / 32)
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)rr->off,
					  "ID_INDEX of %" PRIu64 " entries in %u bytes", nr, rr->size);
		return 0;
	}
	case TK_PDAT_THREAD_MAP: {
		/* u64 nr; nr x { u64 pid; char comm[16] } */
		uint64_t nr = tk_cur_u64(&c);

		if (c.trunc || nr > tk_cur_left(&c) / 24)
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)rr->off,
					  "THREAD_MAP of %" PRIu64 " entries in %u bytes", nr,
					  rr->size);
		return 0;
	}
	case TK_PDAT_EVENT_UPDATE: {
		/* u64 type, u64 id, data; type 2: the attr's name */
		uint64_t type = tk_cur_u64(&c), id = tk_cur_u64(&c);

		if (c.trunc)
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)rr->off,
					  "EVENT_UPDATE of %u bytes", rr->size);
		if (type == EVENT_UPDATE_NAME)
			return tk_pdat__set_attr_name(r, tk_pdat__attr_of_id(r, id),
						      (const char *)c.base + c.pos,
						      tk_cur_left(&c));
		return 0;
	}
	case TK_PDAT_HEADER_FEATURE: {
		/* u64 feature id, then the same bytes as a file's section */
		uint64_t feat = tk_cur_u64(&c);

		if (c.trunc)
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)rr->off,
					  "FEATURE record of %u bytes", rr->size);
		if (feat >= TK_PDAT_NFEAT)
			return 0;
		r->info.features[feat / 64] |= 1ull << (feat % 64);
		ret = tk_pdat__feature(r, (int)feat, c.base + c.pos, tk_cur_left(&c),
				       rr->off + 16);
		return ret;
	}
	default:
		return 0;
	}
}

static bool type_decoded(uint32_t t)
{
	switch (t) {
	case TK_PDAT_MMAP: case TK_PDAT_LOST: case TK_PDAT_COMM: case TK_PDAT_EXIT:
	case TK_PDAT_THROTTLE: case TK_PDAT_UNTHROTTLE: case TK_PDAT_FORK: case TK_PDAT_SAMPLE:
	case TK_PDAT_MMAP2: case TK_PDAT_LOST_SAMPLES: case TK_PDAT_SWITCH:
	case TK_PDAT_SWITCH_CPU_WIDE: case TK_PDAT_KSYMBOL:
	case TK_PDAT_HEADER_ATTR: case TK_PDAT_HEADER_TRACING_DATA: case TK_PDAT_HEADER_BUILD_ID:
	case TK_PDAT_FINISHED_ROUND: case TK_PDAT_ID_INDEX: case TK_PDAT_THREAD_MAP:
	case TK_PDAT_CPU_MAP: case TK_PDAT_EVENT_UPDATE: case TK_PDAT_TIME_CONV:
	case TK_PDAT_HEADER_FEATURE: case TK_PDAT_FINISHED_INIT: case REC_AUXTRACE:
		return true;
	default:
		return false;
	}
}

/* ---- decoding ------------------------------------------------------------ */

static int rec_corrupt(struct tk_pdat_reader *r, const struct tk_pdat_rec *out, const char *what)
{
	return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)out->offset,
			  "record type %u of %u bytes: %s", out->type, out->size, what);
}

/* n u64s from the cursor into the words buffer, host order. */
static const uint64_t *take_words(struct tk_pdat_reader *r, struct tk_cursor *c, uint64_t n,
				  size_t *used)
{
	uint64_t *dst;
	uint64_t i;

	if (n > tk_cur_left(c) / 8 || *used + n > r->words_cap) {
		c->trunc = true;
		return NULL;
	}
	dst = r->words + *used;
	for (i = 0; i < n; i++)
		dst[i] = tk_cur_u64(c);
	*used += (size_t)n;
	return dst;
}

static int decode_sample(struct tk_pdat_reader *r, const struct pdat_attr *a,
			 struct tk_pdat_rec *out)
{
	struct tk_pdat_sample *s = &out->u.sample;
	uint64_t st = a->pub.sample_type;
	struct tk_cursor c;
	size_t used = 0;

	tk_cur_init(&c, out->data + 8, out->size - 8u, out->offset, r->swap);
	if (st & TK_PS_IDENTIFIER)
		s->id = tk_cur_u64(&c);
	if (st & TK_PS_IP)
		s->ip = tk_cur_u64(&c);
	if (st & TK_PS_TID) {
		s->pid = tk_cur_u32(&c);
		s->tid = tk_cur_u32(&c);
	}
	if (st & TK_PS_TIME) {
		s->time = tk_cur_u64(&c);
		out->time = s->time;
	}
	if (st & TK_PS_ADDR)
		s->addr = tk_cur_u64(&c);
	if (st & TK_PS_ID)
		s->id = tk_cur_u64(&c);
	if (st & TK_PS_STREAM_ID)
		s->stream_id = tk_cur_u64(&c);
	if (st & TK_PS_CPU) {
		s->cpu = tk_cur_u32(&c);
		tk_cur_u32(&c);
	}
	if (st & TK_PS_PERIOD)
		s->period = tk_cur_u64(&c);
	if (st & TK_PS_READ) {
		/* no GROUP: value [enabled] [running] [id] [lost]
		 * GROUP: nr [enabled] [running] nr x { value [id] [lost] } */
		uint64_t rf = a->pub.read_format, n, head;

		head = 1 + !!(rf & RF_TOTAL_TIME_ENABLED) + !!(rf & RF_TOTAL_TIME_RUNNING);
		if (rf & RF_GROUP) {
			uint64_t nr = tk_cur_left(&c) >= 8 ? tk_load_u64(c.base + c.pos, r->swap) : 0;

			if (nr > tk_cur_left(&c) / 8)
				return rec_corrupt(r, out, "read group runs past the record");
			n = head + nr * (1 + !!(rf & RF_ID) + !!(rf & RF_LOST));
		} else {
			n = head + !!(rf & RF_ID) + !!(rf & RF_LOST);
		}
		s->read = take_words(r, &c, n, &used);
		s->read_nwords = (uint32_t)n;
	}
	if (st & TK_PS_CALLCHAIN) {
		s->nr = tk_cur_u64(&c);
		if (s->nr > tk_cur_left(&c) / 8)
			return rec_corrupt(r, out, "callchain runs past the record");
		s->callchain = take_words(r, &c, s->nr, &used);
	}
	if (st & TK_PS_RAW) {
		uint32_t n = tk_cur_u32(&c);
		const uint8_t *p;

		if (n > tk_cur_left(&c))
			return rec_corrupt(r, out, "raw data runs past the record");
		p = tk_cur_bytes(&c, n);
		if (!p)
			return rec_corrupt(r, out, "shorter than its attr's sample_type says");
		/* a copy followed by zeroes, so libtraceevent stays inside */
		memcpy(r->raw, p, n);
		if (r->raw_used > n)
			memset(r->raw + n, 0, r->raw_used - n);
		r->raw_used = n;
		s->raw = r->raw;
		s->raw_size = n;
	}
	if (st & TK_PS_BRANCH_STACK) {
		uint64_t nr = tk_cur_u64(&c);

		if (nr > tk_cur_left(&c) / 24)
			return rec_corrupt(r, out, "branch stack runs past the record");
		if (a->pub.branch_sample_type & BRANCH_HW_INDEX)
			tk_cur_u64(&c);
		s->branch_nr = nr;
		s->branch = take_words(r, &c, nr * 3, &used);
		if (a->pub.branch_sample_type & BRANCH_COUNTERS)
			tk_cur_bytes(&c, (size_t)nr * 8);
	}
	if (st & TK_PS_REGS_USER) {
		s->regs_user_abi = tk_cur_u64(&c);
		if (s->regs_user_abi) {
			s->regs_user_n = (uint32_t)__builtin_popcountll(a->pub.sample_regs_user);
			s->regs_user = take_words(r, &c, s->regs_user_n, &used);
		}
	}
	if (st & TK_PS_STACK_USER) {
		uint64_t n = tk_cur_u64(&c);

		if (n > tk_cur_left(&c))
			return rec_corrupt(r, out, "user stack runs past the record");
		tk_cur_bytes(&c, (size_t)n);
		if (n)
			s->stack_user_size = tk_cur_u64(&c);	/* dyn_size, as perf */
	}
	if (st & (TK_PS_WEIGHT | TK_PS_WEIGHT_STRUCT))
		s->weight = tk_cur_u64(&c);
	if (st & TK_PS_DATA_SRC)
		s->data_src = tk_cur_u64(&c);
	if (st & TK_PS_TRANSACTION)
		s->transaction = tk_cur_u64(&c);
	if (st & TK_PS_REGS_INTR) {
		if (tk_cur_u64(&c))
			tk_cur_bytes(&c, 8u * (size_t)__builtin_popcountll(a->pub.sample_regs_intr));
	}
	if (st & TK_PS_PHYS_ADDR)
		s->phys_addr = tk_cur_u64(&c);
	if (st & TK_PS_CGROUP)
		s->cgroup = tk_cur_u64(&c);
	if (st & TK_PS_DATA_PAGE_SIZE)
		s->data_page_size = tk_cur_u64(&c);
	if (st & TK_PS_CODE_PAGE_SIZE)
		s->code_page_size = tk_cur_u64(&c);
	if (st & TK_PS_AUX) {
		uint64_t n = tk_cur_u64(&c);

		if (n > tk_cur_left(&c))
			return rec_corrupt(r, out, "AUX sample data runs past the record");
		tk_cur_bytes(&c, (size_t)n);
	}
	if (c.trunc)
		return rec_corrupt(r, out, "shorter than its attr's sample_type says");
	return 1;
}

/* sample_id trailer: TID, TIME, ID, STREAM_ID, CPU, IDENTIFIER, each when
 * in sample_type, at the very end of the record. */
static void decode_sid(struct tk_pdat_reader *r, const struct pdat_attr *a,
		       struct tk_pdat_rec *out)
{
	struct tk_pdat_sid *sid = &out->sid;
	uint64_t st = a->pub.sample_type;
	struct tk_cursor c;

	tk_cur_init(&c, out->data + out->size - a->sid_size, a->sid_size, out->offset, r->swap);
	if (st & TK_PS_TID) {
		sid->pid = tk_cur_u32(&c);
		sid->tid = tk_cur_u32(&c);
	}
	if (st & TK_PS_TIME) {
		sid->time = tk_cur_u64(&c);
		out->time = sid->time;
	}
	if (st & TK_PS_ID)
		sid->id = tk_cur_u64(&c);
	if (st & TK_PS_STREAM_ID)
		sid->stream_id = tk_cur_u64(&c);
	if (st & TK_PS_CPU) {
		sid->cpu = tk_cur_u32(&c);
		tk_cur_u32(&c);
	}
	if (st & TK_PS_IDENTIFIER)
		sid->id = tk_cur_u64(&c);
	sid->valid = true;
}

static int body_str(struct tk_pdat_reader *r, struct tk_cursor *c, const struct tk_pdat_rec *out,
		    const char **s)
{
	*s = tk_cur_str0(c);
	if (!*s)
		return rec_corrupt(r, out, "string without a NUL");
	return 0;
}

static int decode(struct tk_pdat_reader *r, const uint8_t *p, uint32_t size, uint64_t off,
		  int attr, struct tk_pdat_rec *out)
{
	const struct pdat_attr *a = attr >= 0 && attr < r->nattrs ? r->attrs[attr] : NULL;
	struct tk_cursor c;
	uint32_t body;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->type = tk_load_u32(p, r->swap);
	out->misc = load16(p + 4, r->swap);
	out->size = (uint16_t)size;
	out->offset = off;
	out->time = TK_PDAT_NO_TIME;
	out->attr = out->type >= 64 ? -1 : (a ? attr : -1);
	out->data = p;
	r->counts.records++;
	if (out->type >= 64 || !a)
		return 1;
	if (out->type == TK_PDAT_SAMPLE)
		return decode_sample(r, a, out);

	body = size - 8;
	if (a->pub.sample_id_all && a->sid_size && body >= a->sid_size) {
		decode_sid(r, a, out);
		body -= a->sid_size;
	}
	tk_cur_init(&c, p + 8, body, off, r->swap);
	switch (out->type) {
	case TK_PDAT_MMAP:
	case TK_PDAT_MMAP2:
		out->u.mmap.pid = tk_cur_u32(&c);
		out->u.mmap.tid = tk_cur_u32(&c);
		out->u.mmap.start = tk_cur_u64(&c);
		out->u.mmap.len = tk_cur_u64(&c);
		out->u.mmap.pgoff = tk_cur_u64(&c);
		if (out->type == TK_PDAT_MMAP2) {
			if (out->misc & TK_PDAT_MISC_MMAP_BUILD_ID) {
				/* u8 size, u8, u16 reserved, u8 build_id[20] */
				uint8_t n = tk_cur_u8(&c);
				const uint8_t *id;

				tk_cur_bytes(&c, 3);
				id = tk_cur_bytes(&c, 20);
				if (id)
					memcpy(out->u.mmap.build_id, id, 20);
				out->u.mmap.build_id_size = n <= 20 ? n : 20;
			} else {
				out->u.mmap.maj = tk_cur_u32(&c);
				out->u.mmap.min = tk_cur_u32(&c);
				out->u.mmap.ino = tk_cur_u64(&c);
				out->u.mmap.ino_generation = tk_cur_u64(&c);
			}
			out->u.mmap.prot = tk_cur_u32(&c);
			out->u.mmap.flags = tk_cur_u32(&c);
		}
		ret = body_str(r, &c, out, &out->u.mmap.filename);
		break;
	case TK_PDAT_COMM:
		out->u.comm.pid = tk_cur_u32(&c);
		out->u.comm.tid = tk_cur_u32(&c);
		out->u.comm.exec = out->misc & TK_PDAT_MISC_COMM_EXEC;
		ret = body_str(r, &c, out, &out->u.comm.comm);
		break;
	case TK_PDAT_FORK:
	case TK_PDAT_EXIT:
		out->u.fork.pid = tk_cur_u32(&c);
		out->u.fork.ppid = tk_cur_u32(&c);
		out->u.fork.tid = tk_cur_u32(&c);
		out->u.fork.ptid = tk_cur_u32(&c);
		out->u.fork.time = tk_cur_u64(&c);
		break;
	case TK_PDAT_LOST:
		out->u.lost.id = tk_cur_u64(&c);
		out->u.lost.lost = tk_cur_u64(&c);
		if (!c.trunc)
			r->counts.lost += out->u.lost.lost;
		break;
	case TK_PDAT_LOST_SAMPLES:
		out->u.lost.lost = tk_cur_u64(&c);
		if (!c.trunc)
			r->counts.lost_samples += out->u.lost.lost;
		break;
	case TK_PDAT_THROTTLE:
	case TK_PDAT_UNTHROTTLE:
		out->u.throttle.time = tk_cur_u64(&c);
		out->u.throttle.id = tk_cur_u64(&c);
		out->u.throttle.stream_id = tk_cur_u64(&c);
		break;
	case TK_PDAT_SWITCH_CPU_WIDE:
		out->u.sw.next_prev_pid = tk_cur_u32(&c);
		out->u.sw.next_prev_tid = tk_cur_u32(&c);
		break;
	case TK_PDAT_KSYMBOL:
		out->u.ksymbol.addr = tk_cur_u64(&c);
		out->u.ksymbol.len = tk_cur_u32(&c);
		out->u.ksymbol.ksym_type = tk_cur_u16(&c);
		out->u.ksymbol.flags = tk_cur_u16(&c);
		ret = body_str(r, &c, out, &out->u.ksymbol.name);
		break;
	default:
		break;
	}
	if (ret)
		return ret;
	if (c.trunc)
		return rec_corrupt(r, out, "shorter than its fields");
	return 1;
}

/* ---- the reorder queue ---------------------------------------------------- */

static bool q_less(const struct pdat_qent *x, const struct pdat_qent *y)
{
	return x->time < y->time || (x->time == y->time && x->seq < y->seq);
}

static void q_sift_up(struct tk_pdat_reader *r, size_t i)
{
	struct pdat_qent e = r->q[i];

	while (i) {
		size_t p = (i - 1) / 2;

		if (!q_less(&e, &r->q[p]))
			break;
		r->q[i] = r->q[p];
		i = p;
	}
	r->q[i] = e;
}

static void q_sift_down(struct tk_pdat_reader *r, size_t i)
{
	struct pdat_qent e = r->q[i];

	for (;;) {
		size_t l = 2 * i + 1, m;

		if (l >= r->qn)
			break;
		m = l + 1 < r->qn && q_less(&r->q[l + 1], &r->q[l]) ? l + 1 : l;
		if (!q_less(&r->q[m], &e))
			break;
		r->q[i] = r->q[m];
		i = m;
	}
	r->q[i] = e;
}

static uint64_t q_mem(const struct tk_pdat_reader *r)
{
	return (uint64_t)r->nmem_blocks * TK_PDAT_QBLOCK + r->qcap * sizeof(struct pdat_qent);
}

/* A block whose records are all handed out: keep a few for reuse. */
static void block_unref(struct tk_pdat_reader *r, int32_t b)
{
	struct pdat_qblock *blk = &r->blocks[b];

	if (--blk->live || b == r->cur_block)
		return;
	blk->used = 0;
	if (r->nspare >= TK_PDAT_QBLOCK_SPARE) {
		free(blk->mem);
		blk->mem = NULL;
		r->nmem_blocks--;
	} else {
		r->nspare++;
	}
}

static int32_t block_get(struct tk_pdat_reader *r)
{
	uint32_t i;

	for (i = 0; i < r->nblocks; i++) {
		struct pdat_qblock *b = &r->blocks[i];

		if (b->live || (int32_t)i == r->cur_block || (int32_t)i == r->held_block)
			continue;
		if (b->mem) {
			r->nspare--;
		} else {
			b->mem = malloc(TK_PDAT_QBLOCK);
			if (!b->mem)
				return -1;
			r->nmem_blocks++;
		}
		b->used = 0;
		return (int32_t)i;
	}
	if (r->nblocks >= r->blocks_cap) {
		uint32_t ncap = r->blocks_cap ? r->blocks_cap * 2 : 16;
		struct pdat_qblock *n = realloc(r->blocks, ncap * sizeof(*n));

		if (!n)
			return -1;
		r->blocks = n;
		r->blocks_cap = ncap;
	}
	r->blocks[r->nblocks].mem = malloc(TK_PDAT_QBLOCK);
	if (!r->blocks[r->nblocks].mem)
		return -1;
	r->blocks[r->nblocks].used = 0;
	r->blocks[r->nblocks].live = 0;
	r->nmem_blocks++;
	return (int32_t)r->nblocks++;
}

static int q_push(struct tk_pdat_reader *r, const struct rawrec *rr, uint64_t time, int attr)
{
	struct pdat_qblock *blk;
	struct pdat_qent *e;

	if (r->cur_block < 0 || r->blocks[r->cur_block].used + rr->size > TK_PDAT_QBLOCK) {
		int32_t old = r->cur_block, b = block_get(r);

		if (b < 0)
			return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
		r->cur_block = b;
		if (old >= 0 && !r->blocks[old].live && old != r->held_block) {
			r->blocks[old].live = 1;	/* let block_unref retire it */
			block_unref(r, old);
		}
	}
	if (r->qn >= r->qcap) {
		size_t ncap = r->qcap ? r->qcap * 2 : 1024;
		struct pdat_qent *n = realloc(r->q, ncap * sizeof(*n));

		if (!n)
			return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
		r->q = n;
		r->qcap = ncap;
	}
	blk = &r->blocks[r->cur_block];
	memcpy(blk->mem + blk->used, rr->p, rr->size);
	e = &r->q[r->qn];
	e->time = time;
	e->seq = r->seq++;
	e->offset = rr->off;
	e->block = (uint32_t)r->cur_block;
	e->pos = blk->used;
	e->attr = attr;
	e->size = (uint16_t)rr->size;
	blk->used += rr->size;
	blk->live++;
	r->qlive += rr->size + sizeof(*e);
	if (time < r->last_flush)
		r->counts.unordered++;	/* perf warns and still delivers it */
	if (!r->qn || time > r->q_max)
		r->q_max = time;
	r->qn++;
	q_sift_up(r, r->qn - 1);
	return 0;
}

/* Hand out the oldest queued record. */
static int q_pop(struct tk_pdat_reader *r, struct tk_pdat_rec *out)
{
	struct pdat_qent e = r->q[0];

	r->q[0] = r->q[--r->qn];
	if (r->qn)
		q_sift_down(r, 0);
	r->qlive -= e.size + sizeof(e);
	r->last_flush = e.time;
	/* the copy must stay until the next call: released then */
	r->held_block = (int32_t)e.block;
	return decode(r, r->blocks[e.block].mem + e.pos, e.size, e.offset, e.attr, out);
}

static bool flush_more(const struct tk_pdat_reader *r)
{
	if (!r->qn)
		return false;
	if (r->flushing == PDAT_FLUSH_TIME)
		return r->q[0].time <= r->flush_to;
	return r->qlive > r->opts.reorder_max / 2 || q_mem(r) > r->opts.reorder_max;
}

/* FINISHED_ROUND (perf's OE_FLUSH__ROUND): flush up to the limit the round
 * before set, then make the largest queued time the next limit. An empty
 * queue changes nothing; the first round flushes nothing (limit 0). */
static void finished_round(struct tk_pdat_reader *r)
{
	if (!r->qn)
		return;
	if (r->next_flush) {
		r->flushing = PDAT_FLUSH_TIME;
		r->flush_to = r->next_flush;
	}
	r->next_flush = r->q_max;
}

/* ---- tk_pdat_next ---------------------------------------------------------- */

int tk_pdat_next(struct tk_pdat_reader *r, struct tk_pdat_rec *out)
{
	struct rawrec rr = { 0 };	/* next_raw fills it when it returns 1; -O2 cannot tell */
	uint64_t time;
	int attr, ret;

	if (r->err.code)
		return -r->err.code;
	if (r->held_block >= 0) {
		int32_t b = r->held_block;

		r->held_block = -1;
		block_unref(r, b);
	}
	for (;;) {
		if (r->flushing) {
			if (flush_more(r))
				return q_pop(r, out);
			r->flushing = PDAT_FLUSH_NONE;
			if (r->have_pend) {
				r->have_pend = false;
				return decode(r, r->pend, r->pend_size, r->pend_off, -1, out);
			}
		}
		if (r->ended) {
			if (!r->qn)
				return 0;
			r->flushing = PDAT_FLUSH_TIME;	/* OE_FLUSH__FINAL */
			r->flush_to = UINT64_MAX;
			continue;
		}
		ret = next_raw(r, &rr);
		if (ret < 0)
			return ret;
		if (ret == 0) {
			r->ended = true;
			continue;
		}
		if (!type_decoded(rr.type))
			r->counts.unknown++;
		if (rr.type >= 64) {
			ret = user_record(r, &rr);
			if (ret)
				return ret;
			if (rr.type == TK_PDAT_FINISHED_ROUND && !r->opts.unordered) {
				finished_round(r);
				if (r->flushing) {
					/* handed out after the records it releases */
					memcpy(r->pend, rr.p, rr.size);
					r->pend_size = rr.size;
					r->pend_off = rr.off;
					r->have_pend = true;
					continue;
				}
			}
			return decode(r, rr.p, rr.size, rr.off, -1, out);
		}
		attr = rec_attr(r, &rr);
		time = rec_time(r, &rr, attr);
		/* perf delivers at once what has no time, and time 0
		 * (ordered_events__queue returns -ETIME for both) */
		if (r->opts.unordered || time == TK_PDAT_NO_TIME || time == 0)
			return decode(r, rr.p, rr.size, rr.off, attr, out);
		ret = q_push(r, &rr, time, attr);
		if (ret)
			return ret;
		if (q_mem(r) > r->opts.reorder_max)
			r->flushing = PDAT_FLUSH_BYTES;	/* OE_FLUSH__HALF */
	}
}

/* ---- set-up ------------------------------------------------------------------ */

int tk_pdat__rec_init(struct tk_pdat_reader *r)
{
	if (r->opts.reorder_max < MIN_REORDER)
		r->opts.reorder_max = MIN_REORDER;
	r->words_cap = TK_PDAT_MAX_RECORD / 8;
	r->words = malloc(r->words_cap * sizeof(*r->words));
	r->raw = calloc(1, TK_PDAT_MAX_RECORD + TK_PDAT_RAW_PAD);
	if (!r->words || !r->raw)
		return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
	if (r->src == PDAT_SRC_PIPE) {
		r->pbuf = malloc(TK_PDAT_PIPE_BUF);
		if (!r->pbuf)
			return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
	}
	return 0;
}

void tk_pdat__rec_fini(struct tk_pdat_reader *r)
{
	uint32_t i;

	for (i = 0; i < r->nblocks; i++)
		free(r->blocks[i].mem);
	free(r->blocks);
	free(r->q);
	free(r->words);
	free(r->raw);
	free(r->pbuf);
	free(r->dbuf);
	ZSTD_freeDStream(r->zds);
}
