/* SPDX-License-Identifier: MIT */
/*
 * perf.data: the file header, the attrs and their ids, the feature sections
 * and the tracing data (everything but the record stream, which pdat-rec.c
 * reads). Layouts are in docs/perf-data.md; the short version is in comments
 * where they are parsed.
 *
 * Everything is in the recording host's byte order; the magic tells which.
 * Values are read through the bounded cursor (core/cursor.h), which swaps
 * when that order is not ours, so the rest of the reader sees host order.
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

#include "formats/pdat-int.h"
#include "formats/tep-guard.h"

/* "PERFILE2" as a u64 in the writer's order: these bytes when it was
 * little-endian, reversed when big-endian. "PERFFILE" is the v1 format. */
static const uint8_t MAGIC_LE[8] = { 'P', 'E', 'R', 'F', 'I', 'L', 'E', '2' };
static const uint8_t MAGIC_BE[8] = { '2', 'E', 'L', 'I', 'F', 'R', 'E', 'P' };
static const uint8_t MAGIC_V1[8] = { 'P', 'E', 'R', 'F', 'F', 'I', 'L', 'E' };

#define TRACING_MAGIC "\x17\x08\x44tracing"

/* `what` does not fit in the bytes left of `where` (the file, a feature
 * section, the tracing data). */
static int trunc_err(struct tk_pdat_reader *r, const struct tk_cursor *c, const char *what,
		     const char *where)
{
	return tk_err_set(&r->err, TK_ETRUNC, (int64_t)tk_cur_off(c),
			  "%s runs past the end of %s (%zu bytes left)", what, where,
			  c->end - c->pos);
}

