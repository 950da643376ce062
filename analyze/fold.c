/* SPDX-License-Identifier: MIT */
#include "analyze/fold.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/stacks.h"
#include "core/strtab.h"

/* One frame name is built in a scratch buffer first; this caps it. */
#define MAX_NAME (1u << 20)

struct tk_fold {
	struct tk_fold_opts opts;
	struct tk_strtab *names;
	struct tk_stacks *stacks;
	struct tk_fold_counts counts;
	char *event;			/* owned copy of the filter in effect */
	char *buf;			/* scratch for one name */
	size_t buf_cap;
	uint32_t *ids;			/* scratch for one line's frame ids */
	size_t ids_cap;
};

struct tk_fold *tk_fold_create(const struct tk_fold_opts *opts, struct tk_err *err)
{
	struct tk_fold *f = calloc(1, sizeof(*f));
	size_t max = opts->max_bytes ? opts->max_bytes : (size_t)1 << 30;

	if (!f)
		goto nomem;
	f->opts = *opts;
	/* Names and trie share the budget; stack tries are larger. */
	f->names = tk_strtab_create(max / 3);
	f->stacks = tk_stacks_create(max - max / 3);
	if (!f->names || !f->stacks)
		goto nomem;
	if (opts->event) {
		f->event = strdup(opts->event);
		if (!f->event)
			goto nomem;
		f->counts.event = f->event;
	}
	return f;
nomem:
	tk_fold_destroy(f);
	tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	return NULL;
}

void tk_fold_destroy(struct tk_fold *f)
{
	if (!f)
		return;
	tk_strtab_destroy(f->names);
	tk_stacks_destroy(f->stacks);
	free(f->event);
	free(f->buf);
	free(f->ids);
	free(f);
}

static int reserve(struct tk_fold *f, size_t n)
{
	char *b;

	if (n <= f->buf_cap)
		return 0;
	if (n > MAX_NAME)
		return -TK_ELIMIT;
	b = realloc(f->buf, n);
	if (!b)
		return -TK_ENOMEM;
	f->buf = b;
	f->buf_cap = n;
	return 0;
}

static int fail(int ret, struct tk_err *err)
{
	if (ret == -TK_ELIMIT)
		return tk_err_set(err, TK_ELIMIT, -1, "stack table over its memory limit");
	return tk_err_set(err, -ret, -1, "out of memory");
}

/* Intern buf[0..len) as the child of *node. */
static int push(struct tk_fold *f, const char *s, size_t len, uint32_t *node)
{
	uint32_t id;
	int ret = tk_strtab_intern(f->names, s, len, &id);

	if (ret < 0)
		return ret;
	return tk_stacks_child(f->stacks, *node, id, node);
}

static int process_frame(struct tk_fold *f, const char *comm, size_t comm_len, int64_t pid,
			 int64_t tid);

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Length of sym without a trailing "+0x[0-9a-f]+" (lower case, as perf prints). */
static size_t strip_offset(const char *sym, size_t len)
{
	size_t i;

	for (i = len; i >= 3; i--) {
		if (sym[i - 3] == '+' && sym[i - 2] == '0' && sym[i - 1] == 'x')
			break;
	}
	if (i < 3 || i == len)
		return len;
	for (size_t j = i; j < len; j++)
		if (!is_hex(sym[j]))
			return len;
	return i - 3;
}

/* A name like "net/http.(*Client).Do": ".(" and, later, ")." */
static bool looks_like_go(const char *s, size_t len)
{
	const char *p = memmem(s, len, ".(", 2);

	return p && memmem(p + 2, len - (size_t)(p + 2 - s), ").", 2);
}

static bool is_jit_map(const char *dso)
{
	const char *p = dso;

	/* "/tmp/perf-<digits>.map" anywhere in the DSO text */
	while ((p = strstr(p, "/tmp/perf-")) != NULL) {
		const char *q = p + 10;

		while (*q >= '0' && *q <= '9')
			q++;
		if (q > p + 10 && !strncmp(q, ".map", 4))
			return true;
		p++;
	}
	return false;
}

static bool is_kernel_dso(const char *dso)
{
	size_t len = strlen(dso);

	return (dso[0] == '[' || ends_with(dso, len, "vmlinux")) && !strstr(dso, "unknown");
}

/*
 * Build the name of one part of a callchain line into f->buf; returns its
 * length or < 0. `inlined`: not the first part of an "a->b" line.
 */
