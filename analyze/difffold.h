/* SPDX-License-Identifier: MIT */
#ifndef TK_ANALYZE_DIFFFOLD_H
#define TK_ANALYZE_DIFFFOLD_H

/*
 * Two sets of folded stacks merged into one table of (stack, count A,
 * count B), as FlameGraph's difffolded.pl merges them, for differential
 * flame graphs (docs/flamegraph.md):
 *
 *  - stacks are compared as text; with strip_hex every "0x" followed by hex
 *    digits becomes "0x..." first (difffolded.pl -s);
 *  - a stack missing on one side counts 0 there;
 *  - with normalize (difffolded.pl -n) and unequal totals, each count of A
 *    becomes int(A * totalB / totalA), computed as Perl computes it;
 *  - the lines come out in the byte order of their text "STACK A B", the
 *    order flamegraph.pl sorts them in (difffolded.pl itself prints them in
 *    Perl's hash order, which changes from run to run).
 *
 * Memory is proportional to the distinct stacks (and capped).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct tk_difffold;

struct tk_difffold_opts {
	bool strip_hex;
	size_t max_bytes;		/* 0: 1 GiB */
};

enum tk_difffold_side { TK_DIFFFOLD_A = 0, TK_DIFFFOLD_B = 1 };

/* NULL on ENOMEM (err says so). */
struct tk_difffold *tk_difffold_create(const struct tk_difffold_opts *o, struct tk_err *err);
void tk_difffold_destroy(struct tk_difffold *d);

/* Add count to the stack's count on one side. 0, or -TK_ENOMEM / -TK_ELIMIT. */
int tk_difffold_add(struct tk_difffold *d, enum tk_difffold_side side, const char *stack,
		    size_t len, uint64_t count, struct tk_err *err);

/*
 * Normalise (if asked) and sort. Then no more adds. 0, or -TK_ENOMEM, or
 * -TK_EINVAL when normalising a side A without counts (difffolded.pl
 * divides by zero there).
 */
int tk_difffold_finish(struct tk_difffold *d, bool normalize, struct tk_err *err);

/* Totals of each side as added (before normalisation). */
uint64_t tk_difffold_get_total(const struct tk_difffold *d, enum tk_difffold_side side);

/* After finish: the number of lines and line i in sorted order (stack borrowed). */
size_t tk_difffold_count(const struct tk_difffold *d);
void tk_difffold_get(const struct tk_difffold *d, size_t i, const char **stack, size_t *len,
		     uint64_t *a, uint64_t *b);

#endif
