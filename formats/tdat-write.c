/* SPDX-License-Identifier: MIT */
/*
 * trace.dat writer. Layouts (docs/trace-dat.md, research notes in formats.md):
 *
 * v6: init header | header_page/header_event | ftrace formats | event
 *     formats | kallsyms | printk | cmdlines | u32 ncpus | "options  \0"
 *     { u16 id, u32 size, data }... u16 0 | "flyrecord\0" | ncpus x { u64
 *     offset, u64 size } | u64 len + trace_clock text | page-aligned CPU data
 *
 * v7: init header (+ compression name/version, u64 offset of the first
 *     options section) | sections: HEADER_INFO, FTRACE_EVENTS,
 *     EVENT_FORMATS, KALLSYMS, PRINTK, CMDLINES, options #1 (offsets of
 *     those, clock, uname, version, CPU stats, CPU count; DONE links #2),
 *     BUFFER (padding and page-aligned CPU data inside the section, chunked
 *     when compressed), options #2 (the BUFFER option), STRINGS.
 *
 * Sections are laid out back to back with padding inside their sizes,
 * because trace-cmd collects STRINGS by walking sections by size from the
 * end of the init header.
 */
#include "formats/tdat-write.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

enum {
	OPT_DONE = 0,
	OPT_CPUSTAT = 2,
	OPT_BUFFER = 3,
	OPT_TRACECLOCK = 4,
	OPT_UNAME = 5,
	OPT_CPUCOUNT = 8,
	OPT_VERSION = 9,
	OPT_STRINGS = 15,
	OPT_HEADER_INFO = 16,
	OPT_FTRACE_EVENTS = 17,
	OPT_EVENT_FORMATS = 18,
	OPT_KALLSYMS = 19,
	OPT_PRINTK = 20,
	OPT_CMDLINES = 21,
};

/* The largest metadata item we build in memory (kallsyms is ~6 MB). */
#define TDATW_MAX_META (1ull << 31)

/* Growable byte buffer with a sticky allocation failure. */
struct dbuf {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

struct cpu_ent {
	int cpu;
	uint64_t off, size;
};

enum wstate { W_OPEN, W_META, W_CPU, W_DONE };

struct tk_tdatw {
	struct tk_err err;
	struct tk_tdatw_opts o;
	int fd;
	uint64_t off;			/* end of what was written */
	enum wstate state;
	char *clock;

	ZSTD_CCtx *zc;
	uint8_t *cbuf;			/* compressed output scratch */
	size_t cbuf_cap;

	struct dbuf strings;		/* v7 section descriptions */
	uint64_t opt1_done;		/* v7: offset of options #1's DONE payload */
	uint64_t v6_table;		/* v6: offset of the CPU table */
	uint64_t buf_sect;		/* v7: BUFFER section header */

	struct cpu_ent *cpus;
	int ncpu_ent;
	int last_cpu;
	bool in_cpu;
	uint64_t cpu_start;		/* first byte of this CPU's data */
	uint32_t nchunks;
	uint8_t *chunk;			/* raw pages waiting to be compressed */
	size_t chunk_len, chunk_cap;
};

/* ---- small helpers ----------------------------------------------------- */

static void db_need(struct dbuf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (b->oom || b->len + n <= b->cap)
		return;
	if (n > TDATW_MAX_META || b->len + n > TDATW_MAX_META) {
		b->oom = true;
		return;
	}
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return;
	}
	b->p = p;
	b->cap = cap;
}

