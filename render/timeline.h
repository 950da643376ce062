/* SPDX-License-Identifier: MIT */
#ifndef TK_RENDER_TIMELINE_H
#define TK_RENDER_TIMELINE_H

/*
 * The CPU timeline picture of a tk_timebin result (analyze/timebin.h),
 * through cairo: PNG, SVG or PDF. One pixel column per result column.
 *
 * Each lane is a band of slices: per column a bar in the dominant task's
 * colour, as tall as the column was busy (idle is blank); a CPU lane has a
 * thin strip under it shaded by the longest wakeup latency of the column
 * (log scale, 1 us light to 10 ms and more dark), and a black mark above
 * it where events were lost. Under the lanes, a time axis (offsets from the
 * start in 1-2-5 steps of ns, us, ms or s), then a legend of the busiest
 * tasks. A task's colour comes from a hash of its name and tid, so it is
 * the same in every picture; tasks outside the comm filter are grey.
 *
 * Deterministic: no time or host is written (PDF dates are fixed); only the
 * glyphs depend on the fonts fontconfig finds.
 */

#include <stdint.h>
#include <stdio.h>

#include "analyze/timebin.h"
#include "core/err.h"

enum tk_timeline_format { TK_TIMELINE_PNG, TK_TIMELINE_SVG, TK_TIMELINE_PDF };

struct tk_timeline_opts {
	int width;			/* picture width, pixels: 1200 */
	int height;			/* 0: from the lanes; else lanes are squeezed to fit */
	const char *title;		/* NULL: "CPU timeline" */
	enum tk_timeline_format format;
	int legend;			/* tasks in the legend: 12 */
	int task_lanes;			/* task lanes drawn (the busiest first): 16 */
};

void tk_timeline_opts_init(struct tk_timeline_opts *o);

/* Result columns for a picture of this width (0 when too narrow). */
uint32_t tk_timeline_columns(int width);

/* 0, or -TK_EINVAL (size), -TK_EIO (writing), -TK_ENOMEM (cairo). */
int tk_timeline_write(const struct tk_timebin_result *r, const struct tk_timeline_opts *o,
		      FILE *out, struct tk_err *err);

/* A task's colour: components of #rrggbb. */
void tk_timeline_task_color(const char *comm, uint32_t tid, uint8_t rgb[3]);

#endif
