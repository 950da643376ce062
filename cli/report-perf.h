/* SPDX-License-Identifier: MIT */
#ifndef TK_CLI_REPORT_PERF_H
#define TK_CLI_REPORT_PERF_H

#include <stdbool.h>
#include <stdint.h>

/* `tracekit report` on a perf.data: what `perf script` prints for it. */
struct report_perf_opts {
	const char *fields;		/* perf script -F syntax, NULL = perf's defaults */
	const char *kallsyms;		/* perf script --kallsyms */
	const char *symfs;		/* perf script --symfs */
	const uint64_t *cpus;		/* bitmap of REPORT_PERF_MAX_CPUS, NULL = all */
	uint64_t from, to;		/* sample time window, ns */
	bool ns;			/* perf script --ns */
};

#define REPORT_PERF_MAX_CPUS 65536

struct tk_pdat_attr;
struct tk_pdat_reader;

/* The event types perf script keys its default fields by. */
enum report_perf_type { RP_TYPE_HW, RP_TYPE_SW, RP_TYPE_TRACE, RP_TYPE_RAW, RP_NTYPES };

enum report_perf_type report_perf_type(const struct tk_pdat_attr *a);

/*
 * perf script pads event names to the longest name of all attrs; in pipe
 * mode attrs arrive while reading, so *seen counts the attrs already
 * measured and *width grows as more come.
 */
void report_perf_name_width(struct tk_pdat_reader *r, int *seen, int *width);

/* path "-" reads a pipe-mode stream from stdin. Returns an exit code. */
int report_perf(const char *path, const struct report_perf_opts *o);

#endif
