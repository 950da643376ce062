/* SPDX-License-Identifier: MIT */
#ifndef TK_RENDER_THTXT_H
#define TK_RENDER_THTXT_H

/*
 * perf sched timehist's text (perf 6.1), byte for byte: the header, one
 * line per switch (and wakeup, migration, lost events), the run time
 * summary. Like perf, the task column widens for the rest of the output
 * when a longer task name is printed.
 */
#include <stdbool.h>
#include <stdio.h>

#include "analyze/timehist.h"

struct tk_thtxt {
	FILE *out;
	int comm_width;		/* perf starts at 30 */
	bool show_wakeups;	/* -w pads switch lines */
};

void tk_thtxt_init(struct tk_thtxt *t, FILE *out, bool show_wakeups);
int tk_thtxt_header(struct tk_thtxt *t);
/* A tk_timehist_line_fn: arg is the struct tk_thtxt. */
int tk_thtxt_line(void *arg, const struct tk_timehist_line *l);
int tk_thtxt_summary(struct tk_thtxt *t, const struct tk_timehist_summary *s);

#endif
