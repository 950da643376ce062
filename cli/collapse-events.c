/* SPDX-License-Identifier: MIT */
/*
 * tracekit collapse over the event stream (formats/evsrc.h): on-CPU stacks
 * of trace.dat events, and off-CPU and wakeup time of both trace.dat and
 * perf.data (analyze/evfold.h). perf callchains are named by the same
 * machine and line rules as the perf.data sample path (cli_pchain_*).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/evfold.h"
#include "analyze/fold.h"
#include "cli/cli.h"
#include "cli/collapse.h"
#include "formats/evsrc.h"

/* --event names at most (cmd-collapse.c's --comm limit too). */
#define MAX_EVENTS 256

static const char *mode_option(int mode)
{
	return mode == TK_EVFOLD_OFFCPU ? "--off-cpu" : mode == TK_EVFOLD_WAKEUP ? "--wakeup" : "";
}

int cli_collapse_events(const char *path, const char *name, int pipe_fd, bool is_pdat,
			struct tk_fold *fold, const struct cli_collapse_evopts *o)
{
	struct tk_evsrc_opts so = { .no_plugins = true, .stdin_fd = pipe_fd };
	struct tk_evfold_opts eo = { 0 };
	const struct tk_evfold_counts *ec;
	const struct tk_schema *sch;
	struct cli_pchain *pc = NULL;
	struct tk_evfold *ef = NULL;
	struct tk_evsrc *src = NULL;
	uint32_t ids[MAX_EVENTS], id;
	const struct tk_payload *pl;
	struct tk_event ev;
	struct tk_err err;
	size_t i;
	int ret;

	if (is_pdat) {
		ret = cli_pchain_create(fold, name, &pc);
		if (ret)
			return ret;
		so.pdat_hook = cli_pchain_hook;
		so.pdat_arg = pc;
	}
	tk_err_clear(&err);
	tk_err_set_file(&err, name);
	if (tk_evsrc_open(pipe_fd >= 0 ? "-" : path, &so, &src, &err) < 0) {
		ret = cli_fail_err(&err);
		goto out;
	}
	tk_err_set_file(tk_evsrc_err(src), name);
	if (is_pdat) {
		ret = cli_pchain_attach(pc, tk_evsrc_get_pdat(src), o->kallsyms, o->symfs);
		if (ret)
			goto out;
	}
	sch = tk_evsrc_get_schema(src);
	eo.mode = (enum tk_evfold_mode)o->mode;
	eo.schema = sch;
	eo.states = o->states;
	if (o->flt) {
		eo.cpus = o->flt->cpus;
		eo.ncpubits = o->flt->ncpubits;
		eo.from = o->flt->from;
		eo.to = o->flt->to;
	}
	if (o->events) {
		for (i = 0; i < o->nevents && i < MAX_EVENTS; i++) {
			if (!sch->ops->find_event(sch->arg, o->events[i], &id)) {
				ret = cli_fail("%s: no event %s in this file", name, o->events[i]);
				goto out;
			}
			ids[i] = id;
		}
		eo.events = ids;
		eo.nevents = i;
	}
	eo.one_stack = is_pdat;
	eo.use_waking = sch->ops->find_event(sch->arg, "sched:sched_waking", &id) == 1;
	if (is_pdat) {
		eo.extend = cli_pchain_extend;
		eo.extend_arg = pc;
	}
	ef = tk_evfold_create(fold, &eo, &err);
	if (!ef) {
		ret = cli_fail_err(&err);
		goto out;
	}
	while ((ret = tk_evsrc_next(src, &ev, &pl)) > 0) {
		if (tk_evfold_event(ef, &ev, pl) < 0)
			break;
	}
	if (ret < 0) {
		ret = pc ? cli_pchain_fail(pc) : -1;
		if (ret < 0)
			ret = cli_fail_err(tk_evsrc_get_err(src));
		goto out;
	}
	if (ret > 0 || tk_evfold_finish(ef) < 0) {
		struct tk_err e2 = *tk_evfold_get_err(ef);

		tk_err_set_file(&e2, name);
		ret = cli_fail_err(&e2);
		goto out;
	}
	ec = tk_evfold_get_counts(ef);
	if (o->mode != TK_EVFOLD_ONCPU && !ec->switches) {
		ret = cli_fail("%s: no sched_switch events: %s needs sched:sched_switch "
			       "recorded", name, mode_option(o->mode));
		goto out;
	}
	if (o->mode == TK_EVFOLD_WAKEUP && !ec->wakeups) {
		ret = cli_fail("%s: no %s events: --wakeup needs them recorded", name,
			       eo.use_waking ? "sched_waking" : "sched_wakeup");
		goto out;
	}
	if (o->mode == TK_EVFOLD_ONCPU && !ec->stacks) {
		ret = cli_fail("%s: no stack traces to fold (record with trace-cmd record -T, "
			       "or see --off-cpu)", name);
		goto out;
	}
	if (!ec->stacks)
		fprintf(stderr, "tracekit: %s: warning: no stack traces (record with "
			"trace-cmd record -T or perf record -g); time is per task only\n", name);
	if (ec->lost)
		fprintf(stderr, "tracekit: %s: warning: events were lost on %" PRIu64
			" occasion%s; times around them may be wrong\n", name, ec->lost,
			ec->lost == 1 ? "" : "s");
	if (!ec->kept)
		fprintf(stderr, "tracekit: %s: nothing kept (%" PRIu64 " events read)\n", name,
			ec->events);
	if (o->verbose)
		fprintf(stderr,
			"tracekit: %s: %" PRIu64 " events, %" PRIu64 " switches, %" PRIu64
			" wakeups, %" PRIu64 " stacks; %" PRIu64 " kept (%" PRIu64
			" without a stack), weight %" PRIu64 "%s, %" PRIu64
			" intervals open at the end\n",
			name, ec->events, ec->switches, ec->wakeups, ec->stacks, ec->kept,
			ec->no_stack, ec->weight, o->mode == TK_EVFOLD_ONCPU ? "" : " ns",
			ec->open_at_end);
	ret = TK_EXIT_OK;
out:
	tk_evfold_destroy(ef);
	tk_evsrc_close(src);
	cli_pchain_destroy(pc);
	return ret;
}
