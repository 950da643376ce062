/* SPDX-License-Identifier: MIT */
/*
 * tracekit latency: the time between a start event and the matching end
 * event, as a bpftrace-style log2 histogram with exact percentiles.
 */
#include <getopt.h>
#include <string.h>

#include "analyze/latency.h"
#include "cli/cli.h"
#include "cli/histcli.h"
#include "formats/evsrc.h"
#include "formats/tpfilter.h"
#include "render/histout.h"

static void help(FILE *out)
{
	fprintf(out,
		"usage: tracekit latency [options] --start EVENT --end EVENT FILE\n"
		"\n"
		"Pair each start event with the next end event that agrees on the match\n"
		"fields and print the latencies as a log2 histogram in microseconds\n"
		"(bpftrace's hist() layout) with count, total, average and exact p50,\n"
		"p90, p99, p99.9 and max. Starts and ends left without a partner are\n"
		"counted and reported. Reads trace.dat and perf.data files.\n"
		"\n"
		"Options:\n"
		"      --start EVENT       the start event (SYS:NAME or NAME)\n"
		"      --end EVENT         the end event\n"
		"  -m, --match LIST        fields that pair them: FIELD (same name in both)\n"
		"                          or START_FIELD=END_FIELD, comma separated\n"
		"                          (default common_pid)\n"
		"      --by comm|pid|syscall  one histogram per task name, pid, or syscall\n"
		"                          (the start's id/__syscall_nr field)\n"
		"  -F, --filter EXPR       only start and end events matching EXPR\n"
		"                          (libtraceevent filter syntax)\n"
		"      --json              print JSON\n"
		"      --verbose           show libtraceevent warnings\n"
		"  -h, --help              this help\n"
		"\n"
		"Examples:\n"
		"  tracekit latency --start raw_syscalls:sys_enter --end raw_syscalls:sys_exit \\\n"
		"      --match common_pid,id --by syscall trace.dat\n"
		"  tracekit latency --start sched_wakeup --end sched_switch --match pid=next_pid perf.data\n"
		"  tracekit latency --start block_rq_issue --end block_rq_complete --match dev,sector t.dat\n");
}

enum { OPT_START = 256, OPT_END, OPT_BY, OPT_JSON, OPT_VERBOSE };

int cmd_evlatency(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "start", required_argument, NULL, OPT_START },
		{ "end", required_argument, NULL, OPT_END },
		{ "match", required_argument, NULL, 'm' },
		{ "by", required_argument, NULL, OPT_BY },
		{ "filter", required_argument, NULL, 'F' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tk_latency_opts lo = { 0 };
	const char *start = NULL, *end = NULL, *filter = NULL, *path;
	struct tk_tpfilter *filt = NULL;
	struct tk_evsrc *src = NULL;
	struct tk_latency *l = NULL;
	struct tk_histout_lat ho;
	const struct tk_payload *pl;
	struct tk_event ev;
	struct tk_err err;
	uint32_t ids[2];
	char arch[64];
	uint64_t lost = 0;
	bool json = false;
	int opt, verbose = 0, ret, rc;

	while ((opt = getopt_long(argc, argv, "m:F:h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_START:
			start = optarg;
			break;
		case OPT_END:
			end = optarg;
			break;
		case 'm':
			lo.match = optarg;
			break;
		case OPT_BY:
			if (!strcmp(optarg, "comm"))
				lo.by = TK_LATENCY_BY_COMM;
			else if (!strcmp(optarg, "pid"))
				lo.by = TK_LATENCY_BY_PID;
			else if (!strcmp(optarg, "syscall"))
				lo.by = TK_LATENCY_BY_SYSCALL;
			else
				return cli_usage_error("latency", "--by takes comm, pid or syscall");
			break;
		case 'F':
			filter = optarg;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_VERBOSE:
			verbose++;
			break;
		case 'h':
			help(stdout);
			return TK_EXIT_OK;
		default:
			return cli_usage_error("latency", "unknown option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("latency", "one input file expected");
	if (!start || !end)
		return cli_usage_error("latency", "--start and --end are required");
	path = argv[optind];
	cli_set_verbosity(verbose);
	if ((ret = histcli_open(path, &src)))
		return ret;
	if (!histcli_find_event(src, start, &lo.start_id)) {
		ret = cli_usage_error("latency", "no event '%s' in %s", start, path);
		goto out;
	}
	if (!histcli_find_event(src, end, &lo.end_id)) {
		ret = cli_usage_error("latency", "no event '%s' in %s", end, path);
		goto out;
	}
	tk_err_clear(&err);
	if (tk_latency_create(&lo, tk_evsrc_get_schema(src), &l, &err) < 0) {
		ret = err.code == TK_EINVAL ? cli_usage_error("latency", "%s", err.msg)
					    : cli_fail("%s", err.msg);
		goto out;
	}
	ids[0] = lo.start_id;
	ids[1] = lo.end_id;
	if ((ret = histcli_filter("latency", src, filter, ids, lo.start_id == lo.end_id ? 1 : 2,
				  &filt)))
		goto out;
	while ((rc = tk_evsrc_next(src, &ev, &pl)) > 0) {
		if (ev.kind == TK_EV_LOST) {
			lost += ev.u.lost.count ? ev.u.lost.count : 1;
			continue;
		}
		if (!pl || ev.kind == TK_EV_STACK ||
		    (pl->event_id != lo.start_id && pl->event_id != lo.end_id))
			continue;
		if (filt && !tk_tpfilter_match(filt, &ev, pl))
			continue;
		if (tk_latency_add(l, &ev, pl) < 0) {
			ret = cli_fail("%s: out of memory", path);
			goto out;
		}
	}
	if (rc < 0) {
		ret = cli_fail_err(tk_evsrc_get_err(src));
		goto out;
	}
	histcli_warn_lost(path, lost, "pairs across the gaps count as unmatched");
	if (tk_latency_finish(l) < 0) {
		ret = cli_fail("%s: out of memory", path);
		goto out;
	}
	ho.start = histcli_event_name(src, lo.start_id);
	ho.end = histcli_event_name(src, lo.end_id);
	ho.arch = histcli_arch(src, arch, sizeof(arch));
	rc = json ? tk_histout_latency_json(stdout, l, &ho) : tk_histout_latency(stdout, l, &ho);
	ret = rc < 0 ? cli_fail("cannot write the output") : TK_EXIT_OK;
out:
	tk_latency_destroy(l);
	tk_tpfilter_destroy(filt);
	tk_evsrc_close(src);
	return ret;
}
