/* SPDX-License-Identifier: MIT */
#ifndef TK_ANALYZE_DIST_H
#define TK_ANALYZE_DIST_H

/*
 * A distribution of durations (ns): count, sum, min, max, every value (for
 * exact percentiles: the brief wants them exact, not log2 estimates) and
 * bpftrace-style log2 bucket counts of value / unit.
 *
 * Buckets: 0 holds 0, 1 holds 1, k >= 2 holds [2^(k-1), 2^k): bpftrace's
 * hist() rows "[0]", "[1]", "[2, 4)", ...
 */

#include <stddef.h>
#include <stdint.h>

#define TK_DIST_NBUCKETS 66

struct tk_dist {
	uint64_t n, sum, min, max;
	uint64_t unit;			/* bucket value / unit (1000: usecs) */
	uint64_t buckets[TK_DIST_NBUCKETS];
	uint64_t *v;			/* values; sorted after tk_dist_finish */
	size_t cap;
};

void tk_dist_init(struct tk_dist *d, uint64_t unit);
void tk_dist_release(struct tk_dist *d);
/* 0 or -TK_ENOMEM. */
int tk_dist_add(struct tk_dist *d, uint64_t v);
void tk_dist_finish(struct tk_dist *d);
/*
 * Nearest-rank percentile num/den (99.9% is 999/1000): the value at rank
 * ceil(n * num / den) in sorted order; 0 when empty. After finish.
 */
uint64_t tk_dist_pctl(const struct tk_dist *d, uint64_t num, uint64_t den);
/* The bucket of a value (after dividing by the unit). */
unsigned tk_dist_bucket(uint64_t v);

#endif