static int part_name(struct tk_fold *f, const char *part, size_t len, const struct tk_fold_frame *fr,
		     bool inlined, bool java)
{
	size_t dlen = strlen(fr->dso), n = 0, i, k;
	int ret;
	char *b;

	ret = reserve(f, len + dlen + strlen(fr->pc) + 16);
	if (ret < 0)
		return ret;
	b = f->buf;
	if (len == 9 && !memcmp(part, "[unknown]", 9)) {
		const char *base = "unknown";
		size_t blen = 7;

		if (strcmp(fr->dso, "[unknown]")) {
			const char *slash = strrchr(fr->dso, '/');

			base = slash ? slash + 1 : fr->dso;
			blen = strlen(base);
		}
		b[n++] = '[';
		memcpy(b + n, base, blen);
		n += blen;
		if (f->opts.addrs) {
			b[n++] = ' ';
			b[n++] = '<';
			memcpy(b + n, fr->pc, strlen(fr->pc));
			n += strlen(fr->pc);
			b[n++] = '>';
		}
		b[n++] = ']';
	} else {
		memcpy(b, part, len);
		n = len;
	}
	for (i = 0; i < n; i++)
		if (b[i] == ';')
			b[i] = ':';
	if (!looks_like_go(b, n)) {
		/* drop from the first '(' that does not open "(anonymous namespace)" */
		for (i = 0; i < n; i++)
			if (b[i] == '(' && (n - i < 21 || memcmp(b + i, "(anonymous namespace)", 21)))
				break;
		n = i;
	}
	for (i = k = 0; i < n; i++)
		if (b[i] != '"' && b[i] != '\'')
			b[k++] = b[i];
	n = k;
	if (java && n && b[0] == 'L' && memchr(b, '/', n)) {
		memmove(b, b + 1, n - 1);
		n--;
	}
	if (inlined) {
		if (!memmem(b, n, "_[i]", 4)) {
			memcpy(b + n, "_[i]", 4);
			n += 4;
		}
	} else if (f->opts.annotate_kernel && is_kernel_dso(fr->dso)) {
		memcpy(b + n, "_[k]", 4);
		n += 4;
	} else if (f->opts.annotate_jit && is_jit_map(fr->dso)) {
		if (!memmem(b, n, "_[j]", 4)) {
			memcpy(b + n, "_[j]", 4);
			n += 4;
		}
	}
	return (int)n;
}

int tk_fold_line_ids(struct tk_fold *f, const struct tk_fold_frame *fr, bool java, uint32_t *ids,
		     size_t max, struct tk_err *err)
{
	const char *sym = fr->sym;
	size_t len = strip_offset(sym, strlen(sym)), start = 0, end, n = 0;
	int ret;

	if (len && sym[0] == '(')
		return 0;
	/* Split on "->" as Perl's split does: trailing empty parts go. */
	while (len >= 2 && sym[len - 2] == '-' && sym[len - 1] == '>')
		len -= 2;
	if (!len)
		return 0;
	for (;;) {
		const char *arrow = memmem(sym + start, len - start, "->", 2);

		end = arrow ? (size_t)(arrow - sym) : len;
		if (n == max)
			return fail(-TK_ELIMIT, err);
		ret = part_name(f, sym + start, end - start, fr, start > 0, java);
		if (ret >= 0)
			ret = tk_strtab_intern(f->names, f->buf, (size_t)ret, &ids[n]);
		if (ret < 0)
			return fail(ret, err);
		n++;
		if (end == len)
			return (int)n;
		start = end + 2;
	}
}

bool tk_fold_is_java(const char *comm)
{
	/* the process frame is the comm with spaces made '_': same first 4 bytes */
	return !strncmp(comm, "java", 4);
}

bool tk_fold_comm_wanted(const struct tk_fold *f, const char *comm)
{
	size_t i;

	if (!f->opts.comms)
		return true;
	for (i = 0; i < f->opts.ncomms; i++)
		if (!strcmp(f->opts.comms[i], comm))
			return true;
	return false;
}

/* The event filter: 1 keep, 0 drop, < 0 ENOMEM. */
static int event_wanted(struct tk_fold *f, const struct tk_fold_sample *s)
{
	if (f->opts.event)
		return s->event && !strcmp(s->event, f->event);
	/* stackcollapse-perf.pl only sees events that end the header line */
	if (!s->event_shown || !s->event)
		return 1;
	if (!f->event) {
		f->event = strdup(s->event);
		if (!f->event)
			return -TK_ENOMEM;
		f->counts.event = f->event;
		f->counts.event_defaulted = true;
		return 1;
	}
	return !strcmp(s->event, f->event);
}

int tk_fold_begin(struct tk_fold *f, const struct tk_fold_sample *s, uint32_t *node,
		  struct tk_err *err)
{
	int ret;

	*node = TK_STACKS_ROOT;
	f->counts.samples++;
	ret = event_wanted(f, s);
	if (ret < 0)
		return fail(ret, err);
	if (!ret) {
		f->counts.other_event++;
		return 0;
	}
	if (!tk_fold_comm_wanted(f, s->comm)) {
		f->counts.other_comm++;
		return 0;
	}
	if (!f->opts.no_comm) {
		ret = process_frame(f, s->comm, strlen(s->comm), s->pid, s->tid);
		if (ret >= 0)
			ret = push(f, f->buf, (size_t)ret, node);
		if (ret < 0)
			return fail(ret, err);
	}
	return 1;
}

