/* SPDX-License-Identifier: MIT */
#ifndef TK_ANALYZE_TIMEHIST_H
#define TK_ANALYZE_TIMEHIST_H

/*
 * perf sched timehist (perf 6.1): for each context switch, the task that
 * ran, how long it had waited off the CPU, its scheduling delay (wakeup to
 * switch-in) and how long it ran; optional wakeup and migration lines; and
 * the per-task run time summary. The numbers and task names follow perf's
 * own bookkeeping (per perf thread, analyze/pmach-int.h), so that
 * render/thtxt.h prints what perf prints.
 *
 * Lines are handed to a callback as they happen; memory is per task and
 * per CPU.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/event.h"
#include "core/schema.h"

struct tk_timehist;

enum tk_timehist_kind {
	TK_TH_SWITCH,
	TK_TH_WAKEUP,
	TK_TH_MIGRATE,
	TK_TH_LOST,
};

struct tk_timehist_line {
	enum tk_timehist_kind kind;
	uint64_t ts;		/* as printed (clamped to --to for switches) */
	int cpu;
	const char *task;	/* perf's "comm[tid/pid]"; the waker/migrator for others */
	const char *other;	/* wakee / migrated task */
	uint64_t wait, delay, run;
	int ocpu, dcpu;
	uint64_t lost;
};

struct tk_timehist_opts {
	bool summary_only;	/* -s: no lines */
	bool show_wakeups;	/* -w */
	bool show_migrations;	/* -M (perf counts migrations only then) */
	bool cpu_filter;	/* -C */
	uint64_t cpumask[16];
	const int32_t *pids;	/* -p: thread groups to show (NULL: all) */
	size_t npids;
	const int32_t *tids;	/* -t */
	size_t ntids;
	uint64_t start, end;	/* --time window, ns (0: open) */
	int ncpus;		/* CPUs online in the recording (0: unknown) */
	bool schema_comms;	/* names from the schema (trace.dat) */
};

typedef int (*tk_timehist_line_fn)(void *arg, const struct tk_timehist_line *l);

struct tk_timehist *tk_timehist_create(const struct tk_schema *sch,
				       const struct tk_timehist_opts *opts,
				       tk_timehist_line_fn fn, void *arg, struct tk_err *err);
void tk_timehist_destroy(struct tk_timehist *th);

/* One event; the callback's negative return is passed back. */
int tk_timehist_event(struct tk_timehist *th, const struct tk_event *ev,
		      const struct tk_payload *pl, const struct tk_evmeta *meta);

uint64_t tk_timehist_get_nswitch(const struct tk_timehist *th);

struct tk_timehist_task {
	char name[32];		/* perf's "comm[tid/pid]" */
	int32_t ppid;
	uint64_t n, total, min, max;
	double mean, stddev_pct;	/* perf's running mean and relative stddev */
	uint64_t migrations;
	bool dead;
};

struct tk_timehist_idle {
	int cpu;
	bool shown;		/* false: not in the --cpu list */
	uint64_t n, total;
};

struct tk_timehist_summary {
	const struct tk_timehist_task *tasks;	/* running first, then terminated */
	size_t ntasks, nalive;
	const struct tk_timehist_idle *idle;
	size_t nidle;
	bool idle_stats;	/* perf leaves them out when samples were filtered */
	uint64_t hist_time;	/* first to last switch counted */
	int max_cpu;
};

/* Borrowed until the next call or destroy; 0 or -TK_ENOMEM. */
int tk_timehist_get_summary(struct tk_timehist *th, struct tk_timehist_summary *out);

#endif
