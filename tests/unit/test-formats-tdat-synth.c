/* SPDX-License-Identifier: MIT */
/*
 * The trace.dat reader on synthetic files built here, byte by byte, for what
 * the real samples cannot cover: big-endian files, 32-bit kernels, v6 and v7
 * with each codec, extra buffers, unusual options and ring-buffer record
 * kinds, lost-event marks, sparse CPU lists, and damaged files.
 *
 * The writer below follows docs/trace-dat.md (formats.md sections 1-3). One
 * deliberate detail: for compressed v7 CPU data the BUFFER option's per-CPU
 * size counts the chunks only, not the u32 chunk count in front of them (what
 * trace-cmd writes and reads).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <traceevent/event-parse.h>
#include <zlib.h>
#include <zstd.h>

#include "formats/tdat.h"

/* ---- growable byte buffer in a chosen byte order ------------------------ */

struct wb {
	uint8_t *p;
	size_t len, cap;
	bool be;
};

static void wb_reserve(struct wb *b, size_t n)
{
	size_t c;

	if (b->len + n <= b->cap)
		return;
	c = b->cap ? b->cap : 256;
	while (c < b->len + n)
		c *= 2;
	b->p = realloc(b->p, c);
	assert_non_null(b->p);
	b->cap = c;
}

static void wb_free(struct wb *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static void put_bytes(struct wb *b, const void *s, size_t n)
{
	wb_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void put_zero(struct wb *b, size_t n)
{
	wb_reserve(b, n);
	memset(b->p + b->len, 0, n);
	b->len += n;
}

static void enc(uint8_t *d, uint64_t v, int n, bool be)
{
	int i;

	for (i = 0; i < n; i++)
		d[be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static void put_n(struct wb *b, uint64_t v, int n)
{
	wb_reserve(b, (size_t)n);
	enc(b->p + b->len, v, n, b->be);
	b->len += (size_t)n;
}

static void put_u8(struct wb *b, uint8_t v)
{
	put_n(b, v, 1);
}

static void put_u16(struct wb *b, uint16_t v)
{
	put_n(b, v, 2);
}

static void put_u32(struct wb *b, uint32_t v)
{
	put_n(b, v, 4);
}

static void put_u64(struct wb *b, uint64_t v)
{
	put_n(b, v, 8);
}

static void put_str0(struct wb *b, const char *s)
{
	put_bytes(b, s, strlen(s) + 1);
}

static void set_u32(struct wb *b, size_t at, uint32_t v)
{
	assert_true(at + 4 <= b->len);
	enc(b->p + at, v, 4, b->be);
}

static void set_u64(struct wb *b, size_t at, uint64_t v)
{
	assert_true(at + 8 <= b->len);
	enc(b->p + at, v, 8, b->be);
}

static void pad_to(struct wb *b, size_t align)
{
	if (b->len % align)
		put_zero(b, align - b->len % align);
}

/* ---- ring-buffer sub-buffers -------------------------------------------- */

#define PAGE		256u
#define EV_ID		42
#define T_PAD		29
#define T_EXTEND	30
#define T_STAMP		31
#define DELTA_MASK	((1u << 27) - 1)
#define PG_MISSED	1	/* commit bit 31 */
#define PG_STORED	2	/* commit bit 30 + count after the data */

struct pg {
	struct wb *b;
	size_t start;
	int kl;
};

static void pg_begin(struct pg *g, struct wb *b, int kl, uint64_t ts)
{
	g->b = b;
	g->start = b->len;
	g->kl = kl;
	put_u64(b, ts);
	put_n(b, 0, kl);
}

/* The 32-bit event header, read in file byte order. */
static void ev_word(struct wb *b, uint32_t type, uint32_t delta)
{
	assert_true(delta <= DELTA_MASK);
	put_u32(b, b->be ? (type << 27) | delta : (delta << 5) | type);
}

/* The tkev payload: common_type, common_flags, common_preempt_count,
 * common_pid, value, then `extra` pattern bytes. */
static void put_tkev(struct wb *b, int32_t pid, int32_t value, size_t extra)
{
	size_t i;

	put_u16(b, EV_ID);
	put_u8(b, 0x01);
	put_u8(b, 0x02);
	put_u32(b, (uint32_t)pid);
	put_u32(b, (uint32_t)value);
	for (i = 0; i < extra; i++)
		put_u8(b, (uint8_t)(0xa0 + i));
}

/* type_len 3: 12 bytes of payload in the short form */
static void ev_short(struct wb *b, uint32_t delta, int32_t value)
{
	ev_word(b, 3, delta);
	put_tkev(b, value + 1000, value, 0);
}

/* type_len 0: array[0] = payload + 4, payload padded to 4 */
static void ev_long(struct wb *b, uint32_t delta, int32_t value, size_t extra)
{
	ev_word(b, 0, delta);
	put_u32(b, (uint32_t)(12 + extra + 4));
	put_tkev(b, value + 1000, value, extra);
	pad_to(b, 4);
}

static void ev_extend(struct wb *b, uint64_t delta)
{
	ev_word(b, T_EXTEND, (uint32_t)(delta & DELTA_MASK));
	put_u32(b, (uint32_t)(delta >> 27));
}

static void ev_stamp(struct wb *b, uint64_t ts)
{
	ev_word(b, T_STAMP, (uint32_t)(ts & DELTA_MASK));
	put_u32(b, (uint32_t)(ts >> 27));
}

/* padding of 4 + len bytes (len counts the array[0] word itself) */
static void ev_pad(struct wb *b, uint32_t delta, uint32_t len)
{
	ev_word(b, T_PAD, delta);
	put_u32(b, len);
	put_zero(b, len - 4);
}

/* Padding that fills the sub-buffer to its end. */
static void ev_pad_to_end(struct pg *g, uint32_t delta)
{
	size_t end = g->start + PAGE;

	assert_true(end - g->b->len >= 8);
	ev_pad(g->b, delta, (uint32_t)(end - g->b->len - 4));
}

static size_t pg_data_start(const struct pg *g)
{
	return g->start + 8 + (size_t)g->kl;
}

/* Write commit (given raw, or computed from what was written plus flags),
 * the lost-event count if stored, and zero-fill to the sub-buffer size. */
static void pg_end_raw(struct pg *g, uint64_t commit)
{
	enc(g->b->p + g->start + 8, commit, g->kl, g->b->be);
	assert_true(g->b->len <= g->start + PAGE);
	put_zero(g->b, g->start + PAGE - g->b->len);
}

static void pg_end(struct pg *g, int flags, uint64_t missed)
{
	uint64_t commit = g->b->len - pg_data_start(g);

	if (flags & PG_MISSED)
		commit |= 1ull << 31;
	if (flags & PG_STORED) {
		commit |= 1ull << 30;
		put_n(g->b, missed, g->kl);
	}
	pg_end_raw(g, commit);
}

/* ---- file description and writer --------------------------------------- */

enum codec { C_NONE, C_ZLIB, C_ZSTD };

struct syn_cpu {
	int cpu;
	struct wb pages;
};

struct syn_buf {
	const char *name;
	const char *clock;	/* v7 */
	struct syn_cpu cpu[4];
	int n;
};

struct syn {
	int version;
	bool be;
	int file_long;
	int kl;
	enum codec codec;
	uint32_t header_cpus;	/* v6 CPU count field */
	int cpucount;		/* CPUCOUNT option value, -1 for none */
	const char *date, *offset;
	bool unknown_opt;
	bool traceclock;	/* v6 TRACECLOCK option + clock text */
	struct syn_buf buf[2];
	int nbuf;
	int pages_per_chunk;
	/* damage */
	int loop;		/* v7: 1 options #1 DONE -> itself; 2 last one -> itself;
				 * 3 last one -> options #1 */
	bool dup_cpu;		/* v7: buffer 0 lists its first CPU twice */
	int64_t usize_lie;	/* v7 compressed: added to buffer 0 CPU 0's first chunk usize */
};

struct layout {
	uint64_t cpu_data[2][4];	/* file offset of each listed CPU's data */
	uint64_t opt_sect[4];		/* v7 options sections */
	uint64_t buffer_opt[2];		/* v7: BUFFER option payload offsets */
};

static const char header_event_text[] =
	"# compressed entry header\n"
	"\ttype_len    :    5 bits\n"
	"\ttime_delta  :   27 bits\n"
	"\tarray       :   32 bits\n"
	"\n"
	"\tpadding     : type == 29\n"
	"\ttime_extend : type == 30\n"
	"\ttime_stamp : type == 31\n"
	"\tdata max type_len  == 28\n";

static const char tkev_format[] =
	"name: tkev\n"
	"ID: 42\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:int value;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"value=%d\", REC->value\n";

static const char cmdlines_text[] = "1001 worker\n1101 other\n";
static const char clock_text[] = "local [global] counter uptime perf\n";

static void meta_header_info(struct wb *b, int kl)
{
	char hp[512];
	int n;

	n = snprintf(hp, sizeof(hp),
		     "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
		     "\tfield: local_t commit;\toffset:8;\tsize:%d;\tsigned:1;\n"
		     "\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
		     "\tfield: char data;\toffset:%d;\tsize:%u;\tsigned:1;\n",
		     kl, 8 + kl, PAGE - 8 - (unsigned)kl);
	assert_true(n > 0 && (size_t)n < sizeof(hp));
	put_bytes(b, "header_page", 12);
	put_u64(b, (uint64_t)n);
	put_bytes(b, hp, (size_t)n);
	put_bytes(b, "header_event", 13);
	put_u64(b, sizeof(header_event_text) - 1);
	put_bytes(b, header_event_text, sizeof(header_event_text) - 1);
}

static void meta_ftrace(struct wb *b)
{
	put_u32(b, 0);
}

static void meta_events(struct wb *b)
{
	put_u32(b, 1);
	put_str0(b, "synth");
	put_u32(b, 1);
	put_u64(b, sizeof(tkev_format) - 1);
	put_bytes(b, tkev_format, sizeof(tkev_format) - 1);
}

static void meta_u32_empty(struct wb *b)
{
	put_u32(b, 0);
}

static void meta_cmdlines(struct wb *b)
{
	put_u64(b, sizeof(cmdlines_text) - 1);
	put_bytes(b, cmdlines_text, sizeof(cmdlines_text) - 1);
}

/* Append one compressed block of src to out; returns its size. */
static size_t compress_into(enum codec codec, const uint8_t *src, size_t n, struct wb *out)
{
	if (codec == C_ZLIB) {
		uLongf cap = compressBound((uLong)n);

		wb_reserve(out, cap);
		assert_int_equal(compress2(out->p + out->len, &cap, src, (uLong)n,
					   Z_BEST_COMPRESSION),
				 Z_OK);
		out->len += cap;
		return cap;
	} else {
		size_t cap = ZSTD_compressBound(n), got;
		ZSTD_CCtx *cx = ZSTD_createCCtx();

		assert_non_null(cx);
		/* as trace-cmd: frames without a content size */
		ZSTD_CCtx_setParameter(cx, ZSTD_c_contentSizeFlag, 0);
		wb_reserve(out, cap);
		got = ZSTD_compress2(cx, out->p + out->len, cap, src, n);
		assert_false(ZSTD_isError(got));
		ZSTD_freeCCtx(cx);
		out->len += got;
		return got;
	}
}

static void put_opt(struct wb *b, uint16_t id, const void *p, uint32_t size)
{
	put_u16(b, id);
	put_u32(b, size);
	put_bytes(b, p, size);
}

static void put_opt_str(struct wb *b, uint16_t id, const char *s)
{
	put_opt(b, id, s, (uint32_t)strlen(s) + 1);
}

static void put_opt_u32(struct wb *b, uint16_t id, uint32_t v)
{
	put_u16(b, id);
	put_u32(b, 4);
	put_u32(b, v);
}

static void put_opt_u64(struct wb *b, uint16_t id, uint64_t v)
{
	put_u16(b, id);
	put_u32(b, 8);
	put_u64(b, v);
}

/* DATE, OFFSET, CPUCOUNT, an unknown option: shared by v6 and v7 */
static void put_common_opts(struct wb *b, const struct syn *s)
{
	static const uint8_t junk[5] = { 0xde, 0xad, 0xbe, 0xef, 0x00 };

	if (s->unknown_opt)
		put_opt(b, 200, junk, sizeof(junk));
	if (s->date)
		put_opt_str(b, 1, s->date);
	if (s->offset)
		put_opt_str(b, 7, s->offset);
	if (s->cpucount >= 0)
		put_opt_u32(b, 8, (uint32_t)s->cpucount);
	if (s->unknown_opt)
		put_opt(b, 201, junk, 0);
}

static void put_init_header(struct wb *b, const struct syn *s)
{
	put_bytes(b, "\x17\x08\x44tracing", 10);
	put_str0(b, s->version == 6 ? "6" : "7");
	put_u8(b, s->be ? 1 : 0);
	put_u8(b, (uint8_t)s->file_long);
	put_u32(b, PAGE);
}

/* v6 "flyrecord" block with its CPU table and data. */
static void put_flyrecord_v6(struct wb *b, const struct syn *s, const struct syn_buf *sb,
			     int ncpu, uint64_t *cpu_data)
{
	size_t table;
	int i;

	put_bytes(b, "flyrecord", 10);
	table = b->len;
	put_zero(b, (size_t)ncpu * 16);
	if (s->traceclock) {
		put_u64(b, sizeof(clock_text) - 1);
		put_bytes(b, clock_text, sizeof(clock_text) - 1);
	}
	for (i = 0; i < sb->n; i++) {
		const struct syn_cpu *c = &sb->cpu[i];

		assert_true(c->cpu < ncpu);
		pad_to(b, PAGE);
		cpu_data[i] = b->len;
		set_u64(b, table + (size_t)c->cpu * 16, b->len);
		set_u64(b, table + (size_t)c->cpu * 16 + 8, c->pages.len);
		put_bytes(b, c->pages.p, c->pages.len);
	}
}

static void build_v6(struct wb *b, const struct syn *s, struct layout *lo)
{
	size_t buf_opt = 0;
	int ncpu = s->cpucount >= 0 ? s->cpucount : (int)s->header_cpus;

	put_init_header(b, s);
	meta_header_info(b, s->kl);
	meta_ftrace(b);
	meta_events(b);
	meta_u32_empty(b);	/* kallsyms */
	meta_u32_empty(b);	/* printk */
	meta_cmdlines(b);
	put_u32(b, s->header_cpus);
	put_bytes(b, "options  ", 10);
	if (s->traceclock)
		put_opt_str(b, 4, clock_text);
	put_common_opts(b, s);
	if (s->nbuf > 1) {
		put_u16(b, 3);
		put_u32(b, 8 + (uint32_t)strlen(s->buf[1].name) + 1);
		buf_opt = b->len;
		put_u64(b, 0);
		put_str0(b, s->buf[1].name);
	}
	put_u16(b, 0);
	put_flyrecord_v6(b, s, &s->buf[0], ncpu, lo->cpu_data[0]);
	if (s->nbuf > 1) {
		set_u64(b, buf_opt, b->len);
		put_flyrecord_v6(b, s, &s->buf[1], ncpu, lo->cpu_data[1]);
	}
}

/* v7 section header; returns the offset of its size field. */
static size_t section_begin(struct wb *b, uint16_t id, uint16_t flags)
{
	size_t at;

	put_u16(b, id);
	put_u16(b, flags);
	put_u32(b, 0xffffffffu);
	at = b->len;
	put_u64(b, 0);
	return at;
}

static void section_end(struct wb *b, size_t size_at)
{
	set_u64(b, size_at, b->len - (size_at + 8));
}

/* A metadata section holding what fill() writes, compressed if the file is. */
static uint64_t put_meta_section(struct wb *b, const struct syn *s, uint16_t id,
				 void (*fill)(struct wb *))
{
	struct wb raw = { .be = b->be };
	uint64_t off = b->len;
	size_t size_at;

	fill(&raw);
	size_at = section_begin(b, id, s->codec != C_NONE);
	if (s->codec == C_NONE) {
		put_bytes(b, raw.p, raw.len);
	} else {
		size_t hdr = b->len, c;

		put_u32(b, 0);
		put_u32(b, (uint32_t)raw.len);
		c = compress_into(s->codec, raw.p, raw.len, b);
		set_u32(b, hdr, (uint32_t)c);
	}
	section_end(b, size_at);
	wb_free(&raw);
	return off;
}

static void fill_header_info8(struct wb *b)
{
	meta_header_info(b, 8);
}

static void fill_header_info4(struct wb *b)
{
	meta_header_info(b, 4);
}

/* u32 nchunks, then { u32 csize, u32 usize, data } of pages_per_chunk pages */
static uint64_t put_chunks(struct wb *b, const struct syn *s, const struct wb *pages,
			   int64_t lie)
{
	size_t start = b->len, step = (size_t)s->pages_per_chunk * PAGE, at;
	uint32_t n = 0;

	put_u32(b, 0);
	for (at = 0; at < pages->len; at += step) {
		size_t u = pages->len - at < step ? pages->len - at : step, hdr = b->len, c;

		put_u32(b, 0);
		put_u32(b, (uint32_t)((int64_t)u + (n == 0 ? lie : 0)));
		c = compress_into(s->codec, pages->p + at, u, b);
		set_u32(b, hdr, (uint32_t)c);
		n++;
	}
	set_u32(b, start, n);
	return b->len - start - 4;	/* the chunks, not the count */
}

static void build_v7(struct wb *b, const struct syn *s, struct layout *lo)
{
	uint64_t meta[6];
	size_t first_at, size_at, done_next[4];
	int i, j, nopt = 0;

	put_init_header(b, s);
	if (s->codec == C_NONE) {
		put_str0(b, "none");
		put_str0(b, "");
	} else if (s->codec == C_ZLIB) {
		put_str0(b, "zlib");
		put_str0(b, zlibVersion());
	} else {
		put_str0(b, "zstd");
		put_str0(b, ZSTD_versionString());
	}
	first_at = b->len;
	put_u64(b, 0);

	meta[0] = put_meta_section(b, s, 16, s->kl == 8 ? fill_header_info8 : fill_header_info4);
	meta[1] = put_meta_section(b, s, 17, meta_ftrace);
	meta[2] = put_meta_section(b, s, 18, meta_events);
	meta[3] = put_meta_section(b, s, 19, meta_u32_empty);
	meta[4] = put_meta_section(b, s, 20, meta_u32_empty);
	meta[5] = put_meta_section(b, s, 21, meta_cmdlines);

	/* options #1: metadata offsets and the file-wide options */
	lo->opt_sect[nopt] = b->len;
	set_u64(b, first_at, b->len);
	size_at = section_begin(b, 0, 0);
	for (i = 0; i < 6; i++)
		put_opt_u64(b, (uint16_t)(16 + i), meta[i]);
	put_common_opts(b, s);
	put_u16(b, 0);
	put_u32(b, 8);
	done_next[nopt++] = b->len;
	put_u64(b, 0);
	section_end(b, size_at);

	for (i = 0; i < s->nbuf; i++) {
		const struct syn_buf *sb = &s->buf[i];
		uint64_t sect = b->len, sizes[4];
		int n = sb->n + (i == 0 && s->dup_cpu ? 1 : 0);

		/* BUFFER section: page-aligned CPU data, nothing else */
		size_at = section_begin(b, 3, s->codec != C_NONE);
		for (j = 0; j < sb->n; j++) {
			pad_to(b, PAGE);
			lo->cpu_data[i][j] = b->len;
			if (s->codec == C_NONE) {
				put_bytes(b, sb->cpu[j].pages.p, sb->cpu[j].pages.len);
				sizes[j] = sb->cpu[j].pages.len;
			} else {
				sizes[j] = put_chunks(b, s, &sb->cpu[j].pages,
						      i == 0 && j == 0 ? s->usize_lie : 0);
			}
		}
		section_end(b, size_at);

		/* options #i+2: this buffer's BUFFER option, linked from the last */
		lo->opt_sect[nopt] = b->len;
		set_u64(b, done_next[nopt - 1], b->len);
		size_at = section_begin(b, 0, 0);
		put_u16(b, 3);
		put_u32(b, 8 + (uint32_t)strlen(sb->name) + 1 + (uint32_t)strlen(sb->clock) + 1 + 8 +
				   20 * (uint32_t)n);
		lo->buffer_opt[i] = b->len;
		put_u64(b, sect);
		put_str0(b, sb->name);
		put_str0(b, sb->clock);
		put_u32(b, PAGE);
		put_u32(b, (uint32_t)n);
		for (j = 0; j < n; j++) {
			int k = j < sb->n ? j : 0;

			put_u32(b, (uint32_t)sb->cpu[k].cpu);
			put_u64(b, lo->cpu_data[i][k]);
			put_u64(b, sizes[k]);
		}
		put_u16(b, 0);
		put_u32(b, 8);
		done_next[nopt++] = b->len;
		put_u64(b, 0);
		section_end(b, size_at);
	}
	if (s->loop == 1)
		set_u64(b, done_next[0], lo->opt_sect[0]);
	else if (s->loop == 2)
		set_u64(b, done_next[nopt - 1], lo->opt_sect[nopt - 1]);
	else if (s->loop == 3)
		set_u64(b, done_next[nopt - 1], lo->opt_sect[0]);
}

static void build(struct wb *b, const struct syn *s, struct layout *lo)
{
	memset(lo, 0, sizeof(*lo));
	b->be = s->be;
	if (s->version == 6)
		build_v6(b, s, lo);
	else
		build_v7(b, s, lo);
}

static void syn_free(struct syn *s)
{
	int i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < 4; j++)
			wb_free(&s->buf[i].cpu[j].pages);
}

/* Write to a temporary file and open it (the file is unlinked at once). */
static int open_bytes(const struct wb *b, const struct tk_tdat_opts *o, struct tk_tdat_reader **r,
		      struct tk_err *e)
{
	char path[] = "/tmp/tk-synth-XXXXXX";
	int fd = mkstemp(path), ret;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, b->p, b->len), (ssize_t)b->len);
	close(fd);
	tk_err_clear(e);
	ret = tk_tdat_open(path, o, r, e);
	unlink(path);
	return ret;
}

/* ---- the standard content ------------------------------------------------ */

/*
 * Buffer 0 ("" = top) has data on CPUs 0 and 2 of 4, buffer 1 ("inst") on
 * CPU 1. Values identify records; pid = value + 1000.
 */
static void std_content(struct syn *s)
{
	struct wb *w;
	struct pg g;
	int i;

	s->buf[0].name = "";
	s->buf[0].clock = "global";
	s->buf[0].n = 2;
	s->buf[0].cpu[0].cpu = 0;
	s->buf[0].cpu[1].cpu = 2;
	s->buf[1].name = "inst";
	s->buf[1].clock = "mono";
	s->buf[1].n = 1;
	s->buf[1].cpu[0].cpu = 1;
	s->nbuf = 2;
	for (i = 0; i < 2; i++) {
		s->buf[i].cpu[0].pages.be = s->be;
		s->buf[i].cpu[1].pages.be = s->be;
	}

	/* CPU 0, page A: lost events with a stored count of 7 */
	w = &s->buf[0].cpu[0].pages;
	pg_begin(&g, w, s->kl, 1000);
	ev_short(w, 0, 1);			/* 1000 */
	ev_long(w, 10, 2, 0);			/* 1010, long form */
	ev_pad(w, 5, 8);			/* discarded event: its delta counts */
	ev_short(w, 5, 3);			/* 1020 */
	ev_extend(w, (1ull << 27) + 3);
	ev_short(w, 0, 4);			/* 134218751 */
	pg_end(&g, PG_MISSED | PG_STORED, 7);
	/* CPU 0, page B: lost events, count unknown; absolute time stamp */
	pg_begin(&g, w, s->kl, 200000000);
	ev_short(w, 0, 5);			/* 200000000 */
	ev_stamp(w, 300000000);
	ev_short(w, 7, 6);			/* 300000007 */
	ev_short(w, 0, 9);			/* 300000007 */
	ev_pad_to_end(&g, 1);
	pg_end(&g, PG_MISSED, 0);
	/* CPU 0, page C */
	pg_begin(&g, w, s->kl, 350000000);
	ev_short(w, 0, 7);
	pg_end(&g, 0, 0);

	/* CPU 2, page A */
	w = &s->buf[0].cpu[1].pages;
	pg_begin(&g, w, s->kl, 1000);
	ev_short(w, 0, 101);			/* 1000: tie with CPU 0 */
	ev_long(w, 15, 102, 6);			/* 1015: 18 bytes, 20 with padding */
	pg_end(&g, 0, 0);
	/* CPU 2, page B: stored lost count 3 */
	pg_begin(&g, w, s->kl, 134218751);
	ev_short(w, 0, 103);			/* tie with CPU 0 */
	ev_short(w, 9, 104);
	pg_end(&g, PG_MISSED | PG_STORED, 3);

	/* buffer 1, CPU 1 */
	w = &s->buf[1].cpu[0].pages;
	pg_begin(&g, w, s->kl, 1010);
	ev_short(w, 0, 201);			/* 1010: tie with buffer 0 CPU 0 */
	ev_extend(w, 400000000 - 1010);
	ev_short(w, 0, 202);			/* 400000000 */
	pg_end(&g, 0, 0);
}

struct exp {
	uint64_t ts;
	int buffer, cpu;
	int32_t value;
	int64_t missed;
	int size;	/* payload bytes */
	size_t extra;	/* pattern bytes after the value */
};

static const struct exp std_expect[] = {
	{ 1000, 0, 0, 1, 7, 12, 0 },
	{ 1000, 0, 2, 101, 0, 12, 0 },
	{ 1010, 0, 0, 2, 0, 12, 0 },
	{ 1010, 1, 1, 201, 0, 12, 0 },
	{ 1015, 0, 2, 102, 0, 20, 6 },
	{ 1020, 0, 0, 3, 0, 12, 0 },
	{ 134218751, 0, 0, 4, 0, 12, 0 },
	{ 134218751, 0, 2, 103, 3, 12, 0 },
	{ 134218760, 0, 2, 104, 0, 12, 0 },
	{ 200000000, 0, 0, 5, -1, 12, 0 },
	{ 300000007, 0, 0, 6, 0, 12, 0 },
	{ 300000007, 0, 0, 9, 0, 12, 0 },
	{ 350000000, 0, 0, 7, 0, 12, 0 },
	{ 400000000, 1, 1, 202, 0, 12, 0 },
};

#define NSTD (sizeof(std_expect) / sizeof(std_expect[0]))

/* One record against its expectation, through libtraceevent too. */
static void check_rec(struct tk_tdat_reader *r, const struct tk_tdat_rec *tr, const struct exp *x,
		      int64_t shift, bool be, size_t i)
{
	struct tep_handle *tep = tk_tdat_get_tep(r);
	struct tep_record *rec = tr->rec;
	struct tep_event *ev;
	struct tep_format_field *f;
	unsigned long long val;
	struct wb want = { .be = be };

	if (rec->ts != x->ts + (uint64_t)shift || tr->buffer != x->buffer || tr->cpu != x->cpu)
		print_error("record %zu: got ts %llu buffer %d cpu %d, want ts %llu buffer %d "
			    "cpu %d (value %d)\n",
			    i, (unsigned long long)rec->ts, tr->buffer, tr->cpu,
			    (unsigned long long)(x->ts + (uint64_t)shift), x->buffer, x->cpu,
			    x->value);
	assert_int_equal(rec->ts, x->ts + (uint64_t)shift);
	assert_int_equal(tr->buffer, x->buffer);
	assert_int_equal(tr->cpu, x->cpu);
	assert_int_equal(rec->cpu, x->cpu);
	assert_int_equal(rec->size, x->size);
	assert_int_equal(rec->missed_events, x->missed);

	put_tkev(&want, x->value + 1000, x->value, x->extra);
	pad_to(&want, 4);
	assert_int_equal(want.len, (size_t)x->size);
	assert_memory_equal(rec->data, want.p, want.len);
	wb_free(&want);

	ev = tep_find_event_by_record(tep, rec);
	assert_non_null(ev);
	assert_int_equal(ev->id, EV_ID);
	assert_string_equal(ev->name, "tkev");
	assert_int_equal(tep_data_type(tep, rec), EV_ID);
	assert_int_equal(tep_data_pid(tep, rec), x->value + 1000);
	f = tep_find_field(ev, "value");
	assert_non_null(f);
	assert_int_equal(tep_read_number_field(f, rec->data, &val), 0);
	assert_int_equal((int32_t)(uint32_t)val, x->value);
	f = tep_find_common_field(ev, "common_flags");
	assert_non_null(f);
	assert_int_equal(tep_read_number_field(f, rec->data, &val), 0);
	assert_int_equal(val, 1);
	f = tep_find_common_field(ev, "common_preempt_count");
	assert_non_null(f);
	assert_int_equal(tep_read_number_field(f, rec->data, &val), 0);
	assert_int_equal(val, 2);
}

static void check_all(struct tk_tdat_reader *r, const struct exp *x, size_t n, int64_t shift,
		      bool be)
{
	struct tk_tdat_rec tr;
	size_t i;

	for (i = 0; i < n; i++) {
		int ret = tk_tdat_next(r, &tr);

		if (ret != 1)
			print_error("record %zu: tk_tdat_next = %d (%s)\n", i, ret,
				    tk_tdat_get_err(r)->msg);
		assert_int_equal(ret, 1);
		check_rec(r, &tr, &x[i], shift, be, i);
	}
	assert_int_equal(tk_tdat_next(r, &tr), 0);
	assert_int_equal(tk_tdat_next(r, &tr), 0);
}

/* ---- the format matrix ---------------------------------------------------- */

struct mcase {
	int version;
	enum codec codec;
	bool be;
	int kl;
	int file_long;
	bool raw_ts;
};

static void init_syn(struct syn *s, const struct mcase *m)
{
	memset(s, 0, sizeof(*s));
	s->version = m->version;
	s->codec = m->codec;
	s->be = m->be;
	s->kl = m->kl;
	s->file_long = m->file_long;
	s->header_cpus = 4;
	s->cpucount = -1;
	s->pages_per_chunk = 2;	/* CPU 0's 3 pages: a full chunk and a short one */
}

static const char *const codec_names[] = { "none", "zlib", "zstd" };

static void test_matrix(void **state)
{
	const struct mcase *m = *state;
	struct tk_tdat_opts o = { .raw_ts = m->raw_ts };
	const struct tk_tdat_info *in;
	const struct tk_tdat_buffer_info *bi;
	const struct tk_tdat_cpu_info *ci;
	struct tk_tdat_reader *r = NULL;
	struct tk_err e;
	struct layout lo;
	struct wb file = { 0 };
	struct syn s;
	int n, ret;

	init_syn(&s, m);
	s.header_cpus = m->version == 6 ? 1 : 4;	/* v6: CPUCOUNT overrides it */
	s.cpucount = 4;
	s.date = "0x10";	/* 16 us */
	s.offset = "1000";	/* ns */
	s.unknown_opt = true;
	s.traceclock = true;
	std_content(&s);
	build(&file, &s, &lo);

	ret = open_bytes(&file, &o, &r, &e);
	if (ret)
		print_error("open: %d %s at %lld\n", ret, e.msg, (long long)e.offset);
	assert_int_equal(ret, 0);
	in = tk_tdat_get_info(r);
	assert_int_equal(in->version, m->version);
	assert_int_equal(in->codec, m->version == 6 ? TK_TDAT_CODEC_NONE : (int)m->codec);
	assert_string_equal(in->codec_name, codec_names[m->codec]);
	if (m->codec == C_ZLIB)
		assert_string_equal(in->codec_version, zlibVersion());
	else if (m->codec == C_ZSTD)
		assert_string_equal(in->codec_version, ZSTD_versionString());
	else
		assert_string_equal(in->codec_version, "");
	assert_int_equal(in->big_endian, m->be);
	assert_int_equal(in->file_long_size, m->file_long);
	assert_int_equal(in->kernel_long_size, m->kl);
	assert_int_equal(in->page_size, PAGE);
	assert_int_equal(in->ncpus, 4);
	assert_string_equal(in->clock, "global");
	assert_int_equal(in->ts_offset, m->raw_ts ? 0 : 17000);
	assert_int_equal(in->nbuffers, 2);
	assert_int_equal(in->nevent_formats, 1);
	assert_int_equal(in->file_size, file.len);

	bi = tk_tdat_get_buffer(r, 0);
	assert_non_null(bi);
	assert_string_equal(bi->name, "");
	assert_string_equal(bi->clock, "global");
	assert_int_equal(bi->compressed, m->codec != C_NONE);
	bi = tk_tdat_get_buffer(r, 1);
	assert_non_null(bi);
	assert_string_equal(bi->name, "inst");
	assert_string_equal(bi->clock, m->version == 6 ? "global" : "mono");
	assert_int_equal(bi->page_size, PAGE);
	assert_int_equal(bi->compressed, m->codec != C_NONE);
	assert_null(tk_tdat_get_buffer(r, 2));

	ci = tk_tdat_get_cpus(r, 0, &n);
	assert_int_equal(n, 2);
	assert_int_equal(ci[0].cpu, 0);
	assert_int_equal(ci[1].cpu, 2);
	assert_int_equal(ci[0].data_offset, lo.cpu_data[0][0]);
	assert_int_equal(ci[1].data_offset, lo.cpu_data[0][1]);
	if (m->codec == C_NONE) {
		assert_int_equal(ci[0].data_size, 3 * PAGE);
		assert_int_equal(ci[1].data_size, 2 * PAGE);
	}
	ci = tk_tdat_get_cpus(r, 1, &n);
	assert_int_equal(n, 1);
	assert_int_equal(ci[0].cpu, 1);
	assert_int_equal(ci[0].data_offset, lo.cpu_data[1][0]);

	check_all(r, std_expect, NSTD, m->raw_ts ? 0 : 17000, m->be);

	ci = tk_tdat_get_cpus(r, 0, &n);
	assert_int_equal(ci[0].pages, 3);
	assert_int_equal(ci[0].lost_events, 7);
	assert_int_equal(ci[0].lost_unknown, 1);
	assert_int_equal(ci[1].pages, 2);
	assert_int_equal(ci[1].lost_events, 3);
	assert_int_equal(ci[1].lost_unknown, 0);
	ci = tk_tdat_get_cpus(r, 1, &n);
	assert_int_equal(ci[0].pages, 1);
	assert_int_equal(ci[0].lost_events, 0);
	assert_int_equal(ci[0].lost_unknown, 0);

	tk_tdat_close(r);
	wb_free(&file);
	syn_free(&s);
}

/* ---- sparse CPUs ----------------------------------------------------------- */

/* v7: only CPU 3 of 4 has data; with CPUCOUNT, and without (count derived). */
static void sparse_case(bool cpucount, bool be, enum codec codec)
{
	struct mcase m = { 7, codec, be, 8, 8, false };
	const struct tk_tdat_cpu_info *ci;
	struct tk_tdat_reader *r = NULL;
	struct tk_tdat_rec tr;
	struct tk_err e;
	struct layout lo;
	struct wb file = { 0 }, *w;
	struct syn s;
	struct pg g;
	int n;

	init_syn(&s, &m);
	s.cpucount = cpucount ? 4 : -1;
	s.nbuf = 1;
	s.buf[0].name = "";
	s.buf[0].clock = "local";
	s.buf[0].n = 1;
	s.buf[0].cpu[0].cpu = 3;
	w = &s.buf[0].cpu[0].pages;
	w->be = be;
	pg_begin(&g, w, 8, 5000);
	ev_short(w, 0, 11);
	ev_long(w, 100, 12, 0);
	pg_end(&g, 0, 0);
	build(&file, &s, &lo);

	assert_int_equal(open_bytes(&file, NULL, &r, &e), 0);
	assert_int_equal(tk_tdat_get_info(r)->ncpus, 4);
	assert_string_equal(tk_tdat_get_info(r)->clock, "local");
	ci = tk_tdat_get_cpus(r, 0, &n);
	assert_int_equal(n, 1);
	assert_int_equal(ci[0].cpu, 3);
	assert_int_equal(tk_tdat_next(r, &tr), 1);
	assert_int_equal(tr.cpu, 3);
	assert_int_equal(tr.rec->cpu, 3);
	assert_int_equal(tr.rec->ts, 5000);
	assert_int_equal(tk_tdat_next(r, &tr), 1);
	assert_int_equal(tr.cpu, 3);
	assert_int_equal(tr.rec->ts, 5100);
	assert_int_equal(tk_tdat_next(r, &tr), 0);
	tk_tdat_close(r);
	wb_free(&file);
	syn_free(&s);
}

static void test_sparse_cpu3(void **state)
{
	(void)state;
	sparse_case(true, false, C_NONE);
	sparse_case(false, false, C_NONE);
	sparse_case(true, true, C_ZSTD);
	sparse_case(false, true, C_ZLIB);
}

/* ---- damaged files --------------------------------------------------------- */

/* A one-buffer, one-CPU (CPU 0) v7 file whose pages the caller writes. */
static void small_syn(struct syn *s, enum codec codec, bool be, int kl)
{
	struct mcase m = { 7, codec, be, kl, kl, false };

	init_syn(s, &m);
	s->nbuf = 1;
	s->buf[0].name = "";
	s->buf[0].clock = "local";
	s->buf[0].n = 1;
	s->buf[0].cpu[0].cpu = 0;
	s->buf[0].cpu[0].pages.be = be;
}

static void expect_next_err(struct tk_tdat_reader *r, int code, int64_t off)
{
	struct tk_tdat_rec tr;
	const struct tk_err *e;
	int ret = tk_tdat_next(r, &tr);

	e = tk_tdat_get_err(r);
	if (ret != -code || e->offset != off)
		print_error("next: got %d at %lld (%s), want %d at %lld\n", ret,
			    (long long)e->offset, e->msg, -code, (long long)off);
	assert_int_equal(ret, -code);
	assert_int_equal(e->code, code);
	assert_int_equal(e->offset, off);
	/* the error is sticky */
	assert_int_equal(tk_tdat_next(r, &tr), -code);
}

static void test_bad_record_length(void **state)
{
	static const struct {
		bool be;
		int kl;
	} v[] = { { false, 8 }, { true, 4 } };
	size_t k;

	(void)state;
	for (k = 0; k < 2; k++) {
		struct tk_tdat_reader *r = NULL;
		struct tk_tdat_rec tr;
		struct tk_err e;
		struct layout lo;
		struct wb file = { 0 }, *w;
		struct syn s;
		struct pg g;
		size_t hdr;

		small_syn(&s, C_NONE, v[k].be, v[k].kl);
		w = &s.buf[0].cpu[0].pages;
		pg_begin(&g, w, v[k].kl, 100);
		ev_short(w, 0, 1);
		pg_end(&g, 0, 0);
		/* page 2: a long record claiming 1000 bytes, commit = whole page */
		pg_begin(&g, w, v[k].kl, 200);
		hdr = w->len;
		ev_long(w, 0, 2, 0);
		set_u32(w, hdr + 4, 1000);
		pg_end_raw(&g, PAGE - 8 - (unsigned)v[k].kl);
		build(&file, &s, &lo);

		assert_int_equal(open_bytes(&file, NULL, &r, &e), 0);
		assert_int_equal(tk_tdat_next(r, &tr), 1);
		assert_int_equal(tr.rec->ts, 100);
		expect_next_err(r, TK_ECORRUPT, (int64_t)lo.cpu_data[0][0] + PAGE);
		tk_tdat_close(r);
		wb_free(&file);
		syn_free(&s);
	}
}

/* A short-form record (type_len 28 = 112 bytes) that crosses the page end. */
static void test_bad_short_record(void **state)
{
	struct tk_tdat_reader *r = NULL;
	struct tk_err e;
	struct layout lo;
	struct wb file = { 0 }, *w;
	struct syn s;
	struct pg g;

	(void)state;
	small_syn(&s, C_NONE, false, 8);
	w = &s.buf[0].cpu[0].pages;
	pg_begin(&g, w, 8, 100);
	ev_pad(w, 1, 136);		/* a discarded event: data offsets 0..139 */
	ev_word(w, 28, 0);		/* at data offset 140: needs 116, 100 left */
	put_zero(w, 96);
	pg_end_raw(&g, PAGE - 16);
	build(&file, &s, &lo);

	assert_int_equal(open_bytes(&file, NULL, &r, &e), 0);
	expect_next_err(r, TK_ECORRUPT, (int64_t)lo.cpu_data[0][0]);
	tk_tdat_close(r);
	wb_free(&file);
	syn_free(&s);
}

static void test_bad_commit(void **state)
{
	static const struct {
		enum codec codec;
		bool be;
		int kl;
	} v[] = { { C_NONE, false, 8 }, { C_NONE, true, 4 }, { C_ZSTD, false, 8 } };
	size_t k;

	(void)state;
	for (k = 0; k < 3; k++) {
		struct tk_tdat_reader *r = NULL;
		struct tk_err e;
		struct layout lo;
		struct wb file = { 0 }, *w;
		struct syn s;
		struct pg g;

		small_syn(&s, v[k].codec, v[k].be, v[k].kl);
		w = &s.buf[0].cpu[0].pages;
		pg_begin(&g, w, v[k].kl, 100);
		ev_short(w, 0, 1);
		pg_end_raw(&g, 500);	/* > 256 - 8 - long */
		build(&file, &s, &lo);

		assert_int_equal(open_bytes(&file, NULL, &r, &e), 0);
		/* uncompressed: the page's offset; compressed: its chunk's */
		expect_next_err(r, TK_ECORRUPT,
				(int64_t)lo.cpu_data[0][0] + (v[k].codec == C_NONE ? 0 : 4));
		tk_tdat_close(r);
		wb_free(&file);
		syn_free(&s);
	}
}

/* The chunk header's usize does not match what the frame gives. */
static void test_chunk_usize_lies(void **state)
{
	static const struct {
		enum codec codec;
		int64_t lie;
	} v[] = { { C_ZSTD, PAGE }, { C_ZSTD, -(int64_t)PAGE }, { C_ZSTD, 1 },
		  { C_ZLIB, PAGE }, { C_ZLIB, -(int64_t)PAGE } };
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
		struct tk_tdat_reader *r = NULL;
		struct tk_err e;
		struct layout lo;
		struct wb file = { 0 }, *w;
		struct syn s;
		struct pg g;
		int i;

		small_syn(&s, v[k].codec, false, 8);
		s.usize_lie = v[k].lie;
		w = &s.buf[0].cpu[0].pages;
		for (i = 0; i < 3; i++) {
			pg_begin(&g, w, 8, 100 + (uint64_t)i * 100);
			ev_short(w, 0, i);
			pg_end(&g, 0, 0);
		}
		build(&file, &s, &lo);

		assert_int_equal(open_bytes(&file, NULL, &r, &e), 0);
		/* the first chunk's header: right after the u32 chunk count */
		expect_next_err(r, TK_ECORRUPT, (int64_t)lo.cpu_data[0][0] + 4);
		tk_tdat_close(r);
		wb_free(&file);
		syn_free(&s);
	}
}

