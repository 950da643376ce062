/* SPDX-License-Identifier: MIT */
#include "analyze/dist.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

void tk_dist_init(struct tk_dist *d, uint64_t unit)
{
	memset(d, 0, sizeof(*d));
	d->unit = unit ? unit : 1;
}

void tk_dist_release(struct tk_dist *d)
{
	free(d->v);
	d->v = NULL;
	d->cap = 0;
}

unsigned tk_dist_bucket(uint64_t v)
{
	unsigned b = 0;

	while (v) {
		b++;
		v >>= 1;
	}
	return b;
}

int tk_dist_add(struct tk_dist *d, uint64_t v)
{
	if (d->n == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 16;
		uint64_t *nv = realloc(d->v, ncap * sizeof(*nv));

		if (!nv)
			return -TK_ENOMEM;
		d->v = nv;
		d->cap = ncap;
	}
	d->v[d->n++] = v;
	d->sum += v;
	if (d->n == 1 || v < d->min)
		d->min = v;
	if (v > d->max)
		d->max = v;
	d->buckets[tk_dist_bucket(v / d->unit)]++;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void tk_dist_finish(struct tk_dist *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), cmp_u64);
}

uint64_t tk_dist_pctl(const struct tk_dist *d, uint64_t num, uint64_t den)
{
	uint64_t rank;

	if (!d->n || !den)
		return 0;
	/* ceil(n * num / den) without floating point, at least rank 1 */
	rank = (d->n * num + den - 1) / den;
	if (rank < 1)
		rank = 1;
	if (rank > d->n)
		rank = d->n;
	return d->v[rank - 1];
}