static int nomem(struct tk_pdat_reader *r)
{
	return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

bool tk_pdat_is_magic(const void *buf, size_t len)
{
	return len >= 8 && (memcmp(buf, MAGIC_LE, 8) == 0 || memcmp(buf, MAGIC_BE, 8) == 0);
}

/* ---- attrs and ids ------------------------------------------------------ */

static int popcount64(uint64_t v)
{
	return __builtin_popcountll(v);
}

/* perf's __evsel__calc_id_pos / __evsel__calc_is_pos: where the id sits in
 * a SAMPLE (u64 index after the header) and in a sample_id trailer (u64s
 * from the end). */
static void calc_positions(struct pdat_attr *a)
{
	uint64_t st = a->pub.sample_type;
	int idx;

	if (st & TK_PS_IDENTIFIER) {
		a->id_pos = 0;
		a->is_pos = 1;
	} else if (!(st & TK_PS_ID)) {
		a->id_pos = -1;
		a->is_pos = -1;
	} else {
		idx = 0;
		idx += !!(st & TK_PS_IP);
		idx += !!(st & TK_PS_TID);
		idx += !!(st & TK_PS_TIME);
		idx += !!(st & TK_PS_ADDR);
		a->id_pos = idx;
		idx = 1;
		idx += !!(st & TK_PS_CPU);
		idx += !!(st & TK_PS_STREAM_ID);
		a->is_pos = idx;
	}
	a->sid_size = 0;
	if (a->pub.sample_id_all)
		a->sid_size = 8u * (unsigned)popcount64(st & (TK_PS_TID | TK_PS_TIME | TK_PS_ID |
							      TK_PS_STREAM_ID | TK_PS_CPU |
							      TK_PS_IDENTIFIER));
}

static void update_mixed(struct tk_pdat_reader *r)
{
	int i;

	r->mixed_pos = false;
	for (i = 1; i < r->nattrs; i++)
		if (r->attrs[i]->id_pos != r->attrs[0]->id_pos ||
		    r->attrs[i]->is_pos != r->attrs[0]->is_pos)
			r->mixed_pos = true;
}

/* The bitfield word at attr offset 40, as "bit n = the n-th flag". A
 * big-endian compiler allocates bitfields from the most significant bit,
 * so there flag n is bit 7 - n % 8 of byte n / 8 (perf's swap_bitfield
 * reverses the bits of each byte for the same reason). */
static uint64_t attr_flags(const uint8_t *p, bool file_be)
{
	uint64_t v = 0;
	int i, b;

	for (i = 0; i < 8; i++) {
		uint8_t byte = p[i];

		if (file_be) {
			uint8_t rev = 0;

			for (b = 0; b < 8; b++)
				if (byte & (1u << b))
					rev |= (uint8_t)(0x80u >> b);
			byte = rev;
		}
		v |= (uint64_t)byte << (8 * i);
	}
	return v;
}

static bool file_bigendian(const struct tk_pdat_reader *r)
{
	return r->swap != tk_host_bigendian();
}

/* Point each tracepoint attr at its format, once formats are known. */
static void link_tracepoints(struct tk_pdat_reader *r)
{
	int i;

	for (i = 0; i < r->nattrs; i++) {
		struct tk_pdat_attr *a = &r->attrs[i]->pub;

		if (a->type == 2 && !a->tp && a->config <= INT32_MAX)
			a->tp = tep_find_event(r->tep, (int)a->config);
	}
}

/*
 * One perf_event_attr at the cursor (attr.size bytes, at most `avail`),
 * appended to the attrs. Fields past attr.size are 0; attr.size larger than
 * the fields we know is fine (perf refuses it; we read the known prefix).
 * Returns the new attr's index or < 0.
 */
int tk_pdat__add_attr(struct tk_pdat_reader *r, struct tk_cursor *c, uint32_t avail, int64_t at)
{
	struct tk_cursor a;
	struct pdat_attr *pa;
	struct tk_pdat_attr *x;
	const uint8_t *p;
	uint32_t type, size;

	if (r->nattrs >= TK_PDAT_MAX_ATTRS)
		return tk_err_set(&r->err, TK_ELIMIT, at, "more than %d attrs", TK_PDAT_MAX_ATTRS);
	if (avail < 8 || tk_cur_left(c) < 8)
		return tk_err_set(&r->err, TK_ETRUNC, at, "attr runs past its end");
	p = c->base + c->pos;
	type = tk_load_u32(p, c->swap);
	size = tk_load_u32(p + 4, c->swap);
	if (size == 0)
		size = TK_PDAT_MIN_ATTR_SIZE;	/* PERF_ATTR_SIZE_VER0 */
	if (size < TK_PDAT_MIN_ATTR_SIZE || size > TK_PDAT_MAX_ATTR_SIZE)
		return tk_err_set(&r->err, TK_ECORRUPT, at, "attr size %u (64..%d expected)", size,
				  TK_PDAT_MAX_ATTR_SIZE);
	if (size > avail || size > tk_cur_left(c))
		return tk_err_set(&r->err, TK_ETRUNC, at,
				  "attr of %u bytes runs past its entry (%u bytes)", size, avail);
	if (r->nattrs >= r->attrs_cap) {
		int ncap = r->attrs_cap ? r->attrs_cap * 2 : 8;
		struct pdat_attr **n = realloc(r->attrs, (size_t)ncap * sizeof(*n));

		if (!n)
			return nomem(r);
		r->attrs = n;
		r->attrs_cap = ncap;
	}
	/* one allocation each: attr pointers handed out stay valid while
	 * pipe-mode HEADER_ATTR records add more */
	pa = calloc(1, sizeof(*pa));
	if (!pa)
		return nomem(r);
	r->attrs[r->nattrs] = pa;
	x = &pa->pub;
	tk_cur_init(&a, tk_cur_bytes(c, size), size, (uint64_t)at, c->swap);
	x->type = type;
	x->size = tk_load_u32(p + 4, c->swap);
	a.pos = 8;
	x->config = tk_cur_u64(&a);
	x->sample_period = tk_cur_u64(&a);
	x->sample_type = tk_cur_u64(&a);
	x->read_format = tk_cur_u64(&a);
	x->flags = attr_flags(a.base + 40, file_bigendian(r));
	/* 48 wakeup, 52 bp_type, 56 config1, 64 config2 (VER1 ends at 72) */
	if (size >= 80) {
		a.pos = 72;
		x->branch_sample_type = tk_cur_u64(&a);
	}
	if (size >= 96) {
		a.pos = 80;
		x->sample_regs_user = tk_cur_u64(&a);
		x->sample_stack_user = tk_cur_u32(&a);
		x->clockid = (int32_t)tk_cur_u32(&a);
	}
	if (size >= 104) {
		a.pos = 96;
		x->sample_regs_intr = tk_cur_u64(&a);
	}
	x->freq = (x->flags >> 10) & 1;
	x->sample_id_all = (x->flags >> 18) & 1;
	x->precise_ip = (uint8_t)((x->flags >> 15) & 3);
	calc_positions(pa);
	r->nattrs++;
	r->info.nattrs = r->nattrs;
	update_mixed(r);
	link_tracepoints(r);
	return r->nattrs - 1;
}

static int idmap_grow(struct tk_pdat_reader *r)
{
	struct pdat_idmap *m = &r->idmap, n;
	uint32_t i;

	n.cap = m->cap ? m->cap * 2 : 64;
	n.n = 0;
	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.vals = calloc(n.cap, sizeof(*n.vals));
	if (!n.keys || !n.vals) {
		free(n.keys);
		free(n.vals);
		return nomem(r);
	}
	for (i = 0; i < m->cap; i++) {
		uint32_t h;

		if (!m->keys[i])
			continue;
		h = (uint32_t)((m->keys[i] * 0x9e3779b97f4a7c15ull) >> 32) & (n.cap - 1);
		while (n.keys[h])
			h = (h + 1) & (n.cap - 1);
		n.keys[h] = m->keys[i];
		n.vals[h] = m->vals[i];
		n.n++;
	}
	free(m->keys);
	free(m->vals);
	*m = n;
	return 0;
}

/* A later attr claiming an id wins, as in perf's id hash (newest first). */
static int idmap_put(struct tk_pdat_reader *r, uint64_t id, int attr)
{
	struct pdat_idmap *m = &r->idmap;
	uint32_t h;
	int ret;

	if (!id)
		return 0;	/* 0 is what synthesized records carry: attr 0 */
	if ((m->n + 1) * 2 > m->cap) {
		ret = idmap_grow(r);
		if (ret)
			return ret;
	}
	h = (uint32_t)((id * 0x9e3779b97f4a7c15ull) >> 32) & (m->cap - 1);
	while (m->keys[h] && m->keys[h] != id)
		h = (h + 1) & (m->cap - 1);
	if (!m->keys[h])
		m->n++;
	m->keys[h] = id;
	m->vals[h] = attr;
	return 0;
}

int tk_pdat__attr_of_id(const struct tk_pdat_reader *r, uint64_t id)
{
	const struct pdat_idmap *m = &r->idmap;
	uint32_t h;

	if (!id)
		return r->nattrs ? 0 : -1;
	if (!m->cap)
		return -1;
	h = (uint32_t)((id * 0x9e3779b97f4a7c15ull) >> 32) & (m->cap - 1);
	while (m->keys[h]) {
		if (m->keys[h] == id)
			return m->vals[h];
		h = (h + 1) & (m->cap - 1);
	}
	return -1;
}

/* n u64 ids at the cursor, for attr `attr`. */
int tk_pdat__add_ids(struct tk_pdat_reader *r, int attr, struct tk_cursor *c, uint64_t n,
		     int64_t at)
{
	struct pdat_attr *a = r->attrs[attr];
	uint64_t i;
	int ret;

	if (n > tk_cur_left(c) / 8)
		return tk_err_set(&r->err, TK_ETRUNC, at, "%" PRIu64 " ids run past their end", n);
	if (n > TK_PDAT_MAX_IDS || r->nids + n > TK_PDAT_MAX_IDS)
		return tk_err_set(&r->err, TK_ELIMIT, at, "more than %u sample ids",
				  TK_PDAT_MAX_IDS);
	if (a->pub.nids + n > a->ids_cap) {
		uint64_t ncap = a->pub.nids + n;
		uint64_t *p = realloc(a->ids, (size_t)(ncap ? ncap : 1) * sizeof(*p));

		if (!p)
			return nomem(r);
		a->ids = p;
		a->ids_cap = (uint32_t)ncap;
	}
	for (i = 0; i < n; i++) {
		uint64_t id = tk_cur_u64(c);

		a->ids[a->pub.nids++] = id;
		ret = idmap_put(r, id, attr);
		if (ret)
			return ret;
	}
	r->nids += n;
	a->pub.ids = a->ids;
	return 0;
}

int tk_pdat__set_attr_name(struct tk_pdat_reader *r, int attr, const char *name, size_t n)
{
	struct pdat_attr *a;
	char *s;

	if (attr < 0 || attr >= r->nattrs)
		return 0;
	a = r->attrs[attr];
	s = dup_n(name, strnlen(name, n));
	if (!s)
		return nomem(r);
	free(a->name);
	a->name = s;
	a->pub.name = s;
	return 0;
}

/*
 * Attrs section: attrs.size / attr_size entries of
 *   attr (attr.size bytes), { u64 ids_offset, u64 ids_size }
 * (perf reads the ids section right after attr.size bytes; entries are
 * attr_size apart).
 */
static int parse_attrs(struct tk_pdat_reader *r, uint64_t attr_size, uint64_t off, uint64_t size)
{
	uint64_t n, i;

	if (!size)
		return 0;
	if (attr_size < TK_PDAT_MIN_ATTR_SIZE + 16 || attr_size > TK_PDAT_MAX_ATTR_SIZE + 16)
		return tk_err_set(&r->err, TK_ECORRUPT, 16, "attr entry size %" PRIu64, attr_size);
	if (off > r->size || size > r->size - off)
		return tk_err_set(&r->err, TK_ETRUNC, 24,
				  "attrs section (offset %" PRIu64 ", %" PRIu64
				  " bytes) runs past the end of the file",
				  off, size);
	n = size / attr_size;
	if (n > TK_PDAT_MAX_ATTRS)
		return tk_err_set(&r->err, TK_ELIMIT, 32, "%" PRIu64 " attrs (at most %d)", n,
				  TK_PDAT_MAX_ATTRS);
	for (i = 0; i < n; i++) {
		uint64_t at = off + i * attr_size, ids_off, ids_size;
		struct tk_cursor c;
		int k, ret;

		tk_cur_init(&c, r->map + at, (size_t)attr_size, at, r->swap);
		k = tk_pdat__add_attr(r, &c, (uint32_t)(attr_size - 16), (int64_t)at);
		if (k < 0)
			return k;
		ids_off = tk_cur_u64(&c);
		ids_size = tk_cur_u64(&c);
		if (c.trunc)
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
					  "attr %" PRIu64 ": ids section entry runs past the attr entry",
					  i);
		if (ids_off > r->size || ids_size > r->size - ids_off)
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)tk_cur_off(&c) - 16,
					  "attr %" PRIu64 ": ids (offset %" PRIu64 ", %" PRIu64
					  " bytes) run past the end of the file",
					  i, ids_off, ids_size);
		tk_cur_init(&c, r->map + ids_off, (size_t)ids_size, ids_off, r->swap);
		ret = tk_pdat__add_ids(r, k, &c, ids_size / 8, (int64_t)ids_off);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- tracing data (trace.dat v6 items 1-12) ----------------------------- */

