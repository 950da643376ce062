/* SPDX-License-Identifier: MIT */
/*
 * tracekit sched: scheduler latency (ours, or perf sched latency's table)
 * and perf sched timehist's per-switch listing, from trace.dat or
 * perf.data sched tracepoints in one pass.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/evfold.h"
#include "analyze/fold.h"
#include "analyze/schedlat.h"
#include "analyze/timehist.h"
#include "cli/cli.h"
#include "cli/collapse.h"
#include "core/event.h"
#include "formats/evsrc.h"
#include "formats/folded.h"
#include "render/schedtxt.h"
#include "render/thtxt.h"

static void help_main(FILE *out)
{
	fprintf(out, "usage: tracekit sched <latency|timehist> [options] FILE\n"
		     "\n"
		     "Scheduler analysis of sched tracepoints in a trace.dat or perf.data file\n"
		     "(sched_switch at least; wakeups for delays).\n"
		     "\n"
		     "  latency   per-task run time, wakeup-to-run delays with exact percentiles,\n"
		     "            migrations, preemptions, CPU utilisation; --perf-compat prints\n"
		     "            perf sched latency's table\n"
		     "  timehist  one line per context switch, as perf sched timehist prints it\n"
		     "\n"
		     "Run 'tracekit sched <subcommand> --help' for its options.\n");
}

static void help_latency(FILE *out)
{
	fprintf(out, "usage: tracekit sched <latency|timehist> [options] FILE\n"
		     "\n"
		     "Per task: run time, times scheduled in, wakeup-to-run delays (from the\n"
		     "first wakeup since the task slept, or from its preemption, to its next\n"
		     "switch-in) with average and exact p50/p90/p99/p99.9 and max, when the\n"
		     "max happened, migrations and preemptions; then per-CPU utilisation.\n"
		     "Times in the text table are in ms (run time) and us (delays).\n"
		     "\n"
		     "Options:\n"
		     "  --by KEY          group by tid (default), pid, comm or cpu\n"
		     "  --sort KEY        max (default: max delay), p99, avg, runtime, switches, key\n"
		     "  --json, --csv     machine-readable output (times in ns)\n"
		     "  --from SEC        count only what happens from this time on\n"
		     "  --to SEC          ... and up to this time (trace timestamps, seconds)\n"
		     "  --cpu LIST        count only what happens on these CPUs (\"0,2-3\")\n"
		     "  --pid PID, --tid TID, --comm NAME\n"
		     "                    show only rows of this thread group, thread or name\n"
		     "  --perf-compat     print exactly perf sched latency's (perf 6.1) table\n"
		     "  -s, --perf-sort KEYS\n"
		     "                    with --perf-compat: perf's --sort list\n"
		     "                    (default \"avg, max, switch, runtime\")\n"
		     "  -p, --pids        with --perf-compat: per thread, not merged by comm\n"
		     "  --off-cpu OUT     in the same pass, write the off-CPU folded stacks of\n"
		     "                    'tracekit collapse --off-cpu' (us) to OUT\n"
		     "  -h, --help        this help\n");
}

struct common {
	const char *file;
	struct tk_evsrc *src;
	uint64_t from, to;
	bool cpu_filter;
	uint64_t cpumask[16];
	long pid, tid;
	const char *comm;
	const char *offcpu_out;		/* sched latency --off-cpu */
	struct cli_pchain *pc;		/* its perf callchain namer */
	struct tk_fold *fold;
	struct tk_evfold *ef;
};

static int open_src(struct common *c)
{
	struct tk_evsrc_opts so = { 0 };
	struct tk_err err;
	int rc;

	if (c->offcpu_out) {
		/* The off-CPU fold names perf callchains as collapse does. */
		tk_err_clear(&err);
		c->fold = tk_fold_create(&(struct tk_fold_opts){ 0 }, &err);
		if (!c->fold)
			return cli_fail_err(&err);
		if ((rc = cli_pchain_create(c->fold, c->file, &c->pc)) != 0)
			return rc;
		so.pdat_hook = cli_pchain_hook;
		so.pdat_arg = c->pc;
	}
	tk_err_clear(&err);
	if (tk_evsrc_open(c->file, &so, &c->src, &err) < 0) {
		if (!err.file[0])
			tk_err_set_file(&err, c->file);
		return cli_fail_err(&err);
	}
	return 0;
}

