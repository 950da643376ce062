/* SPDX-License-Identifier: MIT */
/*
 * perf sched timehist's layout (builtin-sched.c of perf 6.1:
 * timehist_header, timehist_print_sample, _wakeup_event, _migration_event,
 * process_lost, timehist_print_summary), checked against the installed
 * perf by tests/oracle/sched-perf.sh.
 */
#include "render/thtxt.h"

#include <inttypes.h>
#include <string.h>

#include "render/schedtxt.h"

static const char dots[] = "--------------------------------------------------------------------"
			   "--------------------------------------------------------------------";

void tk_thtxt_init(struct tk_thtxt *t, FILE *out, bool show_wakeups)
{
	t->out = out;
	t->comm_width = 30;
	t->show_wakeups = show_wakeups;
}

/* perf widens the column as soon as it formats a longer name */
static const char *name(struct tk_thtxt *t, const char *s)
{
	int n = (int)strlen(s);

	if (n > t->comm_width)
		t->comm_width = n;
	return s;
}

/* print_sched_time: msec.usec, truncated */
static void sched_time(FILE *out, uint64_t ns, int width)
{
	uint64_t ms = ns / 1000000u;

	fprintf(out, "%*" PRIu64 ".%03" PRIu64 " ", width, ms, (ns - ms * 1000000u) / 1000u);
}

int tk_thtxt_header(struct tk_thtxt *t)
{
	FILE *o = t->out;

	fprintf(o, "%15s %6s ", "time", "cpu");
	fprintf(o, " %-*s  %9s  %9s  %9s", t->comm_width, "task name", "wait time", "sch delay",
		"run time");
	fprintf(o, "\n");
	fprintf(o, "%15s %-6s ", "", "");
	fprintf(o, " %-*s  %9s  %9s  %9s\n", t->comm_width, "[tid/pid]", "(msec)", "(msec)", "(msec)");
	fprintf(o, "%.15s %.6s ", dots, dots);
	fprintf(o, " %.*s  %.9s  %.9s  %.9s", t->comm_width, dots, dots, dots, dots);
	fprintf(o, "\n");
	return ferror(o) ? -TK_EIO : 0;
}

int tk_thtxt_line(void *arg, const struct tk_timehist_line *l)
{
	struct tk_thtxt *t = arg;
	FILE *o = t->out;
	char ts[32];
	const char *s;

	tk_schedtxt_usec(ts, sizeof(ts), l->ts);
	if (l->kind == TK_TH_LOST) {
		fprintf(o, "%15s ", ts);
		fprintf(o, "lost %" PRIu64 " events on cpu %d\n", l->lost, l->cpu);
		return ferror(o) ? -TK_EIO : 0;
	}
	fprintf(o, "%15s [%04d] ", ts, l->cpu);
	s = name(t, l->task);
	fprintf(o, " %-*s ", t->comm_width, s);
	if (l->kind == TK_TH_SWITCH) {
		sched_time(o, l->wait, 6);
		sched_time(o, l->delay, 6);
		sched_time(o, l->run, 6);
		if (t->show_wakeups)
			fprintf(o, "  %-*s", t->comm_width, "");
	} else {
		fprintf(o, "  %9s  %9s  %9s ", "", "", "");
		s = name(t, l->other);
		if (l->kind == TK_TH_WAKEUP)
			fprintf(o, "awakened: %s", s);
		else
			fprintf(o, "migrated: %s cpu %d => %d", s, l->ocpu, l->dcpu);
	}
	fprintf(o, "\n");
	return ferror(o) ? -TK_EIO : 0;
}

static void task_row(struct tk_thtxt *t, const struct tk_timehist_task *r)
{
	FILE *o = t->out;
	/* perf keeps the relative stddev in a float */
	float sd = (float)r->stddev_pct;
	const char *s = name(t, r->name);

	fprintf(o, "%*s   %5d  %9" PRIu64 " ", t->comm_width, s, r->ppid, r->n);
	sched_time(o, r->total, 8);
	sched_time(o, r->min, 6);
	fprintf(o, " ");
	sched_time(o, (uint64_t)r->mean, 6);
	fprintf(o, " ");
	sched_time(o, r->max, 6);
	fprintf(o, "  ");
	fprintf(o, "%5.2f", (double)sd);
	fprintf(o, "   %5" PRIu64, r->migrations);
	fprintf(o, "\n");
}

int tk_thtxt_summary(struct tk_thtxt *t, const struct tk_timehist_summary *s)
{
	FILE *o = t->out;
	uint64_t sched_count = 0, total = 0;
	size_t i;

	fprintf(o, "\nRuntime summary\n");
	fprintf(o, "%*s  parent   sched-in  ", t->comm_width, "comm");
	fprintf(o, "   run-time    min-run     avg-run     max-run  stddev  migrations\n");
	fprintf(o, "%*s            (count)  ", t->comm_width, "");
	fprintf(o, "     (msec)     (msec)      (msec)      (msec)       %%\n");
	fprintf(o, "%.117s\n", dots);
	for (i = 0; i < s->nalive; i++)
		task_row(t, &s->tasks[i]);
	if (!s->nalive)
		fprintf(o, "<no still running tasks>\n");
	fprintf(o, "\nTerminated tasks:\n");
	for (; i < s->ntasks; i++)
		task_row(t, &s->tasks[i]);
	if (s->ntasks == s->nalive)
		fprintf(o, "<no terminated tasks>\n");
	for (i = 0; i < s->ntasks; i++) {
		sched_count += s->tasks[i].n;
		total += s->tasks[i].total;
	}
	if (!s->idle_stats)
		return ferror(o) ? -TK_EIO : 0;
	fprintf(o, "\nIdle stats:\n");
	for (i = 0; i < s->nidle; i++) {
		const struct tk_timehist_idle *d = &s->idle[i];

		if (!d->shown)
			continue;
		if (d->n) {
			sched_count += d->n;
			fprintf(o, "    CPU %2d idle for ", d->cpu);
			sched_time(o, d->total, 6);
			fprintf(o, " msec  (%6.2f%%)\n", 100.0 * (double)d->total / (double)s->hist_time);
		} else {
			fprintf(o, "    CPU %2d idle entire time window\n", d->cpu);
		}
	}
	fprintf(o, "\n    Total number of unique tasks: %zu\n"
		   "Total number of context switches: %" PRIu64 "\n",
		s->ntasks, sched_count);
	fprintf(o, "           Total run time (msec): ");
	sched_time(o, total, 2);
	fprintf(o, "\n");
	fprintf(o, "    Total scheduling time (msec): ");
	sched_time(o, s->hist_time, 2);
	fprintf(o, " (x %d)\n", s->max_cpu);
	return ferror(o) ? -TK_EIO : 0;
}
