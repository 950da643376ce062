/* SPDX-License-Identifier: MIT */
#ifndef TK_ANALYZE_SCHEDLAT_H
#define TK_ANALYZE_SCHEDLAT_H

/*
 * Scheduler latency from sched tracepoints (trace.dat or perf.data, as
 * tk_events): per task run time, times scheduled in, wakeup-to-run delays
 * with exact percentiles, migrations, preemptions, and per CPU busy time.
 *
 * A delay is the time from the moment a task became runnable (its first
 * wakeup or waking event since it last ran, or its switch-out while still
 * runnable, i.e. a preemption) to its next switch-in. Every delay is kept
 * (4 bytes each, 8 for the rare one over 4.29 s) so percentiles are exact;
 * that is the only state that grows with the trace, all else is per task
 * and per CPU.
 *
 * With perf_compat the analyzer also replays `perf sched latency`'s own
 * bookkeeping (perf 6.1, tools/perf/builtin-sched.c), rows and counters
 * included, for a byte-exact table (render/schedtxt.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/event.h"
#include "core/schema.h"

struct tk_schedlat;

enum tk_schedlat_by {
	TK_SCHEDLAT_BY_TID,	/* one row per thread */
	TK_SCHEDLAT_BY_PID,	/* per thread group */
	TK_SCHEDLAT_BY_COMM,	/* per task name */
	TK_SCHEDLAT_BY_CPU,	/* per CPU the task ran on */
};

enum tk_schedlat_sort {
	TK_SCHEDLAT_SORT_MAX,		/* max delay, descending (default) */
	TK_SCHEDLAT_SORT_RUNTIME,	/* run time, descending */
	TK_SCHEDLAT_SORT_AVG,		/* average delay, descending */
	TK_SCHEDLAT_SORT_P99,		/* p99 delay, descending */
	TK_SCHEDLAT_SORT_SWITCHES,	/* times scheduled in, descending */
	TK_SCHEDLAT_SORT_KEY,		/* tid/pid/cpu ascending, comm by name */
};

struct tk_schedlat_opts {
	enum tk_schedlat_by by;
	bool perf_compat;	/* also keep perf sched latency's books */
	bool perf_per_pid;	/* perf -p: no merging by comm */
	bool schema_comms;	/* names from the schema (trace.dat) */
	uint64_t from, to;	/* ns; 0: open. Delays ending inside count */
	bool cpu_filter;	/* count only what happens on cpumask's CPUs */
	uint64_t cpumask[16];	/* CPUs 0..1023 */
};

struct tk_schedlat_row {
	char name[64];		/* comm; "CPU N" for BY_CPU */
	int32_t tid;		/* tid, pid or cpu (the key); -1 for BY_COMM */
	int32_t pid;		/* thread group (0 unknown), BY_TID only */
	uint32_t ntasks;	/* tasks merged into the row */
	uint64_t runtime;	/* ns on CPU */
	uint64_t switches;	/* times scheduled in */
	uint64_t ndelays;
	uint64_t delay_sum;
	uint64_t p50, p90, p99, p999, max;
	uint64_t max_start, max_end;	/* when the max delay began and ended */
	uint64_t migrations;	/* ran on another CPU than the run before */
	uint64_t preemptions;	/* switched out while runnable */
};

struct tk_schedlat_cpu {
	int cpu;
	uint64_t busy;		/* ns running a task other than idle */
	uint64_t span;		/* ns the trace covers */
	uint64_t switches;
};

/* perf sched latency's per-row numbers (output_lat_thread). */
struct tk_schedlat_perf_row {
	char comm[64];
	int32_t tid;
	int num_merged;
	uint64_t total_runtime, nb_atoms, total_lat, max_lat, max_lat_start, max_lat_end;
};

struct tk_schedlat_perf_info {
	uint64_t nr_timestamps, nr_unordered_timestamps, nr_context_switch_bugs;
	uint64_t nr_events, nr_lost_events, nr_lost_chunks;
};

struct tk_schedlat *tk_schedlat_create(const struct tk_schema *sch,
				       const struct tk_schedlat_opts *opts, struct tk_err *err);
void tk_schedlat_destroy(struct tk_schedlat *sl);

/* One event of the stream, its payload (may be NULL) and meta (may be NULL). */
int tk_schedlat_event(struct tk_schedlat *sl, const struct tk_event *ev,
		      const struct tk_payload *pl, const struct tk_evmeta *meta);

/* Number of sched_switch events seen (0: nothing to report). */
uint64_t tk_schedlat_get_nswitch(const struct tk_schedlat *sl);

/*
 * Rows grouped by opts->by and sorted; borrowed until the next call or
 * destroy. 0 or -TK_ENOMEM.
 */
int tk_schedlat_get_rows(struct tk_schedlat *sl, enum tk_schedlat_sort sort,
			 const struct tk_schedlat_row **rows, size_t *n);
/* CPUs that ran a switch, ascending; borrowed until the next call. */
const struct tk_schedlat_cpu *tk_schedlat_get_cpus(struct tk_schedlat *sl, size_t *n);

/*
 * perf's rows in perf's order, sorted by a perf --sort list ("avg, max,
 * switch, runtime" when NULL). -TK_EINVAL for an unknown key (err says
 * which).
 */
int tk_schedlat_get_perf(struct tk_schedlat *sl, const char *sort,
			 const struct tk_schedlat_perf_row **rows, size_t *n,
			 struct tk_schedlat_perf_info *info, struct tk_err *err);

/*
 * Exact percentile (nearest rank: the smallest value with at least p% of
 * the values at or below it) of n sorted values; 0 when n is 0. Exposed
 * for tests.
 */
uint64_t tk_schedlat_pct(const uint64_t *sorted, size_t n, double p);

#endif
