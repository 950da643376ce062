/* SPDX-License-Identifier: MIT */
/*
 * tracekit stat: what a trace holds. Reads every event (unlike
 * `trace-cmd report --stat`, which prints stored buffer statistics).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <traceevent/event-parse.h>

#include "analyze/stats.h"
#include "cli/cli.h"
#include "cli/stat-perf.h"
#include "core/event.h"
#include "formats/tdat.h"
#include "render/table.h"

static void help(FILE *out)
{
	fprintf(out, "usage: tracekit stat [options] FILE\n"
		     "\n"
		     "Summarise a trace.dat file: version, compression, clock, uname, CPUs,\n"
		     "time span, events per type and per CPU, and lost events; or a perf.data\n"
		     "file: host, kernel, perf version, CPUs, command line, compression,\n"
		     "events with their sample counts, records per type, time span and\n"
		     "losses. Every event is read. FILE '-' reads a pipe-mode perf.data.\n"
		     "\n"
		     "Options:\n"
		     "  --json         print JSON instead of text\n"
		     "  -v, --verbose  show libtraceevent warnings\n"
		     "  -h, --help     this help\n");
}

struct cpu_row {
	int cpu;
	uint64_t events, lost, lost_unknown, overrun;
	bool stats;
};

static void event_name(struct tep_handle *tep, uint32_t id, const char **sys, const char **name)
{
	struct tep_event *ev = tep_find_event(tep, (int)id);

	*sys = ev ? ev->system : "?";
	*name = ev ? ev->name : "(unknown id)";
}

static void fmt_ts(char *buf, size_t n, uint64_t ts)
{
	snprintf(buf, n, "%" PRIu64 ".%06" PRIu64, ts / UINT64_C(1000000000), ts % UINT64_C(1000000000) / 1000);
}

/* Rows for every CPU with data or counts, merging reader and analyzer views. */
static int cpu_rows(struct tk_tdat_reader *r, struct tk_stats *st, struct cpu_row **out)
{
	const struct tk_tdat_info *in = tk_tdat_get_info(r);
	const struct tk_stats_cpu *sc;
	const struct tk_tdat_cpu_info *ci;
	int nsc, nci, i, n = in->ncpus, k = 0;
	struct cpu_row *rows;

	sc = tk_stats_get_cpus(st, &nsc);
	ci = tk_tdat_get_cpus(r, 0, &nci);
	for (i = 0; i < nci; i++)
		if (ci[i].cpu + 1 > n)
			n = ci[i].cpu + 1;
	if (nsc > n)
		n = nsc;
	rows = calloc(n ? (size_t)n : 1, sizeof(*rows));
	if (!rows)
		return -1;
	for (i = 0; i < n; i++)
		rows[i].cpu = i;
	for (i = 0; i < nsc; i++)
		rows[i].events = sc[i].events;
	for (i = 0; i < nci; i++) {
		struct cpu_row *row = &rows[ci[i].cpu];

		row->lost = ci[i].lost_events;
		row->lost_unknown = ci[i].lost_unknown;
		row->overrun = ci[i].overrun;
		row->stats = ci[i].has_stats;
	}
	/* Keep CPUs that say anything; with none, keep all configured ones. */
	for (i = 0; i < n; i++)
		if (i < in->ncpus || rows[i].events || rows[i].lost || rows[i].lost_unknown)
			rows[k++] = rows[i];
	*out = rows;
	return k;
}