int tk_fold_extend(struct tk_fold *f, uint32_t *node, const uint32_t *ids, size_t n,
		   struct tk_err *err)
{
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = tk_stacks_child(f->stacks, *node, ids[i], node);
		if (ret < 0)
			return fail(ret, err);
	}
	return 0;
}

int tk_fold_end(struct tk_fold *f, const struct tk_fold_sample *s, uint32_t node)
{
	if (node == TK_STACKS_ROOT)
		return 0;
	tk_stacks_add_weight(f->stacks, node, s->period && s->event_shown ? s->period : 1);
	f->counts.kept++;
	return 1;
}

int tk_fold_add(struct tk_fold *f, const struct tk_fold_sample *s, struct tk_err *err)
{
	bool java = tk_fold_is_java(s->comm);
	uint32_t node;
	size_t i;
	int ret, n;

	ret = tk_fold_begin(f, s, &node, err);
	if (ret <= 0)
		return ret;
	for (i = s->nframes; i-- > 0;) {
		/* a line of L bytes has at most L / 2 + 1 "->" parts */
		size_t need = strlen(s->frames[i].sym) / 2 + 1;

		if (need > f->ids_cap) {
			uint32_t *p = need <= MAX_NAME ? realloc(f->ids, need * sizeof(*p)) : NULL;

			if (!p)
				return fail(-TK_ENOMEM, err);
			f->ids = p;
			f->ids_cap = need;
		}
		n = tk_fold_line_ids(f, &s->frames[i], java, f->ids, f->ids_cap, err);
		if (n < 0)
			return n;
		ret = tk_fold_extend(f, &node, f->ids, (size_t)n, err);
		if (ret < 0)
			return ret;
	}
	return tk_fold_end(f, s, node);
}

int tk_fold_add_ids(struct tk_fold *f, const struct tk_fold_sample *s, const uint32_t *ids,
		    size_t nids, struct tk_err *err)
{
	uint32_t node;
	int ret = tk_fold_begin(f, s, &node, err);

	if (ret <= 0)
		return ret;
	ret = tk_fold_extend(f, &node, ids, nids, err);
	return ret < 0 ? ret : tk_fold_end(f, s, node);
}

/* The process frame into f->buf; returns its length or < 0. */
static int process_frame(struct tk_fold *f, const char *comm, size_t comm_len, int64_t pid,
			 int64_t tid)
{
	char ids[48] = "";
	size_t n, i;
	int ret;

	/* The script's rule: without a PID, or for TID 0, the PID is "?" and
	 * the TID is whatever number was printed first. */
	if (f->opts.tid || f->opts.pid) {
		char p[24] = "?";

		if (pid >= 0 && tid == 0)
			tid = pid;
		else if (pid >= 0)
			snprintf(p, sizeof(p), "%" PRId64, pid);
		if (f->opts.tid)
			snprintf(ids, sizeof(ids), "-%s/%" PRId64, p, tid);
		else
			snprintf(ids, sizeof(ids), "-%s", p);
	}
	n = strlen(ids);
	ret = reserve(f, comm_len + n + 1);
	if (ret < 0)
		return ret;
	memcpy(f->buf, comm, comm_len);
	memcpy(f->buf + comm_len, ids, n);
	n += comm_len;
	for (i = 0; i < n; i++)
		if (f->buf[i] == ' ')
			f->buf[i] = '_';
	return (int)n;
}

int tk_fold_proc_id(struct tk_fold *f, const char *comm, int64_t pid, int64_t tid, uint32_t *id,
		    struct tk_err *err)
{
	int ret = process_frame(f, comm, strlen(comm), pid, tid);

	if (ret >= 0)
		ret = tk_strtab_intern(f->names, f->buf, (size_t)ret, id);
	return ret < 0 ? fail(ret, err) : 0;
}

void tk_fold_add_weight(struct tk_fold *f, uint32_t node, uint64_t weight)
{
	if (node != TK_STACKS_ROOT)
		tk_stacks_add_weight(f->stacks, node, weight);
}

const struct tk_fold_opts *tk_fold_get_opts(const struct tk_fold *f)
{
	return &f->opts;
}

const struct tk_stacks *tk_fold_get_stacks(const struct tk_fold *f)
{
	return f->stacks;
}

const struct tk_strtab *tk_fold_get_names(const struct tk_fold *f)
{
	return f->names;
}

const struct tk_fold_counts *tk_fold_get_counts(const struct tk_fold *f)
{
	return &f->counts;
}
