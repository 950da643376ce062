/* SPDX-License-Identifier: MIT */
#ifndef TK_RENDER_HISTOUT_H
#define TK_RENDER_HISTOUT_H

/*
 * Output of the histogram analyzers:
 *  - a hist trigger in the kernel's `hist` file text (so it can be put
 *    side by side with a live one) or JSON;
 *  - a distribution as bpftrace's log2 hist() text ("[4, 8)  N |@@@ |")
 *    with exact percentiles; latency pairs per group, text or JSON;
 *  - the syscall summary as a text table, JSON or CSV.
 */

#include <stdio.h>

#include "analyze/dist.h"
#include "analyze/hist.h"
#include "analyze/latency.h"
#include "analyze/sysstat.h"

/* filter: the filter text shown after " if " in the trigger line, or NULL. */
int tk_histout_kernel(FILE *out, const struct tk_hist *h, const char *filter);
int tk_histout_json(FILE *out, const struct tk_hist *h, const char *event, const char *filter);

/* "@title:" then bpftrace's rows of d's log2 buckets. */
void tk_histout_log2(FILE *out, const char *title, const struct tk_dist *d);

struct tk_histout_lat {
	const char *start, *end;	/* event names */
	const char *arch;		/* for syscall group names */
};

int tk_histout_latency(FILE *out, const struct tk_latency *l, const struct tk_histout_lat *o);
int tk_histout_latency_json(FILE *out, const struct tk_latency *l, const struct tk_histout_lat *o);

enum tk_histout_fmt { TK_HISTOUT_TEXT, TK_HISTOUT_JSON, TK_HISTOUT_CSV };

int tk_histout_sysstat(FILE *out, const struct tk_sysstat *s, const char *arch,
		       enum tk_histout_fmt fmt);

#endif
