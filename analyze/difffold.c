/* SPDX-License-Identifier: MIT */
/*
 * difffolded.pl's merge of two folded files (analyze/difffold.h). Stacks
 * are interned in a tk_strtab, whose ids are dense, so the two counts live
 * in plain arrays indexed by id.
 */
#include "analyze/difffold.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strtab.h"

#define DEFAULT_MAX (1ull << 30)

struct line;

struct tk_difffold {
	struct tk_difffold_opts o;
	struct tk_strtab *stacks;
	uint64_t *count[2];		/* by stack id */
	size_t cap;
	uint64_t total[2];
	struct line *lines;		/* after finish, in line order */
	size_t n;
	char *scratch;			/* strip_hex rewrite */
	size_t scratch_cap;
	bool finished;
};

struct tk_difffold *tk_difffold_create(const struct tk_difffold_opts *o, struct tk_err *err)
{
	struct tk_difffold *d = calloc(1, sizeof(*d));

	if (d) {
		if (o)
			d->o = *o;
		if (!d->o.max_bytes)
			d->o.max_bytes = DEFAULT_MAX;
		d->stacks = tk_strtab_create(d->o.max_bytes);
	}
	if (!d || !d->stacks) {
		tk_difffold_destroy(d);
		tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		return NULL;
	}
	return d;
}

void tk_difffold_destroy(struct tk_difffold *d)
{
	if (!d)
		return;
	tk_strtab_destroy(d->stacks);
	free(d->count[0]);
	free(d->count[1]);
	free(d->lines);
	free(d->scratch);
	free(d);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* s/0x[0-9a-fA-F]+/0x.../g into the scratch buffer. */
static int strip_hex(struct tk_difffold *d, const char **s, size_t *len)
{
	size_t i = 0, k = 0, need = *len + *len / 2 + 8;
	const char *in = *s;

	if (need > d->scratch_cap) {
		char *p = realloc(d->scratch, need);

		if (!p)
			return -TK_ENOMEM;
		d->scratch = p;
		d->scratch_cap = need;
	}
	/* "0xA" (3 bytes) becomes "0x..." (5): at most 5/3 of the input. */
	while (i < *len) {
		if (in[i] == '0' && i + 2 < *len && in[i + 1] == 'x' && is_hex(in[i + 2])) {
			memcpy(d->scratch + k, "0x...", 5);
			k += 5;
			i += 2;
			while (i < *len && is_hex(in[i]))
				i++;
		} else {
			d->scratch[k++] = in[i++];
		}
	}
	*s = d->scratch;
	*len = k;
	return 0;
}

int tk_difffold_add(struct tk_difffold *d, enum tk_difffold_side side, const char *stack,
		    size_t len, uint64_t count, struct tk_err *err)
{
	uint32_t id;
	int ret;

	if (d->finished)
		return tk_err_set(err, TK_EINVAL, -1, "stacks already merged");
	if (d->o.strip_hex && len > SIZE_MAX / 2 - 8)
		return tk_err_set(err, TK_ELIMIT, -1, "stack too long");
	if (d->o.strip_hex && strip_hex(d, &stack, &len) < 0)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	ret = tk_strtab_intern(d->stacks, stack, len, &id);
	if (ret < 0)
		return tk_err_set(err, -ret, -1, "%s",
				  ret == -TK_ELIMIT ? "stacks over the memory cap" : "out of memory");
	if (id >= d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 1024, i;
		uint64_t *p;

		if (tk_strtab_bytes(d->stacks) + ncap * 2 * sizeof(uint64_t) > d->o.max_bytes)
			return tk_err_set(err, TK_ELIMIT, -1, "stacks over the memory cap");
		for (i = 0; i < 2; i++) {
			p = realloc(d->count[i], ncap * sizeof(*p));
			if (!p)
				return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
			memset(p + d->cap, 0, (ncap - d->cap) * sizeof(*p));
			d->count[i] = p;
		}
		d->cap = ncap;
	}
	/* Saturate rather than wrap; 2^64 samples do not happen. */
	d->count[side][id] = count > UINT64_MAX - d->count[side][id] ? UINT64_MAX
								    : d->count[side][id] + count;
	d->total[side] = count > UINT64_MAX - d->total[side] ? UINT64_MAX : d->total[side] + count;
	return 0;
}

/*
 * Perl's int($a * $t2 / $t1): an integer product when it fits in 64 bits,
 * an exact integer quotient when it divides, else doubles.
 */
static uint64_t perl_scale(uint64_t a, uint64_t t2, uint64_t t1)
{
	unsigned __int128 p = (unsigned __int128)a * t2;

	if (p <= UINT64_MAX) {
		uint64_t q = (uint64_t)p;

		if (q % t1 == 0)
			return q / t1;
		return (uint64_t)((double)q / (double)t1);
	}
	return (uint64_t)((double)a * (double)t2 / (double)t1);
}

/* A line, self-contained so the comparison needs no context. */
struct line {
	const char *s;
	size_t len;
	uint64_t a, b;
};

/* The line's text " A B" after the stack. */
static size_t line_tail(const struct line *l, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, " %" PRIu64 " %" PRIu64, l->a, l->b);

	return n > 0 ? (size_t)n : 0;
}

/* Byte order of "STACK A B", as Perl's sort compares the lines. */
static int line_cmp(const void *pa, const void *pb)
{
	const struct line *a = pa, *b = pb;
	char ta[48], tb[48];
	size_t i, m = a->len < b->len ? a->len : b->len, la, lb;
	int c = memcmp(a->s, b->s, m);

	if (c)
		return c;
	la = a->len + line_tail(a, ta, sizeof(ta));
	lb = b->len + line_tail(b, tb, sizeof(tb));
	for (i = m; i < la && i < lb; i++) {
		unsigned char x = (unsigned char)(i < a->len ? a->s[i] : ta[i - a->len]);
		unsigned char y = (unsigned char)(i < b->len ? b->s[i] : tb[i - b->len]);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return la < lb ? -1 : la > lb;
}

int tk_difffold_finish(struct tk_difffold *d, bool normalize, struct tk_err *err)
{
	uint32_t i, n = tk_strtab_count(d->stacks);

	if (d->finished)
		return 0;
	if (normalize && d->total[0] != d->total[1]) {
		if (!d->total[0])
			return tk_err_set(err, TK_EINVAL, -1,
					  "cannot normalise: the first input has no counts");
		for (i = 0; i < n; i++)
			d->count[0][i] = perl_scale(d->count[0][i], d->total[1], d->total[0]);
	}
	d->lines = malloc((n ? n : 1) * sizeof(*d->lines));
	if (!d->lines)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	for (i = 0; i < n; i++) {
		d->lines[i].s = tk_strtab_get(d->stacks, i);
		d->lines[i].len = tk_strtab_get_len(d->stacks, i);
		d->lines[i].a = d->count[0][i];
		d->lines[i].b = d->count[1][i];
	}
	qsort(d->lines, n, sizeof(*d->lines), line_cmp);
	d->n = n;
	d->finished = true;
	return 0;
}

uint64_t tk_difffold_get_total(const struct tk_difffold *d, enum tk_difffold_side side)
{
	return d->total[side];
}

size_t tk_difffold_count(const struct tk_difffold *d)
{
	return d->n;
}

void tk_difffold_get(const struct tk_difffold *d, size_t i, const char **stack, size_t *len,
		     uint64_t *a, uint64_t *b)
{
	const struct line *l = &d->lines[i];

	*stack = l->s;
	*len = l->len;
	*a = l->a;
	*b = l->b;
}
