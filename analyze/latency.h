/* SPDX-License-Identifier: MIT */
#ifndef TK_ANALYZE_LATENCY_H
#define TK_ANALYZE_LATENCY_H

/*
 * Latency between pairs of events: a start event and an end event that
 * agree on match fields (sys_enter/sys_exit on common_pid and id,
 * block_rq_issue/block_rq_complete on dev and sector, sched_wakeup/
 * sched_switch on pid = next_pid). The time from a start to the next end
 * with the same match values is one sample, in a distribution per group
 * (all, or by comm, pid or syscall).
 *
 * A start that meets another start with the same match values before its
 * end is replaced (the latest start wins, as bpftrace's and bcc's
 * "@start[key] = nsecs" do) and counted as unmatched; so is an end with no
 * start, and a start still open at the end of the trace.
 */

#include <stddef.h>
#include <stdint.h>

#include "analyze/dist.h"
#include "core/err.h"
#include "core/event.h"
#include "core/schema.h"

#define TK_LATENCY_MAX_MATCH 4

enum tk_latency_by {
	TK_LATENCY_BY_NONE,
	TK_LATENCY_BY_COMM,
	TK_LATENCY_BY_PID,
	TK_LATENCY_BY_SYSCALL,
};

struct tk_latency_opts {
	uint32_t start_id, end_id;
	const char *match;		/* "common_pid,id", "pid=next_pid"; NULL: common_pid */
	enum tk_latency_by by;
};

struct tk_latency_group {
	uint64_t key;		/* pid, syscall nr, or comm string id (by none: 0) */
	struct tk_dist d;	/* ns, log2 buckets in usecs */
};

struct tk_latency_stats {
	uint64_t pairs;
	uint64_t unmatched_starts;	/* replaced + open */
	uint64_t replaced;		/* a later start came first */
	uint64_t open;			/* no end before the trace ended */
	uint64_t unmatched_ends;	/* an end with no start */
	uint64_t negative;		/* end before start (clock jumps): not counted */
};

struct tk_latency;

int tk_latency_create(const struct tk_latency_opts *o, const struct tk_schema *sch,
		      struct tk_latency **out, struct tk_err *err);
void tk_latency_destroy(struct tk_latency *l);
int tk_latency_add(struct tk_latency *l, const struct tk_event *ev, const struct tk_payload *pl);
int tk_latency_finish(struct tk_latency *l);

/* Groups by ascending count, ties by key (bpftrace prints maps that way). After finish. */
size_t tk_latency_get_groups(const struct tk_latency *l, const struct tk_latency_group *const **out);
/* All pairs together. */
const struct tk_dist *tk_latency_get_all(const struct tk_latency *l);
const struct tk_latency_stats *tk_latency_get_stats(const struct tk_latency *l);
enum tk_latency_by tk_latency_get_by(const struct tk_latency *l);
/* Comm string of a BY_COMM group key. */
const char *tk_latency_get_str(const struct tk_latency *l, uint32_t id);
/* "start.field=end.field,..." as used. */
const char *tk_latency_get_match(const struct tk_latency *l);

#endif
