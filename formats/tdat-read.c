/* SPDX-License-Identifier: MIT */
/*
 * trace.dat: the file's header, options and metadata (everything but the
 * per-CPU data, which tdat-stream.c reads). Layouts are in
 * docs/trace-dat.md; the short version is in comments where they are parsed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cursor.h"
#include "formats/tdat-int.h"
#include "formats/tep-guard.h"

#define TDAT_MAGIC "\x17\x08\x44tracing"

enum {
	OPT_DONE = 0,
	OPT_DATE = 1,
	OPT_CPUSTAT = 2,
	OPT_BUFFER = 3,
	OPT_TRACECLOCK = 4,
	OPT_UNAME = 5,
	OPT_HOOK = 6,
	OPT_OFFSET = 7,
	OPT_CPUCOUNT = 8,
	OPT_VERSION = 9,
	OPT_PROCMAPS = 10,
	OPT_TRACEID = 11,
	OPT_TIME_SHIFT = 12,
	OPT_GUEST = 13,
	OPT_TSC2NSEC = 14,
	OPT_STRINGS = 15,
	OPT_HEADER_INFO = 16,
	OPT_FTRACE_EVENTS = 17,
	OPT_EVENT_FORMATS = 18,
	OPT_KALLSYMS = 19,
	OPT_PRINTK = 20,
	OPT_CMDLINES = 21,
	OPT_BUFFER_TEXT = 22,
	OPT_BTF_FILE = 23,
	OPT_LAST_BOOT_INFO = 24,
	OPT_MODULES_FILE = 25,
};

static const char *opt_name(int id)
{
	static const char *const names[] = {
		"done", "date", "cpustat", "buffer", "traceclock", "uname", "hook",
		"offset", "cpucount", "version", "procmaps", "traceid", "time_shift",
		"guest", "tsc2nsec", "strings", "headers", "ftrace events",
		"event formats", "kallsyms", "printk", "command lines", "buffer text",
		"BTF", "last boot info", "modules",
	};

	if (id >= 0 && (size_t)id < sizeof(names) / sizeof(names[0]))
		return names[id];
	return "unknown";
}

void tk_tdat__add_section(struct tk_tdat_reader *r, const char *name, int id, uint64_t off,
			  uint64_t size, uint64_t usize, bool compressed)
{
	struct tk_tdat_section *s;

	if (r->nsections >= TK_TDAT_MAX_SECTIONS)
		return;
	if (!r->sections) {
		r->sections = calloc(TK_TDAT_MAX_SECTIONS, sizeof(*r->sections));
		if (!r->sections)
			return;
	}
	s = &r->sections[r->nsections++];
	s->name = name;
	s->id = id;
	s->offset = off;
	s->size = size;
	s->usize = usize;
	s->compressed = compressed;
}

static int trunc_err(struct tk_tdat_reader *r, const struct tk_cursor *c, const char *what)
{
	return tk_err_set(&r->err, TK_ETRUNC, (int64_t)tk_cur_off(c),
			  "file ends inside %s (file size %" PRIu64 ")", what, r->size);
}

static char *dup_str(struct tk_tdat_reader *r, const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (!d) {
		tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
		return NULL;
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* ---- libtraceevent glue ------------------------------------------------ */

/* Metadata text handed to libtraceevent must be NUL-terminated. */
static int with_cstr(struct tk_tdat_reader *r, const uint8_t *p, uint64_t n,
		     int (*fn)(struct tk_tdat_reader *, char *, size_t, const void *), const void *arg)
{
	char *s;
	int ret;

	if (n > TK_TDAT_MAX_META)
		return tk_err_set(&r->err, TK_ELIMIT, -1, "metadata item of %" PRIu64 " bytes",
				  n);
	/* One byte more: a newline at the end. libtraceevent 1.7's field-list
	 * parser dereferences NULL when the text ends right after "x[" (found
	 * by fuzz-tdat); the newline every kernel file ends with avoids it. */
	s = malloc((size_t)n + 2);
	if (!s)
		return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
	memcpy(s, p, (size_t)n);
	s[n] = '\0';
	n = strlen(s);	/* libtraceevent stops at the first NUL anyway */
	if (n && s[n - 1] != '\n') {
		s[n++] = '\n';
		s[n] = '\0';
	}
	ret = fn(r, s, (size_t)n, arg);
	free(s);
	return ret;
}

static int parse_event_cb(struct tk_tdat_reader *r, char *s, size_t n, const void *arg)
{
	if (tk_tepguard_format_trips(s, n))
		return 0;
	/* A format libtraceevent cannot parse is skipped, as trace-cmd does:
	 * its records then print as unknown events. */
	if (tep_parse_event(r->tep, s, n, arg) == 0)
		r->info.nevent_formats++;
	return 0;
}

static int kallsyms_cb(struct tk_tdat_reader *r, char *s, size_t n, const void *arg)
{
	(void)n;
	(void)arg;
	tep_parse_kallsyms(r->tep, s);
	return 0;
}

static int printk_cb(struct tk_tdat_reader *r, char *s, size_t n, const void *arg)
{
	(void)arg;
	tk_tepguard_printk_filter(s, strnlen(s, n));
	tep_parse_printk_formats(r->tep, s);
	return 0;
}

static int cmdlines_cb(struct tk_tdat_reader *r, char *s, size_t n, const void *arg)
{
	(void)n;
	(void)arg;
	tep_parse_saved_cmdlines(r->tep, s);
	return 0;
}

/* ---- metadata items (same bytes in v6 and in v7 sections) -------------- */

