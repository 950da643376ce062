/* SPDX-License-Identifier: MIT */
#ifndef TK_ANALYZE_STATS_H
#define TK_ANALYZE_STATS_H

#include <stdint.h>

#include "core/event.h"

/*
 * Counts over a stream of events: per event id, per CPU, time span and
 * lost events. Memory is O(distinct ids + CPUs).
 */
struct tk_stats;

struct tk_stats_id {
	uint32_t id;
	uint64_t count;
};

struct tk_stats_cpu {
	int cpu;
	uint64_t events;
	uint64_t lost;		/* counted losses */
	uint64_t lost_unknown;	/* lost marks without a count */
};

struct tk_stats *tk_stats_create(void);
void tk_stats_destroy(struct tk_stats *st);

int tk_stats_add(struct tk_stats *st, const struct tk_event *ev);

uint64_t tk_stats_get_total(const struct tk_stats *st);
uint64_t tk_stats_get_first_ts(const struct tk_stats *st);
uint64_t tk_stats_get_last_ts(const struct tk_stats *st);
/* Sorted by count descending, then id. Borrowed; valid until the next add. */
const struct tk_stats_id *tk_stats_get_ids(struct tk_stats *st, int *n);
/* CPUs that saw events or losses, ascending. */
const struct tk_stats_cpu *tk_stats_get_cpus(const struct tk_stats *st, int *n);

#endif
