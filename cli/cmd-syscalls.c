/* SPDX-License-Identifier: MIT */
/*
 * tracekit syscalls: a syscall summary (strace -c, perf trace -s) from
 * syscall tracepoints in a recording.
 */
#include <getopt.h>
#include <string.h>

#include "analyze/sysstat.h"
#include "cli/cli.h"
#include "cli/histcli.h"
#include "core/sysname.h"
#include "formats/evsrc.h"
#include "formats/tpfilter.h"
#include "render/histout.h"

#define MAX_SYSEV 2048

static void help(FILE *out)
{
	fprintf(out,
		"usage: tracekit syscalls [options] FILE\n"
		"\n"
		"Count syscalls, their errors (returns in -4095..-1) and their latency\n"
		"(entry to exit of the same thread: total, average, exact p99, max) per\n"
		"syscall, like strace -c and perf trace -s. Reads raw_syscalls:sys_enter\n"
		"and sys_exit, or else the syscalls:sys_enter_*/sys_exit_* events, from a\n"
		"trace.dat or perf.data file. Rows are sorted by total latency. Syscall\n"
		"names are known for x86_64 recordings (others show syscall_NR).\n"
		"\n"
		"Options:\n"
		"      --by syscall|pid|tid|comm  rows per syscall (default), or per\n"
		"                          process, thread or task name and syscall\n"
		"  -F, --filter EXPR       only events matching EXPR (libtraceevent syntax,\n"
		"                          e.g. 'common_pid == 42')\n"
		"      --json              print JSON\n"
		"      --csv               print CSV\n"
		"      --verbose           show libtraceevent warnings\n"
		"  -h, --help              this help\n");
}

enum { OPT_BY = 256, OPT_JSON, OPT_CSV, OPT_VERBOSE };

static int watch_all(struct tk_evsrc *src, struct tk_sysstat *s, const char *arch, uint32_t *ids,
		     int *nids, const char *path)
{
	const char *rest[MAX_SYSEV];
	uint32_t enter, exit_id;
	struct tk_err err;
	int n, i;

	tk_err_clear(&err);
	*nids = 0;
	if (histcli_find_event(src, "raw_syscalls:sys_enter", &enter) &&
	    histcli_find_event(src, "raw_syscalls:sys_exit", &exit_id)) {
		/* raw_syscalls see every syscall; syscalls:* beside them would count twice */
		if (tk_sysstat_watch(s, enter, 1, -1, &err) < 0 ||
		    tk_sysstat_watch(s, exit_id, 0, -1, &err) < 0)
			return cli_fail("%s: %s", path, err.msg);
		ids[0] = enter;
		ids[1] = exit_id;
		*nids = 2;
		return TK_EXIT_OK;
	}
	for (i = 0; i < 2; i++) {
		int j;

		n = histcli_events_prefixed(src, "syscalls", i ? "sys_exit_" : "sys_enter_",
					    ids + *nids, rest, MAX_SYSEV / 2);
		for (j = 0; j < n; j++) {
			uint64_t nr;
			int64_t fixed = tk_sysname_find(arch, rest[j], &nr) ? (int64_t)nr : -1;

			tk_err_clear(&err);
			/* an event we cannot read (no number at all) is left out */
			if (tk_sysstat_watch(s, ids[*nids + j], !i, fixed, &err) < 0 &&
			    err.code != TK_EINVAL)
				return cli_fail("%s: %s", path, err.msg);
		}
		*nids += n;
	}
	if (*nids == 0)
		return cli_fail("%s: no syscall events in the file (raw_syscalls:sys_enter/sys_exit "
				"or syscalls:sys_enter_*/sys_exit_*)", path);
	return TK_EXIT_OK;
}

int cmd_syscalls(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "by", required_argument, NULL, OPT_BY },
		{ "filter", required_argument, NULL, 'F' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "csv", no_argument, NULL, OPT_CSV },
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static uint32_t ids[MAX_SYSEV];
	enum tk_sysstat_by by = TK_SYSSTAT_BY_SYSCALL;
	enum tk_histout_fmt fmt = TK_HISTOUT_TEXT;
	const char *filter = NULL, *path;
	struct tk_tpfilter *filt = NULL;
	struct tk_evsrc *src = NULL;
	struct tk_sysstat *s = NULL;
	const struct tk_payload *pl;
	struct tk_event ev;
	struct tk_err err;
	char arch[64];
	uint64_t lost = 0;
	int opt, verbose = 0, ret, rc, nids;

	while ((opt = getopt_long(argc, argv, "F:h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_BY:
			if (!strcmp(optarg, "syscall"))
				by = TK_SYSSTAT_BY_SYSCALL;
			else if (!strcmp(optarg, "pid"))
				by = TK_SYSSTAT_BY_PID;
			else if (!strcmp(optarg, "tid"))
				by = TK_SYSSTAT_BY_TID;
			else if (!strcmp(optarg, "comm"))
				by = TK_SYSSTAT_BY_COMM;
			else
				return cli_usage_error("syscalls", "--by takes syscall, pid, tid or comm");
			break;
		case 'F':
			filter = optarg;
			break;
		case OPT_JSON:
			fmt = TK_HISTOUT_JSON;
			break;
		case OPT_CSV:
			fmt = TK_HISTOUT_CSV;
			break;
		case OPT_VERBOSE:
			verbose++;
			break;
		case 'h':
			help(stdout);
			return TK_EXIT_OK;
		default:
			return cli_usage_error("syscalls", "unknown option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("syscalls", "one input file expected");
	path = argv[optind];
	cli_set_verbosity(verbose);
	if ((ret = histcli_open(path, &src)))
		return ret;
	histcli_arch(src, arch, sizeof(arch));
	tk_err_clear(&err);
	if (tk_sysstat_create(by, tk_evsrc_get_schema(src), &s, &err) < 0) {
		ret = cli_fail("%s", err.msg);
		goto out;
	}
	if ((ret = watch_all(src, s, arch, ids, &nids, path)))
		goto out;
	if ((ret = histcli_filter("syscalls", src, filter, ids, nids, &filt)))
		goto out;
	while ((rc = tk_evsrc_next(src, &ev, &pl)) > 0) {
		if (ev.kind == TK_EV_LOST) {
			lost += ev.u.lost.count ? ev.u.lost.count : 1;
			continue;
		}
		if (!pl || ev.kind == TK_EV_STACK)
			continue;
		if (filt && !tk_tpfilter_match(filt, &ev, pl))
			continue;
		if (tk_sysstat_add(s, &ev, pl) < 0) {
			ret = cli_fail("%s: out of memory", path);
			goto out;
		}
	}
	if (rc < 0) {
		ret = cli_fail_err(tk_evsrc_get_err(src));
		goto out;
	}
	histcli_warn_lost(path, lost, "calls across the gaps count as untimed");
	if (tk_sysstat_finish(s) < 0) {
		ret = cli_fail("%s: out of memory", path);
		goto out;
	}
	rc = tk_histout_sysstat(stdout, s, arch, fmt);
	ret = rc < 0 ? cli_fail("cannot write the output") : TK_EXIT_OK;
out:
	tk_sysstat_destroy(s);
	tk_tpfilter_destroy(filt);
	tk_evsrc_close(src);
	return ret;
}