/* "header_page\0" u64 len, bytes; "header_event\0" u64 len, bytes */
static int parse_header_info(struct tk_tdat_reader *r, struct tk_cursor *c)
{
	const uint8_t *tag, *data;
	uint64_t len;
	int kl;

	tag = tk_cur_bytes(c, 12);
	if (!tag)
		return trunc_err(r, c, "header_page");
	if (memcmp(tag, "header_page", 12) != 0)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)tk_cur_off(c) - 12,
				  "expected \"header_page\"");
	len = tk_cur_u64(c);
	if (c->trunc || len > tk_cur_left(c))
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)tk_cur_off(c) - 8,
				  "header_page length %" PRIu64 " runs past the end", len);
	data = tk_cur_bytes(c, (size_t)len);
	if (len) {
		char *s = dup_str(r, (const char *)data, (size_t)len);

		if (!s)
			return -TK_ENOMEM;
		tep_parse_header_page(r->tep, s, (unsigned long)len, r->info.file_long_size);
		free(s);
	} else {
		tep_parse_header_page(r->tep, NULL, 0, r->info.file_long_size);
	}
	kl = tep_get_header_page_size(r->tep);
	if (kl != 4 && kl != 8)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)tk_cur_off(c) - (int64_t)len,
				  "header_page gives a kernel long of %d bytes (4 or 8 expected)",
				  kl);
	r->info.kernel_long_size = kl;
	tep_set_long_size(r->tep, kl);

	tag = tk_cur_bytes(c, 13);
	if (!tag)
		return trunc_err(r, c, "header_event");
	if (memcmp(tag, "header_event", 13) != 0)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)tk_cur_off(c) - 13,
				  "expected \"header_event\"");
	len = tk_cur_u64(c);
	if (c->trunc || len > tk_cur_left(c))
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)tk_cur_off(c) - 8,
				  "header_event length %" PRIu64 " runs past the end", len);
	tk_cur_bytes(c, (size_t)len);
	return 0;
}

/* u32 count; count x { u64 len, format text } */
static int parse_format_list(struct tk_tdat_reader *r, struct tk_cursor *c, const char *system)
{
	uint32_t count = tk_cur_u32(c), i;

	if (c->trunc)
		return trunc_err(r, c, "event format count");
	for (i = 0; i < count; i++) {
		uint64_t at = tk_cur_off(c);
		uint64_t len = tk_cur_u64(c);
		const uint8_t *p;
		int ret;

		if (c->trunc || len > tk_cur_left(c))
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
					  "event format %u of %u (%s): length %" PRIu64
					  " runs past the end",
					  i + 1, count, system, len);
		p = tk_cur_bytes(c, (size_t)len);
		ret = with_cstr(r, p, len, parse_event_cb, system);
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_ftrace_events(struct tk_tdat_reader *r, struct tk_cursor *c)
{
	return parse_format_list(r, c, "ftrace");
}

/* u32 nsystems; per system: str0 name, format list */
static int parse_event_formats(struct tk_tdat_reader *r, struct tk_cursor *c)
{
	uint32_t n = tk_cur_u32(c), i;

	if (c->trunc)
		return trunc_err(r, c, "event system count");
	for (i = 0; i < n; i++) {
		const char *sys = tk_cur_str0(c);
		int ret;

		if (!sys)
			return trunc_err(r, c, "event system name");
		ret = parse_format_list(r, c, sys);
		if (ret)
			return ret;
	}
	return 0;
}

static int skip_cb(struct tk_tdat_reader *r, char *s, size_t n, const void *arg)
{
	(void)r;
	(void)s;
	(void)n;
	(void)arg;
	return 0;
}

/* kallsyms and printk: u32 len + text. cmdlines: u64 len + text. */
static int parse_text_item(struct tk_tdat_reader *r, struct tk_cursor *c, int lensize,
			   const char *what,
			   int (*fn)(struct tk_tdat_reader *, char *, size_t, const void *))
{
	uint64_t at = tk_cur_off(c);
	uint64_t len = lensize == 4 ? tk_cur_u32(c) : tk_cur_u64(c);
	const uint8_t *p;

	if (c->trunc || len > tk_cur_left(c))
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
				  "%s length %" PRIu64 " runs past the end", what, len);
	p = tk_cur_bytes(c, (size_t)len);
	if (!len || fn == skip_cb)
		return 0;
	return with_cstr(r, p, len, fn, NULL);
}

/* Symbol tables cost more to load than a small trace costs to read; callers
 * that print nothing skip them. */
static int parse_kallsyms(struct tk_tdat_reader *r, struct tk_cursor *c)
{
	return parse_text_item(r, c, 4, "kallsyms", r->opts.no_symbols ? skip_cb : kallsyms_cb);
}

static int parse_printk(struct tk_tdat_reader *r, struct tk_cursor *c)
{
	return parse_text_item(r, c, 4, "printk formats",
			       r->opts.no_symbols ? skip_cb : printk_cb);
}

static int parse_cmdlines(struct tk_tdat_reader *r, struct tk_cursor *c)
{
	return parse_text_item(r, c, 8, "saved cmdlines", cmdlines_cb);
}

/* ---- options (v6 block and v7 sections share the entries) -------------- */

static void parse_clock_text(struct tk_tdat_reader *r, const char *s, size_t n)
{
	const char *open = memchr(s, '[', n), *close;

	if (!open)
		return;
	close = memchr(open, ']', n - (size_t)(open - s));
	if (!close)
		return;
	free(r->top_clock);
	r->top_clock = dup_str(r, open + 1, (size_t)(close - open - 1));
}

static struct tdat_buffer *new_buffer(struct tk_tdat_reader *r, int64_t at)
{
	struct tdat_buffer *b;

	if (r->nbuffers >= TK_TDAT_MAX_BUFFERS) {
		tk_err_set(&r->err, TK_ELIMIT, at, "more than %d buffers", TK_TDAT_MAX_BUFFERS);
		return NULL;
	}
	b = &r->buffers[r->nbuffers++];
	memset(b, 0, sizeof(*b));
	return b;
}

static int cmp_cpu(const void *a, const void *b)
{
	const struct tk_tdat_cpu_info *x = a, *y = b;

	return (x->cpu > y->cpu) - (x->cpu < y->cpu);
}

