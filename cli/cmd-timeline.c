/* SPDX-License-Identifier: MIT */
/*
 * tracekit timeline: the scheduler events of a trace.dat or perf.data,
 * binned into pixel columns as they stream (analyze/timebin.h) and drawn
 * through cairo (render/timeline.h).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/timebin.h"
#include "cli/cli.h"
#include "formats/evsrc.h"
#include "render/timeline.h"

#define MAX_CPUS 4096
#define MAX_COMMS 64

static void help(FILE *out)
{
	fprintf(out,
		"usage: tracekit timeline [options] FILE\n"
		"\n"
		"Draw the CPUs of a trace.dat or perf.data with scheduler events\n"
		"(sched_switch, sched_wakeup) as a timeline: one lane per CPU with the\n"
		"running task as coloured slices (idle is blank), a strip under each lane\n"
		"shaded by the longest wakeup latency (light 1 us .. dark 10 ms), black\n"
		"marks where events were lost, a time axis and the busiest tasks.\n"
		"\n"
		"Options:\n"
		"  -o, --output FILE   write to FILE (its extension .png, .svg or .pdf picks\n"
		"                      the format); default standard output\n"
		"  --format FMT        png (default), svg, pdf, or raster: the binned\n"
		"                      columns as text (docs/timeline.md)\n"
		"  --from SECONDS      start at this trace time (as report prints it)\n"
		"  --to SECONDS        end at this trace time\n"
		"  --width N           picture width in pixels (1200)\n"
		"  --height N          picture height; lanes are squeezed to fit (default:\n"
		"                      as tall as the lanes need)\n"
		"  --cpus LIST         only these CPUs (\"0,2-3\")\n"
		"  --tasks[=N]         also one lane per task, the N busiest (16)\n"
		"  --comm LIST         only tasks with these names (comma separated) get\n"
		"                      lanes and legend entries; others are drawn grey\n"
		"  --legend N          tasks in the legend (12)\n"
		"  --title TEXT        heading (\"CPU timeline\")\n"
		"  -h, --help          this help\n"
		"\n"
		"Exit status: 0 ok, 1 bad input or I/O error, 2 usage error.\n");
}

enum {
	OPT_FORMAT = 256,
	OPT_FROM,
	OPT_TO,
	OPT_WIDTH,
	OPT_HEIGHT,
	OPT_CPUS,
	OPT_TASKS,
	OPT_COMM,
	OPT_LEGEND,
	OPT_TITLE,
};

enum out_format { OUT_DEFAULT = -1, OUT_RASTER = 100 };

static int format_of(const char *s)
{
	if (!strcmp(s, "png"))
		return TK_TIMELINE_PNG;
	if (!strcmp(s, "svg"))
		return TK_TIMELINE_SVG;
	if (!strcmp(s, "pdf"))
		return TK_TIMELINE_PDF;
	if (!strcmp(s, "raster"))
		return OUT_RASTER;
	return OUT_DEFAULT;
}

/* The binned result as text: what the picture is drawn from. */
static void write_raster(const struct tk_timebin_result *r, FILE *out)
{
	size_t k;
	uint32_t j;

	fprintf(out, "# tracekit timeline raster\nrange %" PRIu64 " %" PRIu64 " columns %" PRIu32
		     " events %" PRIu64 " lost %" PRIu64 "\n",
		r->from, r->to, r->columns, r->events, r->lost);
	fputs("edges", out);
	for (j = 0; j <= r->columns; j++)
		fprintf(out, " %" PRIu64, r->edges[j]);
	fputc('\n', out);
	for (k = 0; k < r->ntasks; k++)
		fprintf(out, "task %" PRIu32 " pid %" PRIu32 " busy %" PRIu64 " wake_max %" PRIu64
			     " comm %s\n",
			r->tasks[k].tid, r->tasks[k].pid, r->tasks[k].busy_ns, r->tasks[k].wake_max,
			*r->tasks[k].comm ? r->tasks[k].comm : "?");
	for (k = 0; k < r->nlanes; k++) {
		const struct tk_timebin_lane *l = &r->lanes[k];
		const char *kind = l->kind == TK_TIMEBIN_CPU ? "cpu" : "task";
		fprintf(out, "lane %s %" PRIu32 " busy %" PRIu64 "\n", kind, l->id, l->busy_ns);
		for (j = 0; j < r->columns; j++) {
			const struct tk_timebin_cell *c = &l->cells[j];
			uint64_t s = r->edges[j], e = r->edges[j + 1];

			if (!c->tid && !c->lost && !c->wake_max)
				continue;
			fprintf(out, "%s %" PRIu32 " col %" PRIu32 " %" PRIu64 " %" PRIu64 " tid %" PRIu32
				     " busy %.3f wake_max %" PRIu64 " lost %" PRIu32 "\n",
				kind, l->id, j, s, e, c->tid, c->busy, c->wake_max, c->lost);
		}
	}
}