/* Text handed to libtraceevent: NUL-terminated, ending in a newline (see
 * tdat-read.c's with_cstr: libtraceevent 1.7 follows NULL on text ending
 * right after "x["). */
static char *tep_text(struct tk_pdat_reader *r, const uint8_t *p, uint64_t n, size_t *len)
{
	char *s;

	s = malloc((size_t)n + 2);
	if (!s) {
		nomem(r);
		return NULL;
	}
	memcpy(s, p, (size_t)n);
	s[n] = '\0';
	n = strlen(s);
	if (n && s[n - 1] != '\n') {
		s[n++] = '\n';
		s[n] = '\0';
	}
	*len = (size_t)n;
	return s;
}

/* u32 count; count x { u64 len, format text } */
static int tracing_formats(struct tk_pdat_reader *r, struct tk_cursor *c, const char *sys)
{
	uint32_t count = tk_cur_u32(c), i;

	if (c->trunc)
		return trunc_err(r, c, "event format count", "the tracing data");
	for (i = 0; i < count; i++) {
		uint64_t at = tk_cur_off(c), len = tk_cur_u64(c);
		const uint8_t *p;
		size_t n;
		char *s;

		if (c->trunc || len > tk_cur_left(c))
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
					  "tracing data: event format %u of %u (%s): length %" PRIu64
					  " runs past the end",
					  i + 1, count, sys, len);
		p = tk_cur_bytes(c, (size_t)len);
		s = tep_text(r, p, len, &n);
		if (!s)
			return -TK_ENOMEM;
		/* A format libtraceevent cannot parse is skipped, as perf does:
		 * its samples then have no format (attr->tp NULL). */
		if (!tk_tepguard_format_trips(s, n))
			tep_parse_event(r->tep, s, n, sys);
		free(s);
	}
	return 0;
}

/* "pid comm" lines, as perf's parse_saved_cmdline registers them. */
static void tracing_cmdlines(struct tk_pdat_reader *r, char *s)
{
	char *line = s;

	while (*line) {
		char *eol = strchr(line, '\n'), *end, *comm;
		long pid;

		if (eol)
			*eol = '\0';
		pid = strtol(line, &end, 10);
		if (end != line && *end == ' ' && pid >= 0 && pid <= INT32_MAX) {
			comm = end + 1;
			if (*comm)
				tep_register_comm(r->tep, comm, (int)pid);
		}
		if (!eol)
			break;
		line = eol + 1;
	}
}