/* v7 DONE links that loop. The error names the section linked a second time;
 * the loop must be found before a BUFFER option is applied twice. */
static void test_options_loop(void **state)
{
	static const int at_sect[] = { 0, 0, 1, 0 };	/* by loop kind */
	int loop;

	(void)state;
	for (loop = 1; loop <= 3; loop++) {
		struct tk_tdat_reader *r = NULL;
		struct tk_err e;
		struct layout lo;
		struct wb file = { 0 }, *w;
		struct syn s;
		struct pg g;
		int ret;

		small_syn(&s, C_NONE, false, 8);
		s.loop = loop;
		s.date = "0x10";
		w = &s.buf[0].cpu[0].pages;
		pg_begin(&g, w, 8, 100);
		ev_short(w, 0, 1);
		pg_end(&g, 0, 0);
		build(&file, &s, &lo);

		ret = open_bytes(&file, NULL, &r, &e);
		if (ret != -TK_ECORRUPT || e.offset != (int64_t)lo.opt_sect[at_sect[loop]])
			print_error("loop %d: got %d at %lld (%s), want %d at %lld\n", loop, ret,
				    (long long)e.offset, e.msg, -TK_ECORRUPT,
				    (long long)lo.opt_sect[at_sect[loop]]);
		assert_int_equal(ret, -TK_ECORRUPT);
		assert_null(r);
		assert_int_equal(e.code, TK_ECORRUPT);
		assert_int_equal(e.offset, (int64_t)lo.opt_sect[at_sect[loop]]);
		wb_free(&file);
		syn_free(&s);
	}
}