/* "a,b,c" into comms[] (pointers into the writable copy). */
static int split_comms(char *s, const char **comms, size_t *n)
{
	*n = 0;
	while (s && *s) {
		char *comma = strchr(s, ',');

		if (*n == MAX_COMMS)
			return -1;
		if (comma)
			*comma = 0;
		if (*s)
			comms[(*n)++] = s;
		s = comma ? comma + 1 : NULL;
	}
	return *n ? 0 : -1;
}

int cmd_timeline(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "height", required_argument, NULL, OPT_HEIGHT },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "tasks", optional_argument, NULL, OPT_TASKS },
		{ "comm", required_argument, NULL, OPT_COMM },
		{ "legend", required_argument, NULL, OPT_LEGEND },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t cpus[MAX_CPUS / 64];
	const char *comms[MAX_COMMS];
	struct tk_timeline_opts ro;
	struct tk_timebin_opts bo = { 0 };
	struct tk_timebin *tb = NULL;
	struct tk_evsrc *src = NULL;
	const char *output = NULL, *path;
	char *comm_copy = NULL;
	int fmt = OUT_DEFAULT, opt, ret;
	struct tk_event ev;
	struct tk_err err;
	FILE *out = stdout;

	tk_timeline_opts_init(&ro);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case OPT_FORMAT:
			fmt = format_of(optarg);
			if (fmt == OUT_DEFAULT)
				return cli_usage_error("timeline", "--format is png, svg, pdf or raster");
			break;
		case OPT_FROM:
			if (cli_parse_seconds(optarg, &bo.from))
				return cli_usage_error("timeline", "bad time '%s'", optarg);
			break;
		case OPT_TO:
			if (cli_parse_seconds(optarg, &bo.to))
				return cli_usage_error("timeline", "bad time '%s'", optarg);
			break;
		case OPT_WIDTH:
			if (cli_parse_int(optarg, 200, 20000, &ro.width))
				return cli_usage_error("timeline", "--width wants pixels, 200 to 20000");
			break;
		case OPT_HEIGHT:
			if (cli_parse_int(optarg, 50, 20000, &ro.height))
				return cli_usage_error("timeline", "--height wants pixels, 50 to 20000");
			break;
		case OPT_CPUS:
			if (cli_parse_cpus(optarg, cpus, MAX_CPUS))
				return cli_usage_error("timeline", "bad CPU list '%s'", optarg);
			bo.cpus = cpus;
			bo.max_cpus = MAX_CPUS;
			break;
		case OPT_TASKS:
			bo.tasks = true;
			if (optarg && cli_parse_int(optarg, 1, 1024, &ro.task_lanes))
				return cli_usage_error("timeline", "--tasks wants 1 to 1024 lanes");
			break;
		case OPT_COMM:
			free(comm_copy);
			comm_copy = strdup(optarg);
			if (!comm_copy || split_comms(comm_copy, comms, &bo.ncomms)) {
				free(comm_copy);
				return cli_usage_error("timeline", "--comm wants 1 to %d names", MAX_COMMS);
			}
			bo.comms = comms;
			break;
		case OPT_LEGEND:
			if (cli_parse_int(optarg, 0, 1000, &ro.legend))
				return cli_usage_error("timeline", "--legend wants 0 to 1000");
			break;
		case OPT_TITLE:
			ro.title = optarg;
			break;
		case 'h':
			help(stdout);
			free(comm_copy);
			return TK_EXIT_OK;
		default:
			free(comm_copy);
			return cli_usage_error("timeline", "unknown option");
		}
	}
	ret = TK_EXIT_USAGE;
	if (optind != argc - 1) {
		cli_usage_error("timeline", "one input file expected");
		goto out;
	}
	if (bo.to && bo.to <= bo.from) {
		cli_usage_error("timeline", "--to must be after --from");
		goto out;
	}
	path = argv[optind];
	if (fmt == OUT_DEFAULT && output) {
		const char *dot = strrchr(output, '.');

		fmt = dot ? format_of(dot + 1) : OUT_DEFAULT;
		if (fmt == OUT_RASTER || fmt == OUT_DEFAULT)
			fmt = TK_TIMELINE_PNG;
	}
	if (fmt == OUT_DEFAULT)
		fmt = TK_TIMELINE_PNG;
	if (fmt != OUT_RASTER && fmt != TK_TIMELINE_SVG && !output && isatty(STDOUT_FILENO)) {
		cli_usage_error("timeline", "a PNG or PDF goes to a file (-o) or a pipe");
		goto out;
	}
	ro.format = fmt == OUT_RASTER ? TK_TIMELINE_PNG : (enum tk_timeline_format)fmt;
	bo.columns = tk_timeline_columns(ro.width);
	bo.max_task_lanes = 64;

	ret = TK_EXIT_FAIL;
	tk_err_clear(&err);
	tk_err_set_file(&err, path);
	if (tk_evsrc_open(path, NULL, &src, &err) < 0) {
		ret = cli_fail_err(&err);
		goto out;
	}
	/* Bins per column: fewer on big machines, so memory stays ~ 1 MB per CPU lane or less. */
	bo.oversample = tk_evsrc_ncpus(src) <= 16 ? 16 : tk_evsrc_ncpus(src) <= 64 ? 8 : 4;
	tb = tk_timebin_create(&bo, tk_evsrc_get_schema(src), &err);
	if (!tb) {
		ret = cli_fail_err(&err);
		goto out;
	}
	while ((ret = tk_evsrc_next(src, &ev, NULL)) > 0) {
		/* Time-ordered: nothing after --to can matter. */
		if (bo.to && ev.ts > bo.to)
			break;
		if (tk_timebin_event(tb, &ev) < 0) {
			ret = cli_fail_err(tk_timebin_get_err(tb));
			goto out;
		}
	}
	if (ret < 0) {
		ret = cli_fail_err(tk_evsrc_get_err(src));
		goto out;
	}
	if (tk_timebin_finish(tb, &err) < 0) {
		ret = cli_fail_err(&err);
		goto out;
	}
	if (output) {
		out = fopen(output, "wb");
		if (!out) {
			out = stdout;
			ret = cli_fail("%s: cannot create: %s", output, strerror(errno));
			goto out;
		}
	}
	tk_err_clear(&err);
	tk_err_set_file(&err, output ? output : "(stdout)");
	if (fmt == OUT_RASTER) {
		write_raster(tk_timebin_get(tb), out);
		ret = ferror(out) ? tk_err_sys(&err, errno, -1, "writing") : 0;
	} else {
		ret = tk_timeline_write(tk_timebin_get(tb), &ro, out, &err);
	}
	if (out != stdout && fclose(out) && ret == 0)
		ret = tk_err_sys(&err, errno, -1, "closing the output");
	else if (out == stdout && fflush(out) && ret == 0)
		ret = tk_err_sys(&err, errno, -1, "writing");
	out = stdout;
	ret = ret < 0 ? cli_fail_err(&err) : TK_EXIT_OK;
out:
	if (out != stdout)
		fclose(out);
	tk_timebin_destroy(tb);
	tk_evsrc_close(src);
	free(comm_copy);
	return ret;
}