/* "header_page\0" / "header_event\0", u64 len, bytes */
static int tracing_header(struct tk_pdat_reader *r, struct tk_cursor *c, const char *tag,
			  const uint8_t **data, uint64_t *len)
{
	size_t tl = strlen(tag) + 1;
	const uint8_t *t = tk_cur_bytes(c, tl);
	uint64_t at;

	if (!t)
		return trunc_err(r, c, "header page/event tag", "the tracing data");
	if (memcmp(t, tag, tl) != 0)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)(tk_cur_off(c) - tl),
				  "tracing data: expected \"%s\"", tag);
	at = tk_cur_off(c);
	*len = tk_cur_u64(c);
	if (c->trunc || *len > tk_cur_left(c))
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
				  "tracing data: %s length %" PRIu64 " runs past the end", tag, *len);
	*data = tk_cur_bytes(c, (size_t)*len);
	return 0;
}

/*
 * magic "\x17\x08\x44tracing", version str0 ("0.5" or "0.6"), u8 endian,
 * u8 long size, u32 page size, header_page, header_event, ftrace formats,
 * event systems (u32 n; str0 name + formats), kallsyms (u32 len + text),
 * printk formats (u32 len + text), 0.6: saved cmdlines (u64 len + text).
 * Numbers follow the endian byte. Zero padding may follow.
 */
int tk_pdat__tracing_data(struct tk_pdat_reader *r, const uint8_t *p, uint64_t len, uint64_t at)
{
	struct tk_cursor c;
	const uint8_t *data;
	const char *ver;
	uint64_t n;
	uint32_t nsys, i, page_size;
	uint8_t endian, lsize;
	int ret, kl;
	size_t tl;
	char *s;

	if (r->info.has_tracing_data)
		return 0;	/* perf reads the first; a second would redefine formats */
	if (len > TK_PDAT_MAX_TRACING)
		return tk_err_set(&r->err, TK_ELIMIT, (int64_t)at,
				  "tracing data of %" PRIu64 " bytes", len);
	tk_cur_init(&c, p, (size_t)len, at, false);
	data = tk_cur_bytes(&c, 10);
	if (!data)
		return trunc_err(r, &c, "the magic", "the tracing data");
	if (memcmp(data, TRACING_MAGIC, 10) != 0)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)at,
				  "tracing data: no \\x17\\x08\\x44tracing magic");
	ver = tk_cur_str0(&c);
	if (!ver || strlen(ver) > 16)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)at + 10,
				  "tracing data: unreadable version");
	endian = tk_cur_u8(&c);
	lsize = tk_cur_u8(&c);
	if (c.trunc)
		return trunc_err(r, &c, "the header", "the tracing data");
	if (endian > 1 || (lsize != 4 && lsize != 8))
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)tk_cur_off(&c) - 2,
				  "tracing data: endian %u, long size %u", endian, lsize);
	c.swap = (endian == 1) != tk_host_bigendian();
	page_size = tk_cur_u32(&c);
	if (c.trunc)
		return trunc_err(r, &c, "the header", "the tracing data");
	tep_set_file_bigendian(r->tep, endian ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(r->tep, tk_host_bigendian() ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_long_size(r->tep, lsize);
	if (page_size && page_size <= (1u << 30))
		tep_set_page_size(r->tep, (int)page_size);

	ret = tracing_header(r, &c, "header_page", &data, &n);
	if (ret)
		return ret;
	if (n) {
		s = dup_n((const char *)data, (size_t)n);
		if (!s)
			return nomem(r);
		tep_parse_header_page(r->tep, s, (unsigned long)n, lsize);
		free(s);
	} else {
		tep_parse_header_page(r->tep, NULL, 0, lsize);
	}
	kl = tep_get_header_page_size(r->tep);
	if (kl == 4 || kl == 8)
		tep_set_long_size(r->tep, kl);
	ret = tracing_header(r, &c, "header_event", &data, &n);
	if (ret)
		return ret;

	ret = tracing_formats(r, &c, "ftrace");
	if (ret)
		return ret;
	nsys = tk_cur_u32(&c);
	if (c.trunc)
		return trunc_err(r, &c, "event system count", "the tracing data");
	for (i = 0; i < nsys; i++) {
		const char *sys = tk_cur_str0(&c);

		if (!sys)
			return trunc_err(r, &c, "event system name", "the tracing data");
		ret = tracing_formats(r, &c, sys);
		if (ret)
			return ret;
	}

	/* kallsyms: perf writes an empty one, but a file may carry it */
	at = tk_cur_off(&c);
	n = tk_cur_u32(&c);
	if (c.trunc || n > tk_cur_left(&c))
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
				  "tracing data: kallsyms length %" PRIu64 " runs past the end", n);
	data = tk_cur_bytes(&c, (size_t)n);
	if (n) {
		s = tep_text(r, data, n, &tl);
		if (!s)
			return -TK_ENOMEM;
		tep_parse_kallsyms(r->tep, s);
		free(s);
	}

	at = tk_cur_off(&c);
	n = tk_cur_u32(&c);
	if (c.trunc || n > tk_cur_left(&c))
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
				  "tracing data: printk formats length %" PRIu64 " runs past the end",
				  n);
	data = tk_cur_bytes(&c, (size_t)n);
	if (n) {
		s = tep_text(r, data, n, &tl);
		if (!s)
			return -TK_ENOMEM;
		tk_tepguard_printk_filter(s, tl);
		tep_parse_printk_formats(r->tep, s);
		free(s);
	}

	/* 0.5 (old perf) stops here */
	if (strcmp(ver, "0.5") != 0) {
		at = tk_cur_off(&c);
		n = tk_cur_u64(&c);
		if (c.trunc || n > tk_cur_left(&c))
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
					  "tracing data: saved cmdlines length %" PRIu64
					  " runs past the end",
					  n);
		data = tk_cur_bytes(&c, (size_t)n);
		if (n) {
			s = tep_text(r, data, n, &tl);
			if (!s)
				return -TK_ENOMEM;
			tracing_cmdlines(r, s);
			free(s);
		}
	}
	r->info.has_tracing_data = true;
	link_tracepoints(r);
	return 0;
}