static int print_text(struct tk_tdat_reader *r, struct tk_stats *st, const char *path)
{
	const struct tk_tdat_info *in = tk_tdat_get_info(r);
	struct tep_handle *tep = tk_tdat_get_tep(r);
	const struct tk_stats_id *ids;
	struct cpu_row *rows;
	struct tk_table *t;
	uint64_t total = tk_stats_get_total(st), lost = 0, unknown = 0, overrun = 0, span;
	char a[64], b[64];
	int nids, nrows, i;

	nrows = cpu_rows(r, st, &rows);
	if (nrows < 0)
		return cli_fail("out of memory");
	for (i = 0; i < nrows; i++) {
		lost += rows[i].lost;
		unknown += rows[i].lost_unknown;
		overrun += rows[i].overrun;
	}
	printf("file:         %s (%" PRIu64 " bytes)\n", path, in->file_size);
	printf("format:       trace.dat v%d, %s endian, long %d, kernel long %d, sub-buffer %u\n",
	       in->version, in->big_endian ? "big" : "little", in->file_long_size,
	       in->kernel_long_size, in->page_size);
	printf("compression:  %s%s%s\n", in->codec_name, *in->codec_version ? " " : "",
	       in->codec_version);
	printf("clock:        %s\n", in->clock);
	printf("uname:        %s\n", in->uname ? in->uname : "(not recorded)");
	printf("recorder:     %s\n", in->tracer_version ? in->tracer_version : "(not recorded)");
	printf("CPUs:         %d\n", in->ncpus);
	printf("buffers:      %d\n", in->nbuffers);
	printf("event types:  %d formats in the file\n", in->nevent_formats);
	printf("events:       %" PRIu64 "\n", total);
	if (total) {
		fmt_ts(a, sizeof(a), tk_stats_get_first_ts(st));
		fmt_ts(b, sizeof(b), tk_stats_get_last_ts(st));
		span = tk_stats_get_last_ts(st) - tk_stats_get_first_ts(st);
		printf("time span:    %s .. %s (%" PRIu64 ".%09" PRIu64 " s)\n", a, b,
		       span / UINT64_C(1000000000), span % UINT64_C(1000000000));
	}
	printf("lost events:  %" PRIu64 " in sub-buffer marks, %" PRIu64
	       " marks without a count, %" PRIu64 " overrun (CPU stats)\n",
	       lost, unknown, overrun);

	ids = tk_stats_get_ids(st, &nids);
	t = tk_table_create(4);
	if (!t) {
		free(rows);
		return cli_fail("out of memory");
	}
	tk_table_set_col(t, 0, "event", 0);
	tk_table_set_col(t, 1, "system", 0);
	tk_table_set_col(t, 2, "count", 1);
	tk_table_set_col(t, 3, "%", 1);
	for (i = 0; i < nids; i++) {
		const char *sys, *name;

		event_name(tep, ids[i].id, &sys, &name);
		tk_table_cell(t, "%s", name);
		tk_table_cell(t, "%s", sys);
		tk_table_cell(t, "%" PRIu64, ids[i].count);
		tk_table_cell(t, "%.2f", total ? 100.0 * (double)ids[i].count / (double)total : 0.0);
	}
	printf("\nevents per type:\n");
	tk_table_print(t, stdout, "  ");
	tk_table_destroy(t);

	t = tk_table_create(5);
	if (!t) {
		free(rows);
		return cli_fail("out of memory");
	}
	tk_table_set_col(t, 0, "cpu", 1);
	tk_table_set_col(t, 1, "events", 1);
	tk_table_set_col(t, 2, "lost", 1);
	tk_table_set_col(t, 3, "lost (no count)", 1);
	tk_table_set_col(t, 4, "overrun", 1);
	for (i = 0; i < nrows; i++) {
		tk_table_cell(t, "%d", rows[i].cpu);
		tk_table_cell(t, "%" PRIu64, rows[i].events);
		tk_table_cell(t, "%" PRIu64, rows[i].lost);
		tk_table_cell(t, "%" PRIu64, rows[i].lost_unknown);
		if (rows[i].stats)
			tk_table_cell(t, "%" PRIu64, rows[i].overrun);
		else
			tk_table_cell(t, "-");
	}
	printf("\nevents per CPU:\n");
	tk_table_print(t, stdout, "  ");
	tk_table_destroy(t);
	free(rows);
	return TK_EXIT_OK;
}