/* Check a CPU's data region and that no CPU is listed twice. */
static int check_cpu_entries(struct tk_tdat_reader *r, struct tdat_buffer *b, int64_t at)
{
	int i;

	qsort(b->cpus, (size_t)b->ncpu_entries, sizeof(*b->cpus), cmp_cpu);
	for (i = 0; i < b->ncpu_entries; i++) {
		struct tk_tdat_cpu_info *ci = &b->cpus[i];

		if (i && ci->cpu == b->cpus[i - 1].cpu)
			return tk_err_set(&r->err, TK_ECORRUPT, at, "CPU %d listed twice in buffer '%s'",
					  ci->cpu, b->name ? b->name : "");
		if (ci->data_offset > r->size || ci->data_size > r->size - ci->data_offset)
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)ci->data_offset,
					  "CPU %d data (%" PRIu64 " bytes) runs past the end of the "
					  "file (size %" PRIu64 ")",
					  ci->cpu, ci->data_size, r->size);
	}
	return 0;
}

/* v7 BUFFER: u64 section offset, str0 name, str0 clock, u32 page size, u32 n,
 * n x { u32 cpu, u64 offset, u64 size } */
static int parse_buffer_v7(struct tk_tdat_reader *r, struct tk_cursor *c, int64_t at)
{
	struct tdat_buffer *b;
	uint64_t off = tk_cur_u64(c);
	const char *name = tk_cur_str0(c);
	const char *clock = tk_cur_str0(c);
	uint32_t page = tk_cur_u32(c);
	uint32_t n = tk_cur_u32(c), i, k = 0;

	if (c->trunc)
		return tk_err_set(&r->err, TK_ETRUNC, at, "buffer option is cut short");
	if (n > TK_TDAT_MAX_CPUS || (uint64_t)n * 20 > tk_cur_left(c))
		return tk_err_set(&r->err, TK_ECORRUPT, at, "buffer option lists %u CPUs", n);
	b = new_buffer(r, at);
	if (!b)
		return -TK_ELIMIT;
	b->section_off = off;
	b->name = dup_str(r, name, strlen(name));
	b->clock = dup_str(r, clock, strlen(clock));
	b->info.page_size = page;
	b->cpus = calloc(n ? n : 1, sizeof(*b->cpus));
	if (!b->name || !b->clock || !b->cpus)
		return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
	for (i = 0; i < n; i++) {
		struct tk_tdat_cpu_info *ci = &b->cpus[k];
		uint32_t cpu = tk_cur_u32(c);

		ci->data_offset = tk_cur_u64(c);
		ci->data_size = tk_cur_u64(c);
		if (cpu >= TK_TDAT_MAX_CPUS)
			return tk_err_set(&r->err, TK_ECORRUPT, at, "CPU id %u out of range", cpu);
		ci->cpu = (int)cpu;
		if (ci->data_size)
			k++;
	}
	b->ncpu_entries = (int)k;
	return check_cpu_entries(r, b, at);
}

/* v6 BUFFER: u64 offset of the instance's "flyrecord" block, str0 name */
static int parse_buffer_v6(struct tk_tdat_reader *r, struct tk_cursor *c, int64_t at)
{
	struct tdat_buffer *b;
	uint64_t off = tk_cur_u64(c);
	const char *name = tk_cur_str0(c);

	if (c->trunc)
		return tk_err_set(&r->err, TK_ETRUNC, at, "buffer option is cut short");
	b = new_buffer(r, at);
	if (!b)
		return -TK_ELIMIT;
	b->section_off = off;
	b->name = dup_str(r, name, strlen(name));
	return b->name ? 0 : -TK_ENOMEM;
}

static void set_meta_off(struct tk_tdat_reader *r, int id, struct tk_cursor *c)
{
	uint64_t off = tk_cur_u64(c);

	if (c->trunc)
		return;
	r->meta_off[id - OPT_HEADER_INFO] = off;
	r->meta_have[id - OPT_HEADER_INFO] = true;
}

/* Numbers in DATE/OFFSET are text (strtoll base 0). */
static int64_t opt_number(const uint8_t *p, uint32_t size)
{
	char buf[64];
	size_t n = size < sizeof(buf) - 1 ? size : sizeof(buf) - 1;

	memcpy(buf, p, n);
	buf[n] = '\0';
	return strtoll(buf, NULL, 0);
}