/* ---- features ----------------------------------------------------------- */

/* string: u32 len (NUL included, padded), len bytes */
static int feat_string(struct tk_pdat_reader *r, struct tk_cursor *c, char **out)
{
	uint64_t at = tk_cur_off(c);
	uint32_t len = tk_cur_u32(c);
	const char *p;

	*out = NULL;
	if (c->trunc || len > tk_cur_left(c))
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
				  "feature string of %u bytes runs past its section", len);
	if (len > TK_PDAT_MAX_STRING)
		return tk_err_set(&r->err, TK_ELIMIT, (int64_t)at, "feature string of %u bytes",
				  len);
	p = len ? (const char *)tk_cur_bytes(c, len) : "";
	*out = dup_n(p, strnlen(p, len));
	return *out ? 0 : nomem(r);
}

/* u32 nr; nr strings, joined with spaces (perf prints them so). */
static int feat_cmdline(struct tk_pdat_reader *r, struct tk_cursor *c)
{
	uint64_t at = tk_cur_off(c);
	uint32_t nr = tk_cur_u32(c), i;
	size_t len = 0, cap = 256;
	char *buf, *arg;
	int ret;

	if (c->trunc)
		return trunc_err(r, c, "argument count", "the CMDLINE section");
	if (nr > TK_PDAT_MAX_CMDLINE || nr > tk_cur_left(c) / 4)
		return tk_err_set(&r->err, nr > TK_PDAT_MAX_CMDLINE ? TK_ELIMIT : TK_ETRUNC,
				  (int64_t)at, "CMDLINE of %u arguments", nr);
	buf = malloc(cap);
	if (!buf)
		return nomem(r);
	buf[0] = '\0';
	for (i = 0; i < nr; i++) {
		size_t al;

		ret = feat_string(r, c, &arg);
		if (ret) {
			free(buf);
			return ret;
		}
		al = strlen(arg);
		if (len + al + 2 > cap) {
			char *n;

			while (len + al + 2 > cap)
				cap *= 2;
			n = realloc(buf, cap);
			if (!n) {
				free(arg);
				free(buf);
				return nomem(r);
			}
			buf = n;
		}
		if (i)
			buf[len++] = ' ';
		memcpy(buf + len, arg, al + 1);
		len += al;
		free(arg);
	}
	free(r->cmdline);
	r->cmdline = buf;
	r->info.cmdline = buf;
	return 0;
}

/* u32 nr, u32 attr_size; nr x { attr, u32 nr_ids, string name, u64 ids[] } */
static int feat_event_desc(struct tk_pdat_reader *r, struct tk_cursor *c)
{
	uint64_t at = tk_cur_off(c);
	uint32_t nr = tk_cur_u32(c), asz = tk_cur_u32(c), i;

	if (c->trunc)
		return trunc_err(r, c, "the event count", "the EVENT_DESC section");
	if (nr > TK_PDAT_MAX_ATTRS)
		return tk_err_set(&r->err, TK_ELIMIT, (int64_t)at, "EVENT_DESC of %u events", nr);
	if (asz < TK_PDAT_MIN_ATTR_SIZE || asz > TK_PDAT_MAX_ATTR_SIZE)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)at + 4,
				  "EVENT_DESC attr size %u", asz);
	for (i = 0; i < nr; i++) {
		uint32_t nids;
		char *name;
		int ret;

		if (!tk_cur_bytes(c, asz))
			return trunc_err(r, c, "an attr", "the EVENT_DESC section");
		nids = tk_cur_u32(c);
		if (c->trunc)
			return trunc_err(r, c, "an event", "the EVENT_DESC section");
		ret = feat_string(r, c, &name);
		if (ret)
			return ret;
		if (nids > tk_cur_left(c) / 8) {
			free(name);
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)tk_cur_off(c),
					  "EVENT_DESC: %u ids run past the section", nids);
		}
		tk_cur_bytes(c, (size_t)nids * 8);
		/* perf names evsels by index (evlist__set_event_name) */
		ret = tk_pdat__set_attr_name(r, (int)i, name, strlen(name));
		free(name);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * One BUILD_ID entry, its perf_event_header already read (misc, size):
 *   s32 pid; u8 build_id[20]; u8 size; u8, u16 reserved; filename (padded)
 * misc bit 15 says the size byte is valid (else 20).
 */
int tk_pdat__buildid_entry(struct tk_pdat_reader *r, struct tk_cursor *c, uint16_t misc,
			   uint32_t size, int64_t at)
{
	struct tk_pdat_buildid *b;
	const uint8_t *id;
	const char *fn;
	size_t fl;
	uint8_t sz;
	int32_t pid;

	if (size < 36 || size - 8 > tk_cur_left(c))
		return tk_err_set(&r->err, size < 36 ? TK_ECORRUPT : TK_ETRUNC, at,
				  "build id entry of %u bytes", size);
	pid = (int32_t)tk_cur_u32(c);
	id = tk_cur_bytes(c, 20);
	sz = tk_cur_u8(c);
	tk_cur_bytes(c, 3);
	fn = (const char *)tk_cur_bytes(c, size - 36);
	if (r->nbuildids >= TK_PDAT_MAX_BUILDIDS)
		return 0;	/* kept up to the bound, the rest ignored */
	if (r->nbuildids >= r->buildids_cap) {
		int ncap = r->buildids_cap ? r->buildids_cap * 2 : 16;
		struct tk_pdat_buildid *n = realloc(r->buildids, (size_t)ncap * sizeof(*n));

		if (!n)
			return nomem(r);
		r->buildids = n;
		r->buildids_cap = ncap;
	}
	fl = strnlen(fn, size - 36);
	b = &r->buildids[r->nbuildids];
	memset(b, 0, sizeof(*b));
	b->filename = dup_n(fn, fl);
	if (!b->filename)
		return nomem(r);
	b->pid = pid;
	b->cpumode = misc & TK_PDAT_MISC_CPUMODE_MASK;
	memcpy(b->id, id, 20);
	b->size = (misc & 0x8000) && sz <= 20 ? sz : 20;
	r->nbuildids++;
	return 0;
}