static void test_duplicate_cpu(void **state)
{
	struct tk_tdat_reader *r = NULL;
	struct tk_err e;
	struct layout lo;
	struct wb file = { 0 }, *w;
	struct syn s;
	struct pg g;

	(void)state;
	small_syn(&s, C_NONE, true, 4);
	s.dup_cpu = true;
	w = &s.buf[0].cpu[0].pages;
	pg_begin(&g, w, 4, 100);
	ev_short(w, 0, 1);
	pg_end(&g, 0, 0);
	build(&file, &s, &lo);

	assert_int_equal(open_bytes(&file, NULL, &r, &e), -TK_ECORRUPT);
	assert_null(r);
	assert_int_equal(e.code, TK_ECORRUPT);
	assert_int_equal(e.offset, (int64_t)lo.buffer_opt[0]);
	wb_free(&file);
	syn_free(&s);
}

/* A sanity check of the writer itself: the same small file without damage
 * reads (so the negative tests fail for the damage, not the writer). */
static void test_small_ok(void **state)
{
	static const enum codec codecs[] = { C_NONE, C_ZLIB, C_ZSTD };
	size_t k;

	(void)state;
	for (k = 0; k < 3; k++) {
		struct tk_tdat_reader *r = NULL;
		struct tk_tdat_rec tr;
		struct tk_err e;
		struct layout lo;
		struct wb file = { 0 }, *w;
		struct syn s;
		struct pg g;
		int i;

		small_syn(&s, codecs[k], k == 1, 8);
		s.date = "0x10";
		w = &s.buf[0].cpu[0].pages;
		for (i = 0; i < 3; i++) {
			pg_begin(&g, w, 8, 100 + (uint64_t)i * 100);
			ev_short(w, 0, i);
			pg_end(&g, 0, 0);
		}
		build(&file, &s, &lo);
		assert_int_equal(open_bytes(&file, NULL, &r, &e), 0);
		for (i = 0; i < 3; i++) {
			assert_int_equal(tk_tdat_next(r, &tr), 1);
			assert_int_equal(tr.rec->ts, 16000 + 100 + (uint64_t)i * 100);
		}
		assert_int_equal(tk_tdat_next(r, &tr), 0);
		tk_tdat_close(r);
		wb_free(&file);
		syn_free(&s);
	}
}