static int handle_option(struct tk_tdat_reader *r, int id, const uint8_t *p, uint32_t size,
			 uint64_t at)
{
	struct tk_cursor c;

	tk_cur_init(&c, p, size, at, r->swap);
	switch (id) {
	/* Wrapping (unsigned) arithmetic, as trace-cmd's two's complement
	 * does in practice: a hostile value must not be signed overflow. */
	case OPT_DATE:
		if (!r->opts.raw_ts)
			r->ts_offset = (int64_t)((uint64_t)r->ts_offset +
						 (uint64_t)opt_number(p, size) * 1000u);
		break;
	case OPT_OFFSET:
		if (!r->opts.raw_ts)
			r->ts_offset = (int64_t)((uint64_t)r->ts_offset +
						 (uint64_t)opt_number(p, size));
		break;
	case OPT_CPUSTAT: {
		char *n;

		if (r->cpustats_len + size + 2 > (64u << 20))
			return tk_err_set(&r->err, TK_ELIMIT, (int64_t)at, "CPU stats too large");
		n = realloc(r->cpustats, r->cpustats_len + size + 2);
		if (!n)
			return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
		r->cpustats = n;
		memcpy(n + r->cpustats_len, p, size);
		r->cpustats_len += size;
		if (size && n[r->cpustats_len - 1] == '\0')
			n[r->cpustats_len - 1] = '\n';
		n[r->cpustats_len] = '\0';
		break;
	}
	case OPT_BUFFER:
		if (r->info.version >= 7)
			return parse_buffer_v7(r, &c, (int64_t)at);
		return parse_buffer_v6(r, &c, (int64_t)at);
	case OPT_BUFFER_TEXT:
		return tk_err_set(&r->err, TK_EUNSUPP, (int64_t)at,
				  "latency-format (text) trace data is not supported");
	case OPT_TRACECLOCK:
		r->have_traceclock = true;
		parse_clock_text(r, (const char *)p, size);
		break;
	case OPT_UNAME:
		free(r->uname);
		r->uname = dup_str(r, (const char *)p, strnlen((const char *)p, size));
		break;
	case OPT_VERSION:
		free(r->tracer_version);
		r->tracer_version = dup_str(r, (const char *)p, strnlen((const char *)p, size));
		break;
	case OPT_CPUCOUNT: {
		uint32_t n = tk_cur_u32(&c);

		if (c.trunc || n > TK_TDAT_MAX_CPUS)
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)at, "CPU count %u", n);
		r->ncpus = (int)n;
		break;
	}
	case OPT_TSC2NSEC:
		if (size < 16 || r->opts.raw_ts)
			break;
		r->tsc_mult = tk_cur_u32(&c);
		r->tsc_shift = tk_cur_u32(&c);
		if (r->tsc_shift > 63)
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)at, "TSC shift %u",
					  r->tsc_shift);
		break;
	case OPT_HEADER_INFO:
	case OPT_FTRACE_EVENTS:
	case OPT_EVENT_FORMATS:
	case OPT_KALLSYMS:
	case OPT_PRINTK:
	case OPT_CMDLINES:
		if (r->info.version >= 7)
			set_meta_off(r, id, &c);
		break;
	default:
		/* Known but not needed for reading (hook, procmaps, trace id,
		 * guest/time shift, BTF, modules, last boot info) or unknown:
		 * skipped by size. */
		break;
	}
	return r->err.code ? -r->err.code : 0;
}

/* Entries { u16 id, u32 size, payload } up to DONE. v6 DONE is a bare u16 0;
 * v7 DONE has size 8 and the u64 offset of the next options section. */
static int parse_option_list(struct tk_tdat_reader *r, struct tk_cursor *c, uint64_t *next)
{
	for (;;) {
		uint64_t at = tk_cur_off(c);
		uint16_t id = tk_cur_u16(c);
		uint32_t size;
		const uint8_t *p;
		int ret;

		if (c->trunc)
			return trunc_err(r, c, "options");
		if (id == OPT_DONE && r->info.version < 7)
			return 0;
		size = tk_cur_u32(c);
		if (c->trunc || size > tk_cur_left(c))
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
					  "option %u (%s) of %u bytes runs past the end", id,
					  opt_name(id), size);
		p = tk_cur_bytes(c, size);
		if (id == OPT_DONE) {
			struct tk_cursor d;

			tk_cur_init(&d, p, size, at + 6, r->swap);
			*next = tk_cur_u64(&d);
			if (d.trunc)
				return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)at,
						  "options end marker of %u bytes", size);
			return 0;
		}
		ret = handle_option(r, id, p, size, at + 6);
		if (ret)
			return ret;
	}
}

/* ---- v7 sections ------------------------------------------------------- */

/*
 * Section header: u16 id, u16 flags (bit 0: compressed), u32 description,
 * u64 size. A compressed payload is u32 csize, u32 usize, csize bytes.
 * On success, data and len give the payload (in the file map or in
 * owned, which the caller frees).
 */
static int read_section(struct tk_tdat_reader *r, uint64_t off, int want_id, const char *what,
			const uint8_t **data, uint64_t *len, uint8_t **owned)
{
	struct tk_cursor c;
	uint16_t id, flags;
	uint64_t size;

	*owned = NULL;
	if (off > r->size)
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)off,
				  "%s section lies past the end of the file (size %" PRIu64 ")", what,
				  r->size);
	tk_cur_init(&c, r->map + off, (size_t)(r->size - off), off, r->swap);
	id = tk_cur_u16(&c);
	flags = tk_cur_u16(&c);
	tk_cur_u32(&c);
	size = tk_cur_u64(&c);
	if (c.trunc)
		return trunc_err(r, &c, "a section header");
	if (want_id >= 0 && id != want_id)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)off,
				  "expected a %s section (id %d), found id %u", what, want_id, id);
	if (size > tk_cur_left(&c))
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)off,
				  "%s section of %" PRIu64 " bytes runs past the end of the file",
				  what, size);
	if (!(flags & 1)) {
		*data = tk_cur_bytes(&c, (size_t)size);
		*len = size;
		tk_tdat__add_section(r, what, id, off, size + 16, size, false);
		return 0;
	} else {
		uint32_t csize, usize;
		uint8_t *buf;
		int ret;

		if (!r->zio)
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)off,
					  "%s section is compressed in a file without compression",
					  what);
		csize = tk_cur_u32(&c);
		usize = tk_cur_u32(&c);
		if (c.trunc || (uint64_t)csize + 8 > size)
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)off + 16,
					  "compressed %s block of %u bytes does not fit its section", what,
					  csize);
		if (usize > TK_TDAT_MAX_META)
			return tk_err_set(&r->err, TK_ELIMIT, (int64_t)off + 16,
					  "%s section claims %u bytes uncompressed", what, usize);
		buf = malloc(usize ? usize : 1);
		if (!buf)
			return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
		ret = tk_zio_decompress(r->zio, tk_cur_bytes(&c, csize), csize, buf, usize,
					(int64_t)off + 24, &r->err);
		if (ret) {
			free(buf);
			return ret;
		}
		*data = buf;
		*len = usize;
		*owned = buf;
		tk_tdat__add_section(r, what, id, off, size + 16, usize, true);
		return 0;
	}
}