/* Sequence of entries, each with a perf_event_header giving its length. */
static int feat_build_id(struct tk_pdat_reader *r, struct tk_cursor *c)
{
	while (tk_cur_left(c) >= 8) {
		uint64_t at = tk_cur_off(c);
		uint16_t misc, size;
		int ret;

		tk_cur_u32(c);	/* type: 67 in pipe mode, anything in a file */
		misc = tk_cur_u16(c);
		size = tk_cur_u16(c);
		ret = tk_pdat__buildid_entry(r, c, misc, size, (int64_t)at);
		if (ret)
			return ret;
	}
	return 0;
}

/* One feature's payload (file-mode section or HEADER_FEATURE record). */
int tk_pdat__feature(struct tk_pdat_reader *r, int feat, const uint8_t *p, uint64_t len,
		     uint64_t at)
{
	struct tk_pdat_info *in = &r->info;
	struct tk_cursor c;
	int ret = 0;

	if (len > TK_PDAT_MAX_FEATURE)
		return tk_err_set(&r->err, TK_ELIMIT, (int64_t)at,
				  "feature %d section of %" PRIu64 " bytes", feat, len);
	tk_cur_init(&c, p, (size_t)len, at, r->swap);
	switch (feat) {
	case TK_PDAT_FEAT_TRACING_DATA:
		return tk_pdat__tracing_data(r, p, len, at);
	case TK_PDAT_FEAT_BUILD_ID:
		return feat_build_id(r, &c);
	case TK_PDAT_FEAT_HOSTNAME:
	case TK_PDAT_FEAT_OSRELEASE:
	case TK_PDAT_FEAT_VERSION:
	case TK_PDAT_FEAT_ARCH:
	case TK_PDAT_FEAT_CPUDESC:
	case TK_PDAT_FEAT_CPUID: {
		char *s;

		ret = feat_string(r, &c, &s);
		if (ret)
			return ret;
		free(r->strs[feat]);
		r->strs[feat] = s;
		in->hostname = r->strs[TK_PDAT_FEAT_HOSTNAME];
		in->osrelease = r->strs[TK_PDAT_FEAT_OSRELEASE];
		in->version = r->strs[TK_PDAT_FEAT_VERSION];
		in->arch = r->strs[TK_PDAT_FEAT_ARCH];
		in->cpudesc = r->strs[TK_PDAT_FEAT_CPUDESC];
		in->cpuid = r->strs[TK_PDAT_FEAT_CPUID];
		return 0;
	}
	case TK_PDAT_FEAT_NRCPUS:
		/* available first, then online (perf's code; its .txt has it
		 * the other way round) */
		in->nr_cpus_avail = tk_cur_u32(&c);
		in->nr_cpus_online = tk_cur_u32(&c);
		break;
	case TK_PDAT_FEAT_TOTAL_MEM:
		in->total_mem_kb = tk_cur_u64(&c);
		break;
	case TK_PDAT_FEAT_CMDLINE:
		return feat_cmdline(r, &c);
	case TK_PDAT_FEAT_EVENT_DESC:
		return feat_event_desc(r, &c);
	case TK_PDAT_FEAT_SAMPLE_TIME:
		in->sample_time_first = tk_cur_u64(&c);
		in->sample_time_last = tk_cur_u64(&c);
		break;
	case TK_PDAT_FEAT_CLOCKID:
		in->clock_res_ns = tk_cur_u64(&c);	/* a resolution, not an id */
		break;
	case TK_PDAT_FEAT_COMPRESSED: {
		uint32_t ver = tk_cur_u32(&c);

		(void)ver;
		in->comp_type = tk_cur_u32(&c);
		in->comp_level = tk_cur_u32(&c);
		in->comp_ratio = tk_cur_u32(&c);
		in->comp_mmap_len = tk_cur_u32(&c);
		if (!c.trunc)
			in->compressed = true;
		break;
	}
	case TK_PDAT_FEAT_CLOCK_DATA: {
		uint32_t ver = tk_cur_u32(&c);

		in->clock_clockid = (int32_t)tk_cur_u32(&c);
		in->clock_tod_ns = tk_cur_u64(&c);
		in->clock_clk_ns = tk_cur_u64(&c);
		if (!c.trunc && ver != 1)
			return tk_err_set(&r->err, TK_EUNSUPP, (int64_t)at,
					  "CLOCK_DATA version %u (1 expected)", ver);
		if (!c.trunc)
			in->has_clock_data = true;
		break;
	}
	default:
		return 0;	/* unknown features are skipped, as perf does */
	}
	if (c.trunc)
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
				  "feature %d section of %" PRIu64 " bytes is too short", feat, len);
	return ret;
}

/* Feature index at data.offset + data.size: one { u64 offset, u64 size }
 * per set bit of adds_features, in bit order. */