/* The off-CPU fold of sched latency --off-cpu, once the source is open. */
static int offcpu_start(struct common *c)
{
	const struct tk_schema *sch = tk_evsrc_get_schema(c->src);
	bool is_pdat = tk_evsrc_get_type(c->src) == TK_EVSRC_PDAT;
	struct tk_evfold_opts eo = { .mode = TK_EVFOLD_OFFCPU, .schema = sch };
	struct tk_err err;
	uint32_t id;
	int rc;

	if (!c->offcpu_out)
		return 0;
	if (is_pdat && (rc = cli_pchain_attach(c->pc, tk_evsrc_get_pdat(c->src), NULL, NULL)) != 0)
		return rc;
	eo.from = c->from;
	eo.to = c->to;
	if (c->cpu_filter) {
		eo.cpus = c->cpumask;
		eo.ncpubits = 1024;
	}
	eo.one_stack = is_pdat;
	eo.use_waking = sch->ops->find_event(sch->arg, "sched:sched_waking", &id) == 1;
	if (is_pdat) {
		eo.extend = cli_pchain_extend;
		eo.extend_arg = c->pc;
	}
	tk_err_clear(&err);
	c->ef = tk_evfold_create(c->fold, &eo, &err);
	return c->ef ? 0 : cli_fail_err(&err);
}

static int offcpu_write(struct common *c)
{
	struct tk_err err;
	FILE *f;
	int rc = 0;

	if (!c->ef)
		return 0;
	tk_err_clear(&err);
	if (tk_evfold_finish(c->ef) < 0) {
		err = *tk_evfold_get_err(c->ef);
		tk_err_set_file(&err, c->file);
		return cli_fail_err(&err);
	}
	f = fopen(c->offcpu_out, "w");
	if (!f)
		return cli_fail("%s: cannot create: %s", c->offcpu_out, strerror(errno));
	tk_err_set_file(&err, c->offcpu_out);
	if (tk_folded_write_div(f, tk_fold_get_stacks(c->fold), tk_fold_get_names(c->fold), 1000,
				&err) < 0)
		rc = cli_fail_err(&err);
	if (fclose(f) != 0 && !rc)
		rc = cli_fail("%s: write error: %s", c->offcpu_out, strerror(errno));
	return rc;
}

static void common_close(struct common *c)
{
	tk_evfold_destroy(c->ef);
	tk_evsrc_close(c->src);
	cli_pchain_destroy(c->pc);
	tk_fold_destroy(c->fold);
}

static int src_fail(struct common *c)
{
	const struct tk_err *e = tk_evsrc_get_err(c->src);
	struct tk_err copy = *e;

	if (!copy.file[0])
		tk_err_set_file(&copy, c->file);
	return cli_fail_err(&copy);
}

static int no_switch(struct common *c)
{
	return cli_fail("%s: no sched_switch events (record them with 'perf sched record' "
			"or 'trace-cmd record -e sched')", c->file);
}

static int parse_long(const char *s, long *v)
{
	char *end;

	*v = strtol(s, &end, 10);
	return *s && !*end && *v >= 0 ? 0 : -1;
}

enum { O_BY = 256, O_SORT, O_JSON, O_CSV, O_FROM, O_TO, O_CPU, O_PID, O_TID, O_COMM, O_PERF,
       O_OFFCPU };

static int common_opt(const char *cmd, int c, const char *arg, struct common *o)
{
	switch (c) {
	case O_FROM:
		if (cli_parse_seconds(arg, &o->from) < 0)
			return cli_usage_error(cmd, "bad --from '%s' (seconds)", arg);
		return 0;
	case O_TO:
		if (cli_parse_seconds(arg, &o->to) < 0)
			return cli_usage_error(cmd, "bad --to '%s' (seconds)", arg);
		return 0;
	case O_CPU:
		if (cli_parse_cpus(arg, o->cpumask, 1024) < 0)
			return cli_usage_error(cmd, "bad --cpu '%s' (e.g. 0,2-3)", arg);
		o->cpu_filter = true;
		return 0;
	case O_PID:
		if (parse_long(arg, &o->pid) < 0)
			return cli_usage_error(cmd, "bad --pid '%s'", arg);
		return 0;
	case O_TID:
		if (parse_long(arg, &o->tid) < 0)
			return cli_usage_error(cmd, "bad --tid '%s'", arg);
		return 0;
	case O_COMM:
		o->comm = arg;
		return 0;
	}
	return -1;
}