static int parse_options_v7(struct tk_tdat_reader *r, uint64_t off)
{
	/* Sections already read: a link back to one of them is a loop, which
	 * must be reported before its options (BUFFER ones especially) are
	 * applied a second time. */
	uint64_t *seen = malloc(TK_TDAT_MAX_OPTSECT * sizeof(*seen));
	int count = 0, i, ret = 0;

	if (!seen)
		return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
	while (off) {
		const uint8_t *data;
		uint64_t len, next = 0;
		uint8_t *owned;
		struct tk_cursor c;

		for (i = 0; i < count; i++) {
			if (seen[i] == off) {
				ret = tk_err_set(&r->err, TK_ECORRUPT, (int64_t)off,
						 "options sections form a loop (the section at "
						 "%" PRIu64 " is linked twice)",
						 off);
				goto out;
			}
		}
		if (count >= TK_TDAT_MAX_OPTSECT) {
			ret = tk_err_set(&r->err, TK_ELIMIT, (int64_t)off,
					 "a chain of more than %d options sections",
					 TK_TDAT_MAX_OPTSECT);
			goto out;
		}
		seen[count++] = off;
		ret = read_section(r, off, OPT_DONE, "options", &data, &len, &owned);
		if (ret)
			goto out;
		/* Offsets inside a compressed options section are not file
		 * offsets; errors then point at its header. */
		tk_cur_init(&c, data, (size_t)len, owned ? off : off + 16, r->swap);
		ret = parse_option_list(r, &c, &next);
		free(owned);
		if (ret)
			goto out;
		off = next;
	}
out:
	free(seen);
	return ret;
}

static int parse_meta_v7(struct tk_tdat_reader *r)
{
	static const struct {
		const char *name;
		int (*fn)(struct tk_tdat_reader *, struct tk_cursor *);
	} items[6] = {
		{ "headers", parse_header_info },
		{ "ftrace events", parse_ftrace_events },
		{ "events format", parse_event_formats },
		{ "kallsyms", parse_kallsyms },
		{ "printk", parse_printk },
		{ "command lines", parse_cmdlines },
	};
	int i;

	if (!r->meta_have[0])
		return tk_err_set(&r->err, TK_ECORRUPT, -1, "no header_page section in the options");
	for (i = 0; i < 6; i++) {
		const uint8_t *data;
		uint64_t len;
		uint8_t *owned;
		struct tk_cursor c;
		int ret;

		if (!r->meta_have[i])
			continue;
		if (r->opts.no_symbols && (i == OPT_KALLSYMS - OPT_HEADER_INFO ||
					   i == OPT_PRINTK - OPT_HEADER_INFO))
			continue;
		ret = read_section(r, r->meta_off[i], OPT_HEADER_INFO + i, items[i].name, &data,
				   &len, &owned);
		if (ret)
			return ret;
		tk_cur_init(&c, data, (size_t)len, owned ? r->meta_off[i] : r->meta_off[i] + 16,
			    r->swap);
		ret = items[i].fn(r, &c);
		free(owned);
		if (ret)
			return ret;
	}
	return 0;
}

/* The BUFFER section's flags say whether its CPU data is chunk-compressed. */
static int check_buffers_v7(struct tk_tdat_reader *r)
{
	int i;

	if (r->nbuffers == 0)
		return tk_err_set(&r->err, TK_ECORRUPT, -1, "no buffer option: the file has no trace data");
	/* The top instance (empty name) is buffer 0 whatever the option order. */
	for (i = 1; i < r->nbuffers; i++) {
		if (r->buffers[i].name && !r->buffers[i].name[0]) {
			struct tdat_buffer top = r->buffers[i];

			memmove(&r->buffers[1], &r->buffers[0], (size_t)i * sizeof(top));
			r->buffers[0] = top;
			break;
		}
	}
	for (i = 0; i < r->nbuffers; i++) {
		struct tdat_buffer *b = &r->buffers[i];
		struct tk_cursor c;
		uint16_t id, flags;
		uint64_t size;

		if (b->section_off > r->size)
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)b->section_off,
					  "buffer section lies past the end of the file");
		tk_cur_init(&c, r->map + b->section_off, (size_t)(r->size - b->section_off),
			    b->section_off, r->swap);
		id = tk_cur_u16(&c);
		flags = tk_cur_u16(&c);
		tk_cur_u32(&c);
		size = tk_cur_u64(&c);
		if (c.trunc)
			return trunc_err(r, &c, "a buffer section header");
		if (id != OPT_BUFFER)
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)b->section_off,
					  "expected a buffer section (id 3), found id %u", id);
		b->info.compressed = (flags & 1) != 0;
		if (b->info.compressed && !r->zio)
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)b->section_off,
					  "compressed buffer in a file without compression");
		tk_tdat__add_section(r, "buffer flyrecord", OPT_BUFFER, b->section_off,
				     size > r->size ? r->size : size + 16,
				     size > r->size ? r->size : size + 16, b->info.compressed);
	}
	return 0;
}

/* ---- v6 ---------------------------------------------------------------- */