static int parse_features(struct tk_pdat_reader *r)
{
	uint64_t at = r->info.data_offset + r->info.data_size;
	struct tk_cursor c;
	int feat, nsec = 0, ret;

	for (feat = 0; feat < TK_PDAT_NFEAT; feat++)
		if (r->info.features[feat / 64] >> (feat % 64) & 1)
			nsec++;
	if (!nsec)
		return 0;
	if (at > r->size || (uint64_t)nsec * 16 > r->size - at)
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)at,
				  "feature index of %d sections runs past the end of the file",
				  nsec);
	tk_cur_init(&c, r->map + at, (size_t)nsec * 16, at, r->swap);
	for (feat = 0; feat < TK_PDAT_NFEAT; feat++) {
		uint64_t off, size;

		if (!(r->info.features[feat / 64] >> (feat % 64) & 1))
			continue;
		off = tk_cur_u64(&c);
		size = tk_cur_u64(&c);
		if (off > r->size || size > r->size - off)
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)tk_cur_off(&c) - 16,
					  "feature %d section (offset %" PRIu64 ", %" PRIu64
					  " bytes) runs past the end of the file",
					  feat, off, size);
		ret = tk_pdat__feature(r, feat, r->map + off, size, off);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- open / close ------------------------------------------------------- */

/*
 * File header (104 bytes; 72 before the feature bitmap existed):
 *   magic[8], u64 size, u64 attr_size, {off, size} attrs, data, event_types,
 *   u64 adds_features[4]
 * Pipe header: magic[8], u64 size = 16.
 */
static int parse_header(struct tk_pdat_reader *r, const uint8_t *p, size_t len)
{
	struct tk_cursor c;
	uint64_t hsize, attr_size, attrs_off, attrs_size;
	int i;

	if (len < 8) {
		if (!len)
			return tk_err_set(&r->err, TK_EFORMAT, -1, "empty file");
		return tk_err_set(&r->err, TK_EFORMAT, 0, "not a perf.data file (only %zu bytes)",
				  len);
	}
	if (memcmp(p, MAGIC_V1, 8) == 0)
		return tk_err_set(&r->err, TK_EUNSUPP, 0,
				  "perf.data version 1 (PERFFILE) is not supported");
	if (memcmp(p, MAGIC_LE, 8) == 0)
		r->swap = tk_host_bigendian();
	else if (memcmp(p, MAGIC_BE, 8) == 0)
		r->swap = !tk_host_bigendian();
	else
		return tk_err_set(&r->err, TK_EFORMAT, 0, "not a perf.data file (no PERFILE2 magic)");
	r->info.swapped = r->swap;
	tk_cur_init(&c, p, len, 0, r->swap);
	tk_cur_bytes(&c, 8);
	hsize = tk_cur_u64(&c);
	if (c.trunc)
		return trunc_err(r, &c, "the file header", "the file");
	if (hsize == TK_PDAT_PIPE_HEADER) {
		r->info.pipe = true;
		r->pos = TK_PDAT_PIPE_HEADER;
		return 0;
	}
	if (hsize != TK_PDAT_HEADER_SIZE && hsize != TK_PDAT_HEADER_SIZE_OLD)
		return tk_err_set(&r->err, TK_ECORRUPT, 8,
				  "header size %" PRIu64 " (104, 72 or 16 expected)", hsize);
	if (r->src == PDAT_SRC_PIPE)
		return tk_err_set(&r->err, TK_EUNSUPP, 8,
				  "a file-mode perf.data cannot be read from a pipe");
	attr_size = tk_cur_u64(&c);
	attrs_off = tk_cur_u64(&c);
	attrs_size = tk_cur_u64(&c);
	r->info.data_offset = tk_cur_u64(&c);
	r->info.data_size = tk_cur_u64(&c);
	tk_cur_u64(&c);	/* event_types: unused since perf 2.6.3x */
	tk_cur_u64(&c);
	if (hsize == TK_PDAT_HEADER_SIZE)
		for (i = 0; i < 4; i++)
			r->info.features[i] = tk_cur_u64(&c);
	if (c.trunc)
		return trunc_err(r, &c, "the file header", "the file");
	if (r->info.data_offset > r->size)
		return tk_err_set(&r->err, TK_ETRUNC, 40,
				  "data section offset %" PRIu64 " lies past the end of the file",
				  r->info.data_offset);
	if (r->info.data_size == 0) {
		/* perf record patches data.size at exit; 0 means it was killed.
		 * The records are still there: read them up to the end. The
		 * feature index would have followed them, so there is none. */
		r->info.salvaged = true;
		r->data_end = r->size;
		memset(r->info.features, 0, sizeof(r->info.features));
	} else {
		if (r->info.data_size > r->size - r->info.data_offset)
			return tk_err_set(&r->err, TK_ETRUNC, 48,
					  "data section (offset %" PRIu64 ", %" PRIu64
					  " bytes) runs past the end of the file (%" PRIu64 " bytes)",
					  r->info.data_offset, r->info.data_size, r->size);
		r->data_end = r->info.data_offset + r->info.data_size;
	}
	r->pos = r->info.data_offset;
	return parse_attrs(r, attr_size, attrs_off, attrs_size);
}

static struct tk_pdat_reader *reader_new(const char *name, const struct tk_pdat_opts *opts)
{
	struct tk_pdat_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	tk_err_clear(&r->err);
	tk_err_set_file(&r->err, name);
	if (opts)
		r->opts = *opts;
	if (!r->opts.reorder_max)
		r->opts.reorder_max = TK_PDAT_DEFAULT_REORDER;
	r->fd = -1;
	r->cur_block = -1;
	r->held_block = -1;
	return r;
}