static void db_put(struct dbuf *b, const void *d, size_t n)
{
	db_need(b, n);
	if (b->oom || !n)
		return;
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

/* Numbers go out in host order: the header's endian byte says which. */
static void db_u16(struct dbuf *b, uint16_t v) { db_put(b, &v, 2); }
static void db_u32(struct dbuf *b, uint32_t v) { db_put(b, &v, 4); }
static void db_u64(struct dbuf *b, uint64_t v) { db_put(b, &v, 8); }
static void db_str0(struct dbuf *b, const char *s) { db_put(b, s, strlen(s) + 1); }

static void db_free(struct dbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static bool host_bigendian(void)
{
	const uint16_t one = 1;
	uint8_t first;

	memcpy(&first, &one, 1);
	return first == 0;
}

static int fail(struct tk_tdatw *w)
{
	return w->err.code ? -w->err.code : 0;
}

static int wr_at(struct tk_tdatw *w, uint64_t off, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		ssize_t n = pwrite(w->fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return tk_err_sys(&w->err, errno, (int64_t)off, "write");
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int wr(struct tk_tdatw *w, const void *data, size_t len)
{
	int ret = wr_at(w, w->off, data, len);

	if (!ret)
		w->off += len;
	return ret;
}

static int wr_db(struct tk_tdatw *w, struct dbuf *b)
{
	if (b->oom)
		return tk_err_set(&w->err, TK_ENOMEM, -1, "out of memory building a section");
	return wr(w, b->p, b->len);
}

static int pad_to(struct tk_tdatw *w, uint64_t align)
{
	static const uint8_t zeros[4096];
	uint64_t want = (w->off + align - 1) / align * align;

	while (w->off < want) {
		size_t n = want - w->off > sizeof(zeros) ? sizeof(zeros) : (size_t)(want - w->off);
		int ret = wr(w, zeros, n);

		if (ret)
			return ret;
	}
	return 0;
}

static int ensure_cbuf(struct tk_tdatw *w, size_t srclen)
{
	size_t need = w->o.codec == TK_TDATW_ZSTD ? ZSTD_compressBound(srclen)
						  : (size_t)compressBound((uLong)srclen);
	uint8_t *p;

	if (need <= w->cbuf_cap)
		return 0;
	p = realloc(w->cbuf, need);
	if (!p)
		return tk_err_set(&w->err, TK_ENOMEM, -1, "out of memory (compression buffer)");
	w->cbuf = p;
	w->cbuf_cap = need;
	return 0;
}

/* One independent block, as trace-cmd makes them. Output in w->cbuf. */
static int compress_block(struct tk_tdatw *w, const void *src, size_t len, size_t *out)
{
	int ret = ensure_cbuf(w, len);

	if (ret)
		return ret;
	if (len > UINT32_MAX)
		return tk_err_set(&w->err, TK_ELIMIT, -1, "block of %zu bytes is too large", len);
	if (w->o.codec == TK_TDATW_ZSTD) {
		size_t n = ZSTD_compress2(w->zc, w->cbuf, w->cbuf_cap, src, len);

		if (ZSTD_isError(n))
			return tk_err_set(&w->err, TK_EIO, -1, "zstd: %s", ZSTD_getErrorName(n));
		*out = n;
	} else {
		uLongf n = (uLongf)w->cbuf_cap;
		int zr = compress2(w->cbuf, &n, src, (uLong)len, Z_BEST_COMPRESSION);

		if (zr != Z_OK)
			return tk_err_set(&w->err, zr == Z_MEM_ERROR ? TK_ENOMEM : TK_EIO, -1,
					  "zlib compress2 failed (%d)", zr);
		*out = n;
	}
	return 0;
}

static uint32_t add_string(struct tk_tdatw *w, const char *s)
{
	uint32_t id = (uint32_t)w->strings.len;

	db_str0(&w->strings, s);
	return id;
}

/*
 * v7 section: u16 id, u16 flags (bit 0 compressed), u32 description, u64
 * size; a compressed payload is u32 csize, u32 usize, csize bytes.
 * *at gets the section header's offset.
 */
static int write_section(struct tk_tdatw *w, uint16_t id, const char *desc, bool compressed,
			 const struct dbuf *payload, uint64_t *at)
{
	struct dbuf h = { 0 };
	uint16_t flags = compressed && w->o.codec != TK_TDATW_NONE ? 1 : 0;
	int ret;

	if (payload->oom)
		return tk_err_set(&w->err, TK_ENOMEM, -1, "out of memory building '%s'", desc);
	if (at)
		*at = w->off;
	db_u16(&h, id);
	db_u16(&h, flags);
	db_u32(&h, add_string(w, desc));
	if (flags) {
		size_t clen;

		ret = compress_block(w, payload->p, payload->len, &clen);
		if (ret)
			goto out;
		db_u64(&h, 8 + (uint64_t)clen);
		db_u32(&h, (uint32_t)clen);
		db_u32(&h, (uint32_t)payload->len);
		ret = wr_db(w, &h);
		if (!ret)
			ret = wr(w, w->cbuf, clen);
	} else {
		db_u64(&h, payload->len);
		ret = wr_db(w, &h);
		if (!ret)
			ret = wr(w, payload->p, payload->len);
	}
out:
	db_free(&h);
	return ret;
}

/* ---- open / metadata --------------------------------------------------- */

const char *tk_tdatw_codec_name(enum tk_tdatw_codec codec)
{
	switch (codec) {
	case TK_TDATW_ZLIB:
		return "zlib";
	case TK_TDATW_ZSTD:
		return "zstd";
	default:
		return "none";
	}
}

struct tk_tdatw *tk_tdatw_open(int fd, const char *name, const struct tk_tdatw_opts *opts,
			       struct tk_err *err)
{
	struct tk_tdatw *w;

	if (opts->version != 6 && opts->version != 7) {
		tk_err_set(err, TK_EINVAL, -1, "file version %d (6 or 7)", opts->version);
		return NULL;
	}
	if (opts->version == 6 && opts->codec != TK_TDATW_NONE) {
		tk_err_set(err, TK_EINVAL, -1, "version 6 files cannot be compressed");
		return NULL;
	}
	if (opts->page_size < 64 || opts->page_size > (16u << 20) || opts->ncpus < 1 ||
	    opts->ncpus > 65536) {
		tk_err_set(err, TK_EINVAL, -1, "page size %u / %d CPUs out of range",
			   opts->page_size, opts->ncpus);
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		return NULL;
	}
	tk_err_clear(&w->err);
	tk_err_set_file(&w->err, name);
	w->o = *opts;
	w->fd = fd;
	w->last_cpu = -1;
	w->cpus = calloc((size_t)opts->ncpus, sizeof(*w->cpus));
	if (opts->codec == TK_TDATW_ZSTD) {
		w->zc = ZSTD_createCCtx();
		/* trace-cmd's frames carry no content size; do the same so the
		 * blocks are what its reader expects byte for byte. */
		if (w->zc)
			ZSTD_CCtx_setParameter(w->zc, ZSTD_c_contentSizeFlag, 0);
	}
	if (!w->cpus || (opts->codec == TK_TDATW_ZSTD && !w->zc)) {
		tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		tk_tdatw_destroy(w);
		return NULL;
	}
	return w;
}

static void put_header_info(struct dbuf *b, const struct tk_tdatw_meta *m)
{
	db_put(b, "header_page", 12);
	db_u64(b, m->header_page.len);
	db_put(b, m->header_page.data, m->header_page.len);
	db_put(b, "header_event", 13);
	db_u64(b, m->header_event.len);
	db_put(b, m->header_event.data, m->header_event.len);
}

static void put_format_list(struct dbuf *b, const struct tk_tdatw_blob *f, size_t n)
{
	size_t i;

	db_u32(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		db_u64(b, f[i].len);
		db_put(b, f[i].data, f[i].len);
	}
}

static void put_event_formats(struct dbuf *b, const struct tk_tdatw_meta *m)
{
	size_t i;

	db_u32(b, (uint32_t)m->nsystems);
	for (i = 0; i < m->nsystems; i++) {
		db_str0(b, m->systems[i].name);
		put_format_list(b, m->systems[i].formats, m->systems[i].nformats);
	}
}

static void put_text32(struct dbuf *b, const struct tk_tdatw_blob *t)
{
	db_u32(b, (uint32_t)t->len);
	db_put(b, t->data, t->len);
}

static void put_option(struct dbuf *b, uint16_t id, const void *data, size_t len)
{
	db_u16(b, id);
	db_u32(b, (uint32_t)len);
	db_put(b, data, len);
}

static void put_option_str(struct dbuf *b, uint16_t id, const char *s)
{
	if (s)
		put_option(b, id, s, strlen(s) + 1);
}

/* The options both versions carry (v6 block, v7 options #1). */
static void put_common_options(struct tk_tdatw *w, struct dbuf *b, const struct tk_tdatw_meta *m)
{
	int i;

	put_option_str(b, OPT_TRACECLOCK, m->trace_clock);
	put_option_str(b, OPT_UNAME, m->uname);
	put_option_str(b, OPT_VERSION, m->version);
	if (m->cpustats) {
		for (i = 0; i < w->o.ncpus; i++) {
			const struct tk_tdatw_blob *s = &m->cpustats[i];
			struct dbuf t = { 0 };

			char head[32];

			/* "CPU: N" first and NUL-terminated, as trace-cmd stores it */
			snprintf(head, sizeof(head), "CPU: %d\n", i);
			db_put(&t, head, strlen(head));
			db_put(&t, s->data, s->len);
			db_put(&t, "", 1);
			if (t.oom) {
				b->oom = true;
				return;
			}
			put_option(b, OPT_CPUSTAT, t.p, t.len);
			db_free(&t);
		}
	}
}

static void init_header(struct tk_tdatw *w, struct dbuf *b)
{
	static const uint8_t magic[10] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };
	uint8_t endian = host_bigendian() ? 1 : 0;
	uint8_t lsize = (uint8_t)w->o.long_size;

	db_put(b, magic, sizeof(magic));
	db_str0(b, w->o.version == 6 ? "6" : "7");
	db_put(b, &endian, 1);
	db_put(b, &lsize, 1);
	db_u32(b, w->o.page_size);
	if (w->o.version >= 7) {
		if (w->o.codec == TK_TDATW_ZSTD) {
			db_str0(b, "zstd");
			db_str0(b, ZSTD_versionString());
		} else if (w->o.codec == TK_TDATW_ZLIB) {
			db_str0(b, "zlib");
			db_str0(b, zlibVersion());
		} else {
			db_str0(b, "none");
			db_str0(b, "");
		}
		db_u64(b, 0);	/* first options section: patched below */
	}
}

static int meta_v6(struct tk_tdatw *w, const struct tk_tdatw_meta *m)
{
	struct dbuf b = { 0 };
	uint64_t zero[2] = { 0, 0 };
	const char *clk = m->trace_clock ? m->trace_clock : "";
	int i, ret;

	init_header(w, &b);
	put_header_info(&b, m);
	put_format_list(&b, m->ftrace_formats, m->nftrace);
	put_event_formats(&b, m);
	put_text32(&b, &m->kallsyms);
	put_text32(&b, &m->printk);
	db_u64(&b, m->cmdlines.len);
	db_put(&b, m->cmdlines.data, m->cmdlines.len);
	db_u32(&b, (uint32_t)w->o.ncpus);
	db_put(&b, "options  ", 10);
	put_common_options(w, &b, m);
	db_u16(&b, OPT_DONE);
	db_put(&b, "flyrecord", 10);
	w->v6_table = b.len;
	for (i = 0; i < w->o.ncpus; i++)
		db_put(&b, zero, sizeof(zero));
	/* TRACECLOCK was written, so readers expect the clock text here too. */
	db_u64(&b, strlen(clk));
	db_put(&b, clk, strlen(clk));
	ret = wr_db(w, &b);
	db_free(&b);
	return ret;
}

static int meta_v7(struct tk_tdatw *w, const struct tk_tdatw_meta *m)
{
	static const char *const desc[6] = { "headers", "ftrace events", "events format",
					     "kallsyms", "printk", "command lines" };
	uint64_t at[6], opt1;
	struct dbuf b = { 0 };
	int i, ret;

	init_header(w, &b);
	ret = wr_db(w, &b);
	db_free(&b);
	for (i = 0; i < 6 && !ret; i++) {
		switch (i) {
		case 0:
			put_header_info(&b, m);
			break;
		case 1:
			put_format_list(&b, m->ftrace_formats, m->nftrace);
			break;
		case 2:
			put_event_formats(&b, m);
			break;
		case 3:
			put_text32(&b, &m->kallsyms);
			break;
		case 4:
			put_text32(&b, &m->printk);
			break;
		default:
			db_u64(&b, m->cmdlines.len);
			db_put(&b, m->cmdlines.data, m->cmdlines.len);
			break;
		}
		ret = write_section(w, (uint16_t)(OPT_HEADER_INFO + i), desc[i], true, &b, &at[i]);
		db_free(&b);
	}
	if (ret)
		return ret;

	/* options #1 */
	for (i = 0; i < 5; i++)
		put_option(&b, (uint16_t)(OPT_HEADER_INFO + i), &at[i], 8);
	put_common_options(w, &b, m);
	put_option(&b, OPT_CMDLINES, &at[5], 8);
	{
		uint32_t n = (uint32_t)w->o.ncpus;

		put_option(&b, OPT_CPUCOUNT, &n, 4);
	}
	db_u16(&b, OPT_DONE);
	db_u32(&b, 8);
	w->opt1_done = b.len;		/* relative for now */
	db_u64(&b, 0);
	ret = write_section(w, OPT_DONE, "options", false, &b, &opt1);
	db_free(&b);
	if (ret)
		return ret;
	w->opt1_done += opt1 + 16;
	/* the init header's pointer: magic 10, "7\0" 2, endian 1, long 1,
	 * page 4, then the two compression strings */
	{
		uint64_t p = 18 + strlen(tk_tdatw_codec_name(w->o.codec)) + 1;

		if (w->o.codec == TK_TDATW_ZSTD)
			p += strlen(ZSTD_versionString()) + 1;
		else if (w->o.codec == TK_TDATW_ZLIB)
			p += strlen(zlibVersion()) + 1;
		else
			p += 1;
		ret = wr_at(w, p, &opt1, 8);
	}
	return ret;
}

int tk_tdatw_write_meta(struct tk_tdatw *w, const struct tk_tdatw_meta *m)
{
	int ret;

	if (w->err.code)
		return fail(w);
	if (w->state != W_OPEN)
		return tk_err_set(&w->err, TK_EINVAL, -1, "metadata written twice");
	w->clock = NULL;
	ret = w->o.version == 6 ? meta_v6(w, m) : meta_v7(w, m);
	if (ret)
		return ret;
	/* The BUFFER option (v7) is written at finish, after m is gone. */
	w->clock = m->clock ? strdup(m->clock) : strdup("local");
	if (!w->clock)
		return tk_err_set(&w->err, TK_ENOMEM, -1, "out of memory");
	if (w->o.version >= 7) {
		struct dbuf h = { 0 };

		/* BUFFER section header; its size is patched at finish. */
		w->buf_sect = w->off;
		db_u16(&h, OPT_BUFFER);
		db_u16(&h, w->o.codec != TK_TDATW_NONE ? 1 : 0);
		db_u32(&h, add_string(w, "buffer flyrecord "));
		db_u64(&h, 0);
		ret = wr_db(w, &h);
		db_free(&h);
		if (ret)
			return ret;
	}
	w->state = W_META;
	return 0;
}

/* ---- CPU data ---------------------------------------------------------- */

int tk_tdatw_cpu_begin(struct tk_tdatw *w, int cpu)
{
	int ret;

	if (w->err.code)
		return fail(w);
	if (w->state != W_META || w->in_cpu || cpu <= w->last_cpu || cpu >= w->o.ncpus)
		return tk_err_set(&w->err, TK_EINVAL, -1, "CPU %d out of order", cpu);
	ret = pad_to(w, w->o.page_size);
	if (ret)
		return ret;
	w->in_cpu = true;
	w->last_cpu = cpu;
	w->cpu_start = w->off;
	w->nchunks = 0;
	w->chunk_len = 0;
	if (w->o.codec != TK_TDATW_NONE) {
		uint32_t zero = 0;

		ret = wr(w, &zero, 4);	/* chunk count, patched at cpu_end */
	}
	return ret;
}

static int flush_chunk(struct tk_tdatw *w)
{
	uint32_t hdr[2];
	size_t clen;
	int ret;

	if (!w->chunk_len)
		return 0;
	ret = compress_block(w, w->chunk, w->chunk_len, &clen);
	if (ret)
		return ret;
	hdr[0] = (uint32_t)clen;
	hdr[1] = (uint32_t)w->chunk_len;
	ret = wr(w, hdr, sizeof(hdr));
	if (!ret)
		ret = wr(w, w->cbuf, clen);
	if (!ret) {
		w->nchunks++;
		w->chunk_len = 0;
	}
	return ret;
}

int tk_tdatw_cpu_write(struct tk_tdatw *w, const void *data, size_t len)
{
	size_t chunk_bytes = (size_t)w->o.page_size * TK_TDATW_PAGES_PER_CHUNK;
	const uint8_t *p = data;
	int ret;

	if (w->err.code)
		return fail(w);
	if (!w->in_cpu || len % w->o.page_size)
		return tk_err_set(&w->err, TK_EINVAL, -1,
				  "CPU data of %zu bytes is not whole %u-byte pages", len,
				  w->o.page_size);
	if (w->o.codec == TK_TDATW_NONE)
		return wr(w, data, len);
	if (!w->chunk) {
		w->chunk = malloc(chunk_bytes);
		if (!w->chunk)
			return tk_err_set(&w->err, TK_ENOMEM, -1, "out of memory (chunk)");
		w->chunk_cap = chunk_bytes;
	}
	while (len) {
		size_t n = w->chunk_cap - w->chunk_len;

		if (n > len)
			n = len;
		memcpy(w->chunk + w->chunk_len, p, n);
		w->chunk_len += n;
		p += n;
		len -= n;
		if (w->chunk_len == w->chunk_cap) {
			ret = flush_chunk(w);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int tk_tdatw_cpu_end(struct tk_tdatw *w)
{
	struct cpu_ent *e;
	int ret;

	if (w->err.code)
		return fail(w);
	if (!w->in_cpu)
		return tk_err_set(&w->err, TK_EINVAL, -1, "no CPU begun");
	e = &w->cpus[w->ncpu_ent];
	e->cpu = w->last_cpu;
	e->off = w->cpu_start;
	if (w->o.codec != TK_TDATW_NONE) {
		ret = flush_chunk(w);
		if (ret)
			return ret;
		ret = wr_at(w, w->cpu_start, &w->nchunks, 4);
		if (ret)
			return ret;
		/* The stored size counts the chunks, not the count before them
		 * (what trace-cmd stores, and what our reader expects). */
		e->size = w->off - w->cpu_start - 4;
		if (!w->nchunks) {
			/* nothing recorded: no data at all for this CPU */
			w->off = w->cpu_start;
			e->size = 0;
		}
	} else {
		e->size = w->off - w->cpu_start;
	}
	w->ncpu_ent++;
	w->in_cpu = false;
	return 0;
}

static int finish_v6(struct tk_tdatw *w)
{
	int i, k = 0, ret = 0;

	for (i = 0; i < w->o.ncpus && !ret; i++) {
		uint64_t ent[2] = { w->off, 0 };

		/* CPUs never begun get an empty entry at the end of the file. */
		if (k < w->ncpu_ent && w->cpus[k].cpu == i) {
			ent[0] = w->cpus[k].off;
			ent[1] = w->cpus[k].size;
			k++;
		}
		ret = wr_at(w, w->v6_table + (uint64_t)i * 16, ent, sizeof(ent));
	}
	return ret;
}

static int finish_v7(struct tk_tdatw *w)
{
	struct dbuf b = { 0 }, o = { 0 };
	uint64_t size = w->off - w->buf_sect - 16, opt2;
	uint32_t n = 0;
	int i, ret;

	ret = wr_at(w, w->buf_sect + 8, &size, 8);
	if (ret)
		return ret;
	/* BUFFER: u64 section, str0 name, str0 clock, u32 page size, u32 n,
	 * n x { u32 cpu, u64 offset, u64 size }; only CPUs with data. */
	for (i = 0; i < w->ncpu_ent; i++)
		n += w->cpus[i].size ? 1 : 0;
	db_u64(&b, w->buf_sect);
	db_str0(&b, "");
	db_str0(&b, w->clock);
	db_u32(&b, w->o.page_size);
	db_u32(&b, n);
	for (i = 0; i < w->ncpu_ent; i++) {
		if (!w->cpus[i].size)
			continue;
		db_u32(&b, (uint32_t)w->cpus[i].cpu);
		db_u64(&b, w->cpus[i].off);
		db_u64(&b, w->cpus[i].size);
	}
	if (b.oom) {
		db_free(&b);
		return tk_err_set(&w->err, TK_ENOMEM, -1, "out of memory");
	}
	put_option(&o, OPT_BUFFER, b.p, b.len);
	db_free(&b);
	db_u16(&o, OPT_DONE);
	db_u32(&o, 8);
	db_u64(&o, 0);
	ret = write_section(w, OPT_DONE, "options", false, &o, &opt2);
	db_free(&o);
	if (ret)
		return ret;
	ret = wr_at(w, w->opt1_done, &opt2, 8);
	if (ret)
		return ret;
	/* STRINGS last: its own description must be in it already. */
	add_string(w, "strings");
	{
		struct dbuf s = w->strings;
		uint16_t flags = w->o.codec != TK_TDATW_NONE ? 1 : 0;
		struct dbuf h = { 0 };
		size_t clen = s.len;
		const void *payload = s.p;

		if (s.oom)
			return tk_err_set(&w->err, TK_ENOMEM, -1, "out of memory");
		db_u16(&h, OPT_STRINGS);
		db_u16(&h, flags);
		db_u32(&h, (uint32_t)(s.len - strlen("strings") - 1));
		if (flags) {
			ret = compress_block(w, s.p, s.len, &clen);
			if (ret)
				return ret;
			db_u64(&h, 8 + (uint64_t)clen);
			db_u32(&h, (uint32_t)clen);
			db_u32(&h, (uint32_t)s.len);
			payload = w->cbuf;
		} else {
			db_u64(&h, s.len);
		}
		ret = wr_db(w, &h);
		db_free(&h);
		if (!ret)
			ret = wr(w, payload, clen);
	}
	return ret;
}

int tk_tdatw_finish(struct tk_tdatw *w)
{
	int ret;

	if (w->err.code)
		return fail(w);
	if (w->state != W_META || w->in_cpu)
		return tk_err_set(&w->err, TK_EINVAL, -1, "finish before the metadata or inside a CPU");
	ret = w->o.version == 6 ? finish_v6(w) : finish_v7(w);
	if (!ret && ftruncate(w->fd, (off_t)w->off) < 0)
		ret = tk_err_sys(&w->err, errno, -1, "truncate");
	if (!ret)
		w->state = W_DONE;
	return ret;
}

uint64_t tk_tdatw_get_size(const struct tk_tdatw *w)
{
	return w->off;
}

const struct tk_err *tk_tdatw_get_err(const struct tk_tdatw *w)
{
	return &w->err;
}

void tk_tdatw_destroy(struct tk_tdatw *w)
{
	if (!w)
		return;
	ZSTD_freeCCtx(w->zc);
	free(w->cbuf);
	free(w->chunk);
	free(w->cpus);
	free(w->clock);
	db_free(&w->strings);
	free(w);
}