/* "flyrecord\0" then ncpus x { u64 offset, u64 size } [u64 len + clock] */
static int parse_flyrecord_v6(struct tk_tdat_reader *r, struct tdat_buffer *b, uint64_t off,
			      bool top)
{
	struct tk_cursor c;
	const uint8_t *tag;
	int i, k = 0;

	if (off > r->size)
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)off,
				  "buffer data lies past the end of the file");
	tk_cur_init(&c, r->map + off, (size_t)(r->size - off), off, r->swap);
	tag = tk_cur_bytes(&c, 10);
	if (!tag)
		return trunc_err(r, &c, "the data kind (flyrecord/latency)");
	if (memcmp(tag, "latency  ", 10) == 0)
		return tk_err_set(&r->err, TK_EUNSUPP, (int64_t)off,
				  "latency-format (text) trace data is not supported");
	if (memcmp(tag, "flyrecord", 10) != 0)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)off,
				  "expected \"flyrecord\" or \"latency\"");
	if ((uint64_t)r->ncpus * 16 > tk_cur_left(&c))
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)tk_cur_off(&c),
				  "CPU table of %d entries runs past the end of the file", r->ncpus);
	/* Buffers pointing at one shared table would make memory grow with
	 * (buffers x CPUs), not with the file: tables must not be reused. */
	r->cpu_table_bytes += (uint64_t)r->ncpus * 16;
	if (r->cpu_table_bytes > r->size)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)off,
				  "CPU tables of %d buffers add up to more than the file", r->nbuffers);
	b->cpus = calloc(r->ncpus ? (size_t)r->ncpus : 1, sizeof(*b->cpus));
	if (!b->cpus)
		return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
	for (i = 0; i < r->ncpus; i++) {
		struct tk_tdat_cpu_info *ci = &b->cpus[k];

		ci->data_offset = tk_cur_u64(&c);
		ci->data_size = tk_cur_u64(&c);
		ci->cpu = i;
		if (ci->data_size)
			k++;
	}
	b->ncpu_entries = k;
	b->info.page_size = r->info.page_size;
	tk_tdat__add_section(r, "flyrecord CPU table", -1, off, 10 + (uint64_t)r->ncpus * 16,
			     10 + (uint64_t)r->ncpus * 16, false);
	/* trace-cmd only reads the clock text when TRACECLOCK was given. */
	if (r->have_traceclock) {
		uint64_t at = tk_cur_off(&c);
		uint64_t len = tk_cur_u64(&c);

		if (c.trunc || len > tk_cur_left(&c))
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
					  "trace clock text of %" PRIu64 " bytes runs past the end",
					  len);
		if (top)
			parse_clock_text(r, (const char *)tk_cur_bytes(&c, (size_t)len),
					 (size_t)len);
	}
	return check_cpu_entries(r, b, (int64_t)off);
}