static int finish_open(struct tk_pdat_reader *r, struct tk_pdat_reader **out, struct tk_err *err)
{
	int ret;

	r->tep = tep_alloc();
	if (!r->tep) {
		ret = nomem(r);
		goto fail;
	}
	if (!r->opts.no_plugins)
		r->plugins = tep_load_plugins(r->tep);
	if (r->src == PDAT_SRC_FILE) {
		ret = parse_header(r, r->map, (size_t)r->size);
		if (!ret && r->info.pipe)
			r->data_end = r->size;	/* pipe format stored in a file */
		if (!ret && !r->info.pipe)
			ret = parse_features(r);
	} else {
		uint8_t hdr[TK_PDAT_PIPE_HEADER];
		size_t got = 0;

		while (got < sizeof(hdr)) {
			ssize_t n = read(r->fd, hdr + got, sizeof(hdr) - got);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				ret = tk_err_sys(&r->err, errno, (int64_t)got, "cannot read");
				goto fail;
			}
			if (n == 0)
				break;
			got += (size_t)n;
		}
		ret = parse_header(r, hdr, got);
		if (!ret && got < sizeof(hdr))
			ret = tk_err_set(&r->err, TK_ETRUNC, 0, "file ends inside the pipe header");
		r->bytes_read = got;
	}
	if (ret)
		goto fail;
	r->info.file_size = r->size;
	ret = tk_pdat__rec_init(r);
	if (ret)
		goto fail;
	*out = r;
	return 0;
fail:
	if (err)
		*err = r->err;
	tk_pdat_close(r);
	return ret ? ret : -TK_ECORRUPT;
}

static int map_file(struct tk_pdat_reader *r, const struct stat *st)
{
	r->src = PDAT_SRC_FILE;
	r->size = (uint64_t)st->st_size;
	if (r->size) {
		void *m = mmap(NULL, (size_t)r->size, PROT_READ, MAP_PRIVATE, r->fd, 0);

		if (m == MAP_FAILED)
			return tk_err_sys(&r->err, errno, -1, "cannot map");
		r->map = m;
		madvise(m, (size_t)r->size, MADV_SEQUENTIAL);
	}
	return 0;
}

int tk_pdat_open(const char *path, const struct tk_pdat_opts *opts, struct tk_pdat_reader **out,
		 struct tk_err *err)
{
	struct tk_pdat_reader *r;
	struct stat st;
	int ret;

	*out = NULL;
	r = reader_new(path, opts);
	if (!r)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	r->own_fd = true;
	if (r->fd < 0) {
		ret = tk_err_sys(&r->err, errno, -1, "cannot open");
		goto fail;
	}
	if (fstat(r->fd, &st) < 0) {
		ret = tk_err_sys(&r->err, errno, -1, "cannot stat");
		goto fail;
	}
	if (S_ISREG(st.st_mode)) {
		ret = map_file(r, &st);
		if (ret)
			goto fail;
	} else if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode)) {
		r->src = PDAT_SRC_PIPE;
	} else {
		ret = tk_err_set(&r->err, TK_EFORMAT, -1, "not a regular file or a pipe");
		goto fail;
	}
	return finish_open(r, out, err);
fail:
	if (err)
		*err = r->err;
	tk_pdat_close(r);
	return ret;
}

int tk_pdat_open_fd(int fd, const char *name, const struct tk_pdat_opts *opts,
		    struct tk_pdat_reader **out, struct tk_err *err)
{
	struct tk_pdat_reader *r;
	struct stat st;
	int ret;

	*out = NULL;
	r = reader_new(name ? name : "-", opts);
	if (!r)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	r->fd = fd;
	r->own_fd = false;
	/* A regular file on the descriptor (`< perf.data`) is mapped like a
	 * path; anything else is read through the bounded pipe buffer. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && lseek(fd, 0, SEEK_CUR) == 0) {
		ret = map_file(r, &st);
		if (ret) {
			if (err)
				*err = r->err;
			tk_pdat_close(r);
			return ret;
		}
	} else {
		r->src = PDAT_SRC_PIPE;
	}
	return finish_open(r, out, err);
}

void tk_pdat_close(struct tk_pdat_reader *r)
{
	int i;

	if (!r)
		return;
	tk_pdat__rec_fini(r);
	for (i = 0; i < r->nattrs; i++) {
		free(r->attrs[i]->ids);
		free(r->attrs[i]->name);
		free(r->attrs[i]);
	}
	free(r->attrs);
	free(r->idmap.keys);
	free(r->idmap.vals);
	for (i = 0; i < TK_PDAT_NFEAT; i++)
		free(r->strs[i]);
	free(r->cmdline);
	for (i = 0; i < r->nbuildids; i++)
		free((char *)(uintptr_t)r->buildids[i].filename);
	free(r->buildids);
	if (r->tep) {
		if (r->plugins)
			tep_unload_plugins(r->plugins, r->tep);
		tep_free(r->tep);
	}
	if (r->map)
		munmap(r->map, (size_t)r->size);
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	free(r);
}

/* ---- queries ------------------------------------------------------------ */

const struct tk_pdat_info *tk_pdat_get_info(const struct tk_pdat_reader *r)
{
	return &r->info;
}

const struct tk_pdat_attr *tk_pdat_get_attr(const struct tk_pdat_reader *r, int i)
{
	if (i < 0 || i >= r->nattrs)
		return NULL;
	return &r->attrs[i]->pub;
}

int tk_pdat_nattrs(const struct tk_pdat_reader *r)
{
	return r->nattrs;
}

const struct tk_pdat_buildid *tk_pdat_get_buildids(const struct tk_pdat_reader *r, int *n)
{
	*n = r->nbuildids;
	return r->buildids;
}

struct tep_handle *tk_pdat_get_tep(const struct tk_pdat_reader *r)
{
	return r->tep;
}

const struct tk_pdat_counts *tk_pdat_get_counts(const struct tk_pdat_reader *r)
{
	return &r->counts;
}

uint64_t tk_pdat_bytes_read(const struct tk_pdat_reader *r)
{
	return r->bytes_read;
}

const struct tk_err *tk_pdat_get_err(const struct tk_pdat_reader *r)
{
	return &r->err;
}