static bool row_shown(const struct common *o, const struct tk_schedlat_row *r, const char *by)
{
	if (o->comm && strcmp(r->name, o->comm))
		return false;
	if (o->tid >= 0 && (strcmp(by, "tid") || r->tid != o->tid))
		return false;
	if (o->pid >= 0) {
		if (!strcmp(by, "pid") && r->tid != o->pid)
			return false;
		if (!strcmp(by, "tid") && r->pid != o->pid && r->tid != o->pid)
			return false;
		if (strcmp(by, "pid") && strcmp(by, "tid"))
			return false;
	}
	return true;
}

static int cmd_latency(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "by", required_argument, NULL, O_BY },
		{ "sort", required_argument, NULL, O_SORT },
		{ "json", no_argument, NULL, O_JSON },
		{ "csv", no_argument, NULL, O_CSV },
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		{ "cpu", required_argument, NULL, O_CPU },
		{ "pid", required_argument, NULL, O_PID },
		{ "tid", required_argument, NULL, O_TID },
		{ "comm", required_argument, NULL, O_COMM },
		{ "perf-compat", no_argument, NULL, O_PERF },
		{ "perf-sort", required_argument, NULL, 's' },
		{ "pids", no_argument, NULL, 'p' },
		{ "off-cpu", required_argument, NULL, O_OFFCPU },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const bys[] = { "tid", "pid", "comm", "cpu" };
	static const char *const sorts[] = { "max", "runtime", "avg", "p99", "switches", "key" };
	struct common o = { .pid = -1, .tid = -1 };
	struct tk_schedlat_opts so = { 0 };
	enum tk_schedtxt_fmt fmt = TK_SCHEDTXT_TEXT;
	enum tk_schedlat_sort sort = TK_SCHEDLAT_SORT_MAX;
	const char *perf_sort = NULL;
	struct tk_schedlat *sl = NULL;
	struct tk_event ev;
	const struct tk_payload *pl;
	struct tk_err err;
	int c, rc, i, ret = TK_EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "s:ph", lopts, NULL)) != -1) {
		switch (c) {
		case O_BY:
			for (i = 0; i < 4 && strcmp(optarg, bys[i]); i++)
				;
			if (i == 4)
				return cli_usage_error("sched latency", "bad --by '%s' (tid, pid, comm, cpu)", optarg);
			so.by = (enum tk_schedlat_by)i;
			break;
		case O_SORT:
			for (i = 0; i < 6 && strcmp(optarg, sorts[i]); i++)
				;
			if (i == 6)
				return cli_usage_error("sched latency",
						       "bad --sort '%s' (max, p99, avg, runtime, switches, key)", optarg);
			sort = (enum tk_schedlat_sort)i;
			break;
		case O_JSON:
			fmt = TK_SCHEDTXT_JSON;
			break;
		case O_CSV:
			fmt = TK_SCHEDTXT_CSV;
			break;
		case O_PERF:
			so.perf_compat = true;
			break;
		case 's':
			perf_sort = optarg;
			break;
		case 'p':
			so.perf_per_pid = true;
			break;
		case O_OFFCPU:
			o.offcpu_out = optarg;
			break;
		case 'h':
			help_latency(stdout);
			return TK_EXIT_OK;
		case '?':
			return cli_usage_error("sched latency", "bad option");
		default:
			if ((rc = common_opt("sched latency", c, optarg, &o)) != 0)
				return rc;
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("sched latency", "expected one FILE");
	if (so.perf_compat && (fmt != TK_SCHEDTXT_TEXT || o.from || o.to || o.cpu_filter ||
			       o.pid >= 0 || o.tid >= 0 || o.comm))
		return cli_usage_error("sched latency", "--perf-compat takes only -s and -p");
	o.file = argv[optind];
	if ((rc = open_src(&o)) != 0 || (rc = offcpu_start(&o)) != 0) {
		common_close(&o);
		return rc;
	}
	so.from = o.from;
	so.to = o.to;
	so.cpu_filter = o.cpu_filter;
	memcpy(so.cpumask, o.cpumask, sizeof(so.cpumask));
	so.schema_comms = tk_evsrc_get_type(o.src) == TK_EVSRC_TDAT;
	tk_err_clear(&err);
	sl = tk_schedlat_create(tk_evsrc_get_schema(o.src), &so, &err);
	if (!sl) {
		ret = cli_fail_err(&err);
		goto out;
	}
	while ((rc = tk_evsrc_next(o.src, &ev, &pl)) > 0) {
		if ((rc = tk_schedlat_event(sl, &ev, pl, tk_evsrc_get_meta(o.src))) < 0) {
			ret = cli_fail("%s: out of memory", o.file);
			goto out;
		}
		if (o.ef && tk_evfold_event(o.ef, &ev, pl) < 0) {
			struct tk_err e2 = *tk_evfold_get_err(o.ef);

			tk_err_set_file(&e2, o.file);
			ret = cli_fail_err(&e2);
			goto out;
		}
	}
	if (rc < 0) {
		rc = o.pc ? cli_pchain_fail(o.pc) : -1;
		ret = rc >= 0 ? rc : src_fail(&o);
		goto out;
	}
	if (!tk_schedlat_get_nswitch(sl)) {
		ret = no_switch(&o);
		goto out;
	}
	if (so.perf_compat) {
		const struct tk_schedlat_perf_row *prows;
		struct tk_schedlat_perf_info info;
		size_t n;

		tk_err_clear(&err);
		if (tk_schedlat_get_perf(sl, perf_sort, &prows, &n, &info, &err) < 0) {
			ret = err.code == TK_EINVAL ? cli_usage_error("sched latency", "%s", err.msg)
						    : cli_fail_err(&err);
			goto out;
		}
		if (tk_schedtxt_print_perf_latency(stdout, prows, n, &info) < 0)
			goto out;
	} else {
		const struct tk_schedlat_row *rows;
		struct tk_schedlat_row *shown;
		struct tk_schedtxt_latency l = { .by = bys[so.by], .sort = sorts[sort] };
		size_t n, k = 0, j;

		if (tk_schedlat_get_rows(sl, sort, &rows, &n) < 0) {
			ret = cli_fail("%s: out of memory", o.file);
			goto out;
		}
		shown = calloc(n ? n : 1, sizeof(*shown));
		if (!shown) {
			ret = cli_fail("%s: out of memory", o.file);
			goto out;
		}
		for (j = 0; j < n; j++)
			if (row_shown(&o, &rows[j], l.by))
				shown[k++] = rows[j];
		l.rows = shown;
		l.nrows = k;
		l.cpus = tk_schedlat_get_cpus(sl, &l.ncpus);
		rc = tk_schedtxt_print_latency(stdout, &l, fmt);
		free(shown);
		if (rc < 0)
			goto out;
	}
	ret = fflush(stdout) == 0 ? TK_EXIT_OK : cli_fail("write error");
	if (ret == TK_EXIT_OK)
		ret = offcpu_write(&o);
out:
	tk_schedlat_destroy(sl);
	common_close(&o);
	return ret;
}

static void help_timehist(FILE *out)
{
	fprintf(out, "usage: tracekit sched timehist [options] FILE\n"
		     "\n"
		     "One line per context switch, as perf sched timehist (perf 6.1) prints it:\n"
		     "the task switched out, how long it had been off the CPU (wait time),\n"
		     "from its wakeup to its switch-in (sch delay) and how long it ran (run\n"
		     "time), in msec. Task names and counts follow perf's thread bookkeeping\n"
		     "(docs/sched.md).\n"
		     "\n"
		     "Options:\n"
		     "  -s, --summary       only the per-task run time summary\n"
		     "  -S, --with-summary  the lines, then the summary\n"
		     "  -w, --wakeups       wakeup lines too\n"
		     "  -M, --migrations    migration lines too (and count them in the summary)\n"
		     "  -C, --cpu LIST      only these CPUs (\"0,2-3\")\n"
		     "  -p, --pid LIST      only these thread groups (comma-separated)\n"
		     "  -t, --tid LIST      only these threads\n"
		     "  --from SEC, --to SEC\n"
		     "                      the time window, as perf's --time START,END\n"
		     "  -h, --help          this help\n");
}

static int parse_ids(const char *s, int32_t **v, size_t *n)
{
	const char *p = s;

	*n = 0;
	*v = calloc(strlen(s) / 2 + 1, sizeof(**v));
	if (!*v)
		return -1;
	while (*p) {
		char *end;
		long x = strtol(p, &end, 10);

		if (end == p || x < 0 || x > INT32_MAX || (*end && *end != ','))
			return -1;
		(*v)[(*n)++] = (int32_t)x;
		p = *end ? end + 1 : end;
	}
	return *n ? 0 : -1;
}

static int cmd_timehist(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "summary", no_argument, NULL, 's' },
		{ "with-summary", no_argument, NULL, 'S' },
		{ "wakeups", no_argument, NULL, 'w' },
		{ "migrations", no_argument, NULL, 'M' },
		{ "cpu", required_argument, NULL, 'C' },
		{ "pid", required_argument, NULL, 'p' },
		{ "tid", required_argument, NULL, 't' },
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct common o = { .pid = -1, .tid = -1 };
	struct tk_timehist_opts to = { 0 };
	struct tk_timehist *th = NULL;
	struct tk_thtxt txt;
	struct tk_event ev;
	const struct tk_payload *pl;
	struct tk_err err;
	int32_t *pids = NULL, *tids = NULL;
	bool with_summary = false;
	int c, rc, ret = TK_EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "sSwMC:p:t:h", lopts, NULL)) != -1) {
		switch (c) {
		case 's':
			to.summary_only = true;
			break;
		case 'S':
			with_summary = true;
			break;
		case 'w':
			to.show_wakeups = true;
			break;
		case 'M':
			to.show_migrations = true;
			break;
		case 'C':
			if (cli_parse_cpus(optarg, to.cpumask, 1024) < 0) {
				ret = cli_usage_error("sched timehist", "bad --cpu '%s' (e.g. 0,2-3)", optarg);
				goto out;
			}
			to.cpu_filter = true;
			break;
		case 'p':
			free(pids);
			if (parse_ids(optarg, &pids, &to.npids) < 0) {
				ret = cli_usage_error("sched timehist", "bad --pid '%s'", optarg);
				goto out;
			}
			to.pids = pids;
			break;
		case 't':
			free(tids);
			if (parse_ids(optarg, &tids, &to.ntids) < 0) {
				ret = cli_usage_error("sched timehist", "bad --tid '%s'", optarg);
				goto out;
			}
			to.tids = tids;
			break;
		case 'h':
			help_timehist(stdout);
			ret = TK_EXIT_OK;
			goto out;
		case '?':
			ret = cli_usage_error("sched timehist", "bad option");
			goto out;
		default:
			if ((rc = common_opt("sched timehist", c, optarg, &o)) != 0) {
				ret = rc;
				goto out;
			}
		}
	}
	if (optind + 1 != argc) {
		ret = cli_usage_error("sched timehist", "expected one FILE");
		goto out;
	}
	if (to.summary_only && to.show_wakeups) {
		ret = cli_usage_error("sched timehist", "-s and -w do not go together");
		goto out;
	}
	o.file = argv[optind];
	if ((rc = open_src(&o)) != 0) {
		ret = rc;
		goto out;
	}
	to.start = o.from;
	to.end = o.to;
	to.ncpus = tk_evsrc_ncpus(o.src);
	to.schema_comms = tk_evsrc_get_type(o.src) == TK_EVSRC_TDAT;
	tk_thtxt_init(&txt, stdout, to.show_wakeups);
	tk_err_clear(&err);
	th = tk_timehist_create(tk_evsrc_get_schema(o.src), &to, tk_thtxt_line, &txt, &err);
	if (!th) {
		ret = cli_fail_err(&err);
		goto out;
	}
	if (!to.summary_only && tk_thtxt_header(&txt) < 0)
		goto out;
	while ((rc = tk_evsrc_next(o.src, &ev, &pl)) > 0) {
		if ((rc = tk_timehist_event(th, &ev, pl, tk_evsrc_get_meta(o.src))) < 0) {
			ret = rc == -TK_ENOMEM ? cli_fail("%s: out of memory", o.file)
					       : cli_fail("write error");
			goto out;
		}
	}
	if (rc < 0) {
		ret = src_fail(&o);
		goto out;
	}
	if (!tk_timehist_get_nswitch(th)) {
		ret = no_switch(&o);
		goto out;
	}
	if (to.summary_only || with_summary) {
		struct tk_timehist_summary sum;

		if (tk_timehist_get_summary(th, &sum) < 0) {
			ret = cli_fail("%s: out of memory", o.file);
			goto out;
		}
		if (tk_thtxt_summary(&txt, &sum) < 0)
			goto out;
	}
	ret = fflush(stdout) == 0 ? TK_EXIT_OK : cli_fail("write error");
out:
	tk_timehist_destroy(th);
	if (o.src)
		tk_evsrc_close(o.src);
	free(pids);
	free(tids);
	return ret;
}

int cmd_sched(int argc, char **argv)
{
	if (argc < 2) {
		help_main(stderr);
		return TK_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		help_main(stdout);
		return TK_EXIT_OK;
	}
	if (!strcmp(argv[1], "latency"))
		return cmd_latency(argc - 1, argv + 1);
	if (!strcmp(argv[1], "timehist"))
		return cmd_timehist(argc - 1, argv + 1);
	return cli_usage_error("sched", "unknown subcommand '%s' (latency, timehist)", argv[1]);
}
