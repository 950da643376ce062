/* SPDX-License-Identifier: MIT */
#ifndef TK_RENDER_SCHEDTXT_H
#define TK_RENDER_SCHEDTXT_H

/*
 * Scheduler latency results as text: our table (aligned, JSON or CSV) and
 * perf sched latency's table, byte for byte as perf 6.1 prints it.
 */
#include <stddef.h>
#include <stdio.h>

#include "analyze/schedlat.h"

enum tk_schedtxt_fmt {
	TK_SCHEDTXT_TEXT,
	TK_SCHEDTXT_JSON,
	TK_SCHEDTXT_CSV,
};

struct tk_schedtxt_latency {
	const struct tk_schedlat_row *rows;
	size_t nrows;
	const struct tk_schedlat_cpu *cpus;
	size_t ncpus;
	const char *by;		/* "tid", "pid", "comm", "cpu" */
	const char *sort;	/* the sort key's name, for the header */
};

int tk_schedtxt_print_latency(FILE *out, const struct tk_schedtxt_latency *l,
			      enum tk_schedtxt_fmt fmt);

int tk_schedtxt_print_perf_latency(FILE *out, const struct tk_schedlat_perf_row *rows, size_t n,
				   const struct tk_schedlat_perf_info *info);

/* perf's timestamp__scnprintf_usec: "SEC.USEC" (microseconds, truncated). */
void tk_schedtxt_usec(char *buf, size_t len, uint64_t ns);

#endif
