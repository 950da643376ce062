/* SPDX-License-Identifier: MIT */
#ifndef TK_ANALYZE_TIMEBIN_H
#define TK_ANALYZE_TIMEBIN_H

/*
 * The CPU timeline raster (tracekit timeline): scheduler events binned
 * into pixel columns as they stream, so memory is lanes x columns, never
 * the number of events.
 *
 * Lanes: one per CPU (the task running on it, from sched_switch), and
 * optionally one per task (when it ran, on any CPU). Per lane and column
 * the result holds the dominant task (the one that ran longest in the
 * column), the busy fraction (running time of tasks other than the idle
 * task 0 over the column's time), the longest wakeup latency of a switch-in
 * in the column (wakeup to sched_switch in) and the events lost there.
 *
 * While streaming, bins are kept at `oversample` times the picture's
 * resolution over a time range that doubles as events arrive (pairs of bins
 * merge), because the end of the trace is not known in advance. finish()
 * gives each column a whole number of bins, so running times, busy
 * fractions and latencies per column are exact, and a column's place on a
 * linear time axis is off by less than one bin. The dominant task of a bin
 * is tracked among two candidates (exact when at most two tasks ran in it;
 * otherwise the two that have run longest so far, Misra-Gries style); a
 * column sums its bins' candidates.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/event.h"
#include "core/schema.h"

struct tk_timebin;

struct tk_timebin_opts {
	uint64_t from, to;		/* ns; 0: the first / last event */
	uint32_t columns;		/* picture columns, 1 .. 100000 */
	const uint64_t *cpus;		/* bitmap of max_cpus bits; NULL: every CPU */
	uint32_t max_cpus;		/* 0: 4096 */
	bool tasks;			/* per-task lanes */
	uint32_t max_task_lanes;	/* tasks with a lane, first seen first; 0: 1024 */
	const char *const *comms;	/* only these tasks get lanes and match; NULL: all */
	size_t ncomms;
	uint32_t oversample;		/* bins per column while streaming, 2 .. 64; 0: 16 */
};

enum tk_timebin_lane_kind { TK_TIMEBIN_CPU, TK_TIMEBIN_TASK };

struct tk_timebin_cell {
	uint32_t tid;			/* dominant task; 0: idle or nothing */
	float busy;			/* 0 .. 1 */
	uint32_t lost;			/* events lost in the column */
	uint64_t wake_max;		/* ns, 0: no switch-in after a wakeup */
};

struct tk_timebin_lane {
	enum tk_timebin_lane_kind kind;
	uint32_t id;			/* CPU number or tid */
	const struct tk_timebin_cell *cells;	/* columns entries */
	uint64_t busy_ns;
};

struct tk_timebin_task {
	uint32_t tid;
	uint32_t pid;			/* thread group, 0 when unknown */
	const char *comm;		/* "" when unknown; lives as long as the timebin */
	uint64_t busy_ns;		/* running time in [from, to] */
	uint64_t wake_max;		/* longest wakeup latency, ns */
	bool match;			/* passes the comm filter (true without one) */
};

struct tk_timebin_result {
	uint64_t from, to;		/* the time the columns cover, ns */
	uint32_t columns;
	/*
	 * Column j covers [edges[j], edges[j + 1]): whole bins, so the
	 * columns are as long as each other to within one bin (the last may
	 * reach a little past `to`).
	 */
	const uint64_t *edges;
	size_t nlanes;
	const struct tk_timebin_lane *lanes;	/* CPUs by number, then tasks by busy time */
	size_t ntasks;
	const struct tk_timebin_task *tasks;	/* by busy time, longest first; tid 0 left out */
	uint64_t events;		/* events seen */
	uint64_t lost;			/* events lost in [from, to] */
	uint64_t task_lanes_dropped;	/* tasks over max_task_lanes */
};

/* schema: comms of the source (borrowed until destroy). NULL + err on bad options/ENOMEM. */
struct tk_timebin *tk_timebin_create(const struct tk_timebin_opts *o, const struct tk_schema *schema,
				     struct tk_err *err);
void tk_timebin_destroy(struct tk_timebin *tb);

/* Events in time order. 0, or -TK_ENOMEM / -TK_ELIMIT (err in tk_timebin_get_err). */
int tk_timebin_event(struct tk_timebin *tb, const struct tk_event *ev);

/* End of input: resample. 0, or < 0 (-TK_EINVAL: no event in the range). */
int tk_timebin_finish(struct tk_timebin *tb, struct tk_err *err);

/* After finish; borrowed. */
const struct tk_timebin_result *tk_timebin_get(const struct tk_timebin *tb);
const struct tk_err *tk_timebin_get_err(const struct tk_timebin *tb);

#endif