static int print_json(struct tk_tdat_reader *r, struct tk_stats *st, const char *path)
{
	const struct tk_tdat_info *in = tk_tdat_get_info(r);
	struct tep_handle *tep = tk_tdat_get_tep(r);
	struct json_object *o = json_object_new_object(), *types, *cpus;
	const struct tk_stats_id *ids;
	struct cpu_row *rows;
	int nids, nrows, i;

	nrows = cpu_rows(r, st, &rows);
	if (!o || nrows < 0) {
		json_object_put(o);
		return cli_fail("out of memory");
	}
	json_object_object_add(o, "file", json_object_new_string(path));
	json_object_object_add(o, "file_size", json_object_new_int64((int64_t)in->file_size));
	json_object_object_add(o, "format", json_object_new_string("trace.dat"));
	json_object_object_add(o, "version", json_object_new_int(in->version));
	json_object_object_add(o, "big_endian", json_object_new_boolean(in->big_endian));
	json_object_object_add(o, "long_size", json_object_new_int(in->file_long_size));
	json_object_object_add(o, "kernel_long_size", json_object_new_int(in->kernel_long_size));
	json_object_object_add(o, "page_size", json_object_new_int((int)in->page_size));
	json_object_object_add(o, "compression", json_object_new_string(in->codec_name));
	json_object_object_add(o, "compression_version",
			       json_object_new_string(in->codec_version));
	json_object_object_add(o, "clock", json_object_new_string(in->clock));
	json_object_object_add(o, "uname", in->uname ? json_object_new_string(in->uname) : NULL);
	json_object_object_add(o, "recorder_version",
			       in->tracer_version ? json_object_new_string(in->tracer_version)
						  : NULL);
	json_object_object_add(o, "cpus", json_object_new_int(in->ncpus));
	json_object_object_add(o, "buffers", json_object_new_int(in->nbuffers));
	json_object_object_add(o, "events",
			       json_object_new_int64((int64_t)tk_stats_get_total(st)));
	json_object_object_add(o, "first_ts_ns",
			       json_object_new_int64((int64_t)tk_stats_get_first_ts(st)));
	json_object_object_add(o, "last_ts_ns",
			       json_object_new_int64((int64_t)tk_stats_get_last_ts(st)));

	types = json_object_new_array();
	ids = tk_stats_get_ids(st, &nids);
	for (i = 0; i < nids; i++) {
		struct json_object *e = json_object_new_object();
		const char *sys, *name;

		event_name(tep, ids[i].id, &sys, &name);
		json_object_object_add(e, "system", json_object_new_string(sys));
		json_object_object_add(e, "name", json_object_new_string(name));
		json_object_object_add(e, "id", json_object_new_int((int)ids[i].id));
		json_object_object_add(e, "count", json_object_new_int64((int64_t)ids[i].count));
		json_object_array_add(types, e);
	}
	json_object_object_add(o, "event_types", types);
	cpus = json_object_new_array();
	for (i = 0; i < nrows; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "cpu", json_object_new_int(rows[i].cpu));
		json_object_object_add(e, "events", json_object_new_int64((int64_t)rows[i].events));
		json_object_object_add(e, "lost", json_object_new_int64((int64_t)rows[i].lost));
		json_object_object_add(e, "lost_unknown",
				       json_object_new_int64((int64_t)rows[i].lost_unknown));
		json_object_object_add(e, "overrun",
				       rows[i].stats ? json_object_new_int64((int64_t)rows[i].overrun)
						     : NULL);
		json_object_array_add(cpus, e);
	}
	json_object_object_add(o, "per_cpu", cpus);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	free(rows);
	return TK_EXIT_OK;
}

int cmd_stat(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tk_tdat_reader *r = NULL;
	struct tk_stats *st = NULL;
	struct tk_tdat_rec tr;
	struct tk_event ev;
	bool json = false;
	int opt, verbose = 0, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			help(stdout);
			return TK_EXIT_OK;
		default:
			return cli_usage_error("stat", "unknown option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("stat", optind >= argc ? "no input file" : "one input file expected");
	cli_set_verbosity(verbose);
	if (!strcmp(argv[optind], "-"))
		return stat_perf(argv[optind], json);
	{
		enum cli_input_kind kind;

		if (cli_detect(argv[optind], &kind) < 0)
			return TK_EXIT_FAIL;
		if (kind == CLI_INPUT_PDAT)
			return stat_perf(argv[optind], json);
	}
	/* stat prints no event text: no symbols, no print plugins */
	ret = cli_open_tdat(argv[optind], &(struct tk_tdat_opts){ .no_plugins = true,
								  .no_symbols = true },
			    &r);
	if (ret)
		return ret;
	st = tk_stats_create();
	if (!st) {
		tk_tdat_close(r);
		return cli_fail("out of memory");
	}
	while ((ret = tk_tdat_next(r, &tr)) > 0) {
		tk_tdat_to_event(r, &tr, &ev);
		if (tk_stats_add(st, &ev) < 0) {
			ret = -TK_ENOMEM;
			break;
		}
	}
	if (ret < 0)
		ret = ret == -TK_ENOMEM ? cli_fail("out of memory") : cli_fail_tdat(r);
	else
		ret = json ? print_json(r, st, argv[optind]) : print_text(r, st, argv[optind]);
	tk_stats_destroy(st);
	tk_tdat_close(r);
	return ret;
}