static int parse_v6(struct tk_tdat_reader *r, struct tk_cursor *c)
{
	static const struct {
		const char *name;
		int (*fn)(struct tk_tdat_reader *, struct tk_cursor *);
	} items[] = {
		{ "header page/event", parse_header_info },
		{ "ftrace event formats", parse_ftrace_events },
		{ "event formats", parse_event_formats },
		{ "kallsyms", parse_kallsyms },
		{ "printk formats", parse_printk },
		{ "saved cmdlines", parse_cmdlines },
	};
	const uint8_t *tag;
	struct tdat_buffer *top;
	int nextra, i, ret;
	size_t k;

	for (k = 0; k < sizeof(items) / sizeof(items[0]); k++) {
		uint64_t start = tk_cur_off(c);

		ret = items[k].fn(r, c);
		if (ret)
			return ret;
		tk_tdat__add_section(r, items[k].name, -1, start, tk_cur_off(c) - start,
				     tk_cur_off(c) - start, false);
	}
	r->ncpus = (int)tk_cur_u32(c);
	if (c->trunc)
		return trunc_err(r, c, "the CPU count");
	if (r->ncpus > TK_TDAT_MAX_CPUS || r->ncpus < 0)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)tk_cur_off(c) - 4, "CPU count %d",
				  r->ncpus);

	/* The options block is optional; the data kind follows either way. */
	tag = c->base + c->pos;
	if (tk_cur_left(c) >= 10 && memcmp(tag, "options  ", 10) == 0) {
		uint64_t start = tk_cur_off(c), unused;

		tk_cur_bytes(c, 10);
		ret = parse_option_list(r, c, &unused);
		if (ret)
			return ret;
		tk_tdat__add_section(r, "options", -1, start, tk_cur_off(c) - start,
				     tk_cur_off(c) - start, false);
	}

	/* Instances were registered by BUFFER options; the top buffer goes first. */
	nextra = r->nbuffers;
	if (nextra >= TK_TDAT_MAX_BUFFERS)
		return tk_err_set(&r->err, TK_ELIMIT, -1, "more than %d buffers",
				  TK_TDAT_MAX_BUFFERS);
	memmove(&r->buffers[1], &r->buffers[0], (size_t)nextra * sizeof(r->buffers[0]));
	r->nbuffers++;
	top = &r->buffers[0];
	memset(top, 0, sizeof(*top));
	top->name = dup_str(r, "", 0);
	if (!top->name)
		return -TK_ENOMEM;
	ret = parse_flyrecord_v6(r, top, tk_cur_off(c), true);
	if (ret)
		return ret;
	for (i = 1; i < r->nbuffers; i++) {
		ret = parse_flyrecord_v6(r, &r->buffers[i], r->buffers[i].section_off, false);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- open / close ------------------------------------------------------ */

static int parse_init_header(struct tk_tdat_reader *r, struct tk_cursor *c)
{
	const uint8_t *magic = tk_cur_bytes(c, 10);
	const char *ver;
	char *endp;
	long v;
	uint8_t endian;

	if (!magic) {
		if (r->size == 0)
			return tk_err_set(&r->err, TK_EFORMAT, -1, "empty file");
		return tk_err_set(&r->err, TK_EFORMAT, 0,
				  "not a trace.dat file (only %" PRIu64 " bytes)", r->size);
	}
	if (memcmp(magic, TDAT_MAGIC, 10) != 0)
		return tk_err_set(&r->err, TK_EFORMAT, 0,
				  "not a trace.dat file (no \\x17\\x08\\x44tracing magic)");
	ver = tk_cur_str0(c);
	if (!ver || strlen(ver) > 16)
		return tk_err_set(&r->err, TK_ECORRUPT, 10, "unreadable file version");
	v = strtol(ver, &endp, 10);
	if (endp == ver || *endp)
		return tk_err_set(&r->err, TK_ECORRUPT, 10, "file version '%s' is not a number", ver);
	if (v < 6 || v > 7)
		return tk_err_set(&r->err, TK_EUNSUPP, 10,
				  "file version %ld is not supported (6 and 7 are)", v);
	r->info.version = (int)v;
	endian = tk_cur_u8(c);
	r->info.file_long_size = tk_cur_u8(c);
	if (c->trunc)
		return trunc_err(r, c, "the file header");
	if (endian > 1)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)tk_cur_off(c) - 2,
				  "endianness byte %u (0 or 1 expected)", endian);
	r->info.big_endian = endian == 1;
	r->swap = r->info.big_endian != tk_host_bigendian();
	c->swap = r->swap;
	if (r->info.file_long_size != 4 && r->info.file_long_size != 8)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)tk_cur_off(c) - 1,
				  "long size %d (4 or 8 expected)", r->info.file_long_size);
	r->info.page_size = tk_cur_u32(c);
	if (c->trunc)
		return trunc_err(r, c, "the file header");
	if (r->info.page_size < TK_TDAT_MIN_PAGE || r->info.page_size > TK_TDAT_MAX_PAGE)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)tk_cur_off(c) - 4,
				  "page size %u out of range", r->info.page_size);

	tep_set_file_bigendian(r->tep, r->info.big_endian ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(r->tep, tk_host_bigendian() ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_long_size(r->tep, r->info.file_long_size);
	tep_set_page_size(r->tep, (int)r->info.page_size);

	r->info.codec = TK_TDAT_CODEC_NONE;
	r->info.codec_name = "none";
	if (r->info.version >= 7) {
		const char *name = tk_cur_str0(c);
		const char *zver = tk_cur_str0(c);

		if (!name || !zver)
			return trunc_err(r, c, "the compression header");
		r->codec_version = dup_str(r, zver, strlen(zver));
		if (!r->codec_version)
			return -TK_ENOMEM;
		if (strcmp(name, "zstd") == 0) {
			r->info.codec = TK_TDAT_CODEC_ZSTD;
			r->info.codec_name = "zstd";
			r->zio = tk_zio_create(TK_ZIO_ZSTD);
		} else if (strcmp(name, "zlib") == 0) {
			r->info.codec = TK_TDAT_CODEC_ZLIB;
			r->info.codec_name = "zlib";
			r->zio = tk_zio_create(TK_ZIO_ZLIB);
		} else if (strcmp(name, "none") != 0) {
			return tk_err_set(&r->err, TK_EUNSUPP, (int64_t)tk_cur_off(c),
					  "compression '%.32s' is not supported (zstd, zlib, none are)",
					  name);
		}
		if (r->info.codec != TK_TDAT_CODEC_NONE && !r->zio)
			return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
	}
	tk_tdat__add_section(r, "init header", -1, 0, tk_cur_off(c), tk_cur_off(c), false);
	return 0;
}

static void finish_info(struct tk_tdat_reader *r)
{
	struct tk_tdat_info *in = &r->info;
	int i;

	in->codec_version = r->codec_version ? r->codec_version : "";
	in->uname = r->uname;
	in->tracer_version = r->tracer_version;
	in->ts_offset = r->ts_offset;
	in->nbuffers = r->nbuffers;
	in->file_size = r->size;
	/* v7 keeps each buffer's clock; the top one is the file's clock. */
	if (in->version >= 7 && r->nbuffers && r->buffers[0].clock && r->buffers[0].clock[0]) {
		free(r->top_clock);
		r->top_clock = dup_str(r, r->buffers[0].clock, strlen(r->buffers[0].clock));
	}
	in->clock = r->top_clock ? r->top_clock : "local";
	/* trace-cmd shows seconds.microseconds only for clocks counting ns. */
	in->in_usecs = true;
	if (!r->tsc_mult && r->top_clock &&
	    strcmp(in->clock, "local") && strcmp(in->clock, "global") &&
	    strcmp(in->clock, "uptime") && strcmp(in->clock, "perf") &&
	    strncmp(in->clock, "mono", 4) && strcmp(in->clock, "tsc2nsec") &&
	    strcmp(in->clock, "tai"))
		in->in_usecs = false;
	if (r->opts.raw_ts)
		in->in_usecs = false;
	in->ncpus = r->ncpus;
	if (r->nbuffers)
		in->page_size = r->buffers[0].info.page_size ? r->buffers[0].info.page_size
							     : in->page_size;
	for (i = 0; i < r->nbuffers; i++) {
		struct tdat_buffer *b = &r->buffers[i];

		b->info.name = b->name ? b->name : "";
		b->info.clock = b->clock ? b->clock : in->clock;
		b->info.ncpus = r->ncpus;
		if (!b->info.page_size)
			b->info.page_size = in->page_size;
	}
}

/* CPUSTAT text: "CPU: n\n" ... "overrun: n" per CPU of the top buffer. */
static void apply_cpustats(struct tk_tdat_reader *r)
{
	const char *p = r->cpustats;
	int cpu = -1;

	if (!p)
		return;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);

		if (n > 8 && strncmp(p, "Buffer: ", 8) == 0)
			break;	/* later stats belong to instances */
		if (strncmp(p, "CPU: ", 5) == 0)
			cpu = (int)strtol(p + 5, NULL, 10);
		else if (strncmp(p, "overrun: ", 9) == 0 && cpu >= 0 && r->nbuffers) {
			struct tdat_buffer *b = &r->buffers[0];
			int i;

			for (i = 0; i < b->ncpu_entries; i++) {
				if (b->cpus[i].cpu == cpu) {
					b->cpus[i].overrun = strtoull(p + 9, NULL, 10);
					b->cpus[i].has_stats = true;
				}
			}
		}
		p += n;
		if (*p)
			p++;
	}
}

struct region {
	uint64_t off, size;
	int buffer, cpu;
};

static int cmp_region(const void *a, const void *b)
{
	const struct region *x = a, *y = b;

	return (x->off > y->off) - (x->off < y->off);
}

/* CPU data regions of all buffers must be disjoint: then the number of
 * streams (and their memory) is bounded by the file size. */