#define MCASE(nm, ...)                                                                     \
	{ .name = "matrix_" nm, .test_func = test_matrix,                                  \
	  .initial_state = &(struct mcase){ __VA_ARGS__ } }

int main(void)
{
	const struct CMUnitTest tests[] = {
		MCASE("v6_le_kl8", 6, C_NONE, false, 8, 8, false),
		MCASE("v6_be_kl4", 6, C_NONE, true, 4, 4, false),
		MCASE("v6_le_kl8_fl4", 6, C_NONE, false, 8, 4, false),
		MCASE("v6_be_kl8", 6, C_NONE, true, 8, 8, false),
		MCASE("v6_le_kl4_raw", 6, C_NONE, false, 4, 4, true),
		MCASE("v7_none_le_kl8", 7, C_NONE, false, 8, 8, false),
		MCASE("v7_none_be_kl4", 7, C_NONE, true, 4, 4, false),
		MCASE("v7_none_le_kl4", 7, C_NONE, false, 4, 4, false),
		MCASE("v7_zlib_le_kl4", 7, C_ZLIB, false, 4, 4, false),
		MCASE("v7_zlib_be_kl8", 7, C_ZLIB, true, 8, 8, false),
		MCASE("v7_zstd_le_kl8", 7, C_ZSTD, false, 8, 8, false),
		MCASE("v7_zstd_be_kl4", 7, C_ZSTD, true, 4, 4, false),
		MCASE("v7_zstd_be_kl8_raw", 7, C_ZSTD, true, 8, 8, true),
		cmocka_unit_test(test_sparse_cpu3),
		cmocka_unit_test(test_small_ok),
		cmocka_unit_test(test_bad_record_length),
		cmocka_unit_test(test_bad_short_record),
		cmocka_unit_test(test_bad_commit),
		cmocka_unit_test(test_chunk_usize_lies),
		cmocka_unit_test(test_options_loop),
		cmocka_unit_test(test_duplicate_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