static int check_overlaps(struct tk_tdat_reader *r)
{
	struct region *reg;
	size_t n = 0, i;
	int b, j, ret = 0;

	for (b = 0; b < r->nbuffers; b++)
		n += (size_t)r->buffers[b].ncpu_entries;
	if (n < 2)
		return 0;
	reg = malloc(n * sizeof(*reg));
	if (!reg)
		return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
	n = 0;
	for (b = 0; b < r->nbuffers; b++) {
		for (j = 0; j < r->buffers[b].ncpu_entries; j++) {
			const struct tk_tdat_cpu_info *ci = &r->buffers[b].cpus[j];

			reg[n++] = (struct region){ ci->data_offset, ci->data_size, b, ci->cpu };
		}
	}
	qsort(reg, n, sizeof(*reg), cmp_region);
	for (i = 1; i < n; i++) {
		if (reg[i - 1].off + reg[i - 1].size > reg[i].off) {
			ret = tk_err_set(&r->err, TK_ECORRUPT, (int64_t)reg[i].off,
					 "data of CPU %d (buffer %d) overlaps the data of CPU %d "
					 "(buffer %d)",
					 reg[i].cpu, reg[i].buffer, reg[i - 1].cpu, reg[i - 1].buffer);
			break;
		}
	}
	free(reg);
	return ret;
}

int tk_tdat_open(const char *path, const struct tk_tdat_opts *opts,
		 struct tk_tdat_reader **out, struct tk_err *err)
{
	struct tk_tdat_reader *r;
	struct tk_cursor c;
	struct stat st;
	int ret;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	tk_err_clear(&r->err);
	tk_err_set_file(&r->err, path);
	if (opts)
		r->opts = *opts;
	r->fd = -1;
	r->last = -1;

	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		ret = tk_err_sys(&r->err, errno, -1, "cannot open");
		goto fail;
	}
	if (fstat(r->fd, &st) < 0) {
		ret = tk_err_sys(&r->err, errno, -1, "cannot stat");
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = tk_err_set(&r->err, TK_EFORMAT, -1, "not a regular file");
		goto fail;
	}
	r->size = (uint64_t)st.st_size;
	if (r->size) {
		void *m = mmap(NULL, (size_t)r->size, PROT_READ, MAP_PRIVATE, r->fd, 0);

		if (m == MAP_FAILED) {
			ret = tk_err_sys(&r->err, errno, -1, "cannot map");
			goto fail;
		}
		r->map = m;
	}
	r->tep = tep_alloc();
	if (!r->tep) {
		ret = tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
		goto fail;
	}
	if (!r->opts.no_plugins)
		r->plugins = tep_load_plugins(r->tep);

	tk_cur_init(&c, r->map, (size_t)r->size, 0, false);
	ret = parse_init_header(r, &c);
	if (ret)
		goto fail;
	if (r->info.version >= 7) {
		uint64_t first = tk_cur_u64(&c);

		if (c.trunc) {
			ret = trunc_err(r, &c, "the options offset");
			goto fail;
		}
		ret = parse_options_v7(r, first);
		if (!ret)
			ret = parse_meta_v7(r);
		if (!ret)
			ret = check_buffers_v7(r);
	} else {
		ret = parse_v6(r, &c);
	}
	if (ret)
		goto fail;
	if (r->ncpus <= 0) {
		int i, max = 0;

		for (i = 0; i < r->nbuffers; i++) {
			struct tdat_buffer *b = &r->buffers[i];

			if (b->ncpu_entries && b->cpus[b->ncpu_entries - 1].cpu + 1 > max)
				max = b->cpus[b->ncpu_entries - 1].cpu + 1;
		}
		r->ncpus = max;
	}
	ret = check_overlaps(r);
	if (ret)
		goto fail;
	tep_set_cpus(r->tep, r->ncpus);
	finish_info(r);
	apply_cpustats(r);
	ret = tk_tdat__streams_init(r);
	if (ret)
		goto fail;
	*out = r;
	return 0;
fail:
	if (err)
		*err = r->err;
	tk_tdat_close(r);
	return ret ? ret : -TK_ECORRUPT;
}

void tk_tdat_close(struct tk_tdat_reader *r)
{
	int i;

	if (!r)
		return;
	tk_tdat__streams_fini(r);
	for (i = 0; i < r->nbuffers; i++) {
		free(r->buffers[i].name);
		free(r->buffers[i].clock);
		free(r->buffers[i].cpus);
	}
	if (r->tep) {
		if (r->plugins)
			tep_unload_plugins(r->plugins, r->tep);
		tep_free(r->tep);
	}
	tk_zio_destroy(r->zio);
	if (r->map)
		munmap(r->map, (size_t)r->size);
	if (r->fd >= 0)
		close(r->fd);
	free(r->sections);
	free(r->codec_version);
	free(r->uname);
	free(r->tracer_version);
	free(r->cpustats);
	free(r->top_clock);
	free(r);
}

const struct tk_tdat_info *tk_tdat_get_info(const struct tk_tdat_reader *r)
{
	return &r->info;
}

struct tep_handle *tk_tdat_get_tep(const struct tk_tdat_reader *r)
{
	return r->tep;
}

const struct tk_tdat_buffer_info *tk_tdat_get_buffer(const struct tk_tdat_reader *r, int i)
{
	if (i < 0 || i >= r->nbuffers)
		return NULL;
	return &r->buffers[i].info;
}

const struct tk_tdat_cpu_info *tk_tdat_get_cpus(const struct tk_tdat_reader *r, int buffer,
						int *n)
{
	if (buffer < 0 || buffer >= r->nbuffers) {
		*n = 0;
		return NULL;
	}
	*n = r->buffers[buffer].ncpu_entries;
	return r->buffers[buffer].cpus;
}

const struct tk_tdat_section *tk_tdat_get_sections(const struct tk_tdat_reader *r, int *n)
{
	*n = r->nsections;
	return r->sections;
}

const char *tk_tdat_get_cpustats(const struct tk_tdat_reader *r)
{
	return r->cpustats ? r->cpustats : "";
}

const struct tk_err *tk_tdat_get_err(const struct tk_tdat_reader *r)
{
	return &r->err;
}

uint64_t tk_tdat_bytes_read(const struct tk_tdat_reader *r)
{
	return r->bytes_read;
}
