/* SPDX-License-Identifier: MIT */
/*
 * tracekit hist: an ftrace hist trigger run over a recording, printed as
 * the kernel prints the event's `hist` file.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/hist.h"
#include "cli/cli.h"
#include "cli/histcli.h"
#include "formats/evsrc.h"
#include "formats/tpfilter.h"
#include "render/histout.h"

static void help(FILE *out)
{
	fprintf(out,
		"usage: tracekit hist [options] -k KEY[,KEY...] FILE\n"
		"\n"
		"Run an ftrace hist trigger over the events of a trace.dat or perf.data\n"
		"file and print the histogram as the kernel's events/SYS/EVENT/hist file\n"
		"shows it (docs/hist.md). Keys and values are fields of one event, with\n"
		"the kernel's modifiers: .hex .sym .execname .syscall .log2 .buckets=N\n"
		".usecs (common_timestamp); common_timestamp and common_cpu work too.\n"
		"\n"
		"Options:\n"
		"  -e, --event EVENT   the event (SYS:NAME or NAME); needed when the fields\n"
		"                      are in more than one event of the file\n"
		"  -k, --keys LIST     key fields, at most 3 (keys=)\n"
		"  -v, --vals LIST     value fields to sum, at most 3 (vals=; hitcount is\n"
		"                      always counted)\n"
		"  -s, --sort LIST     at most 2 sort keys, each a key, a value or hitcount,\n"
		"                      with .descending or .ascending (default hitcount)\n"
		"  -F, --filter EXPR   only events matching EXPR, libtraceevent's filter\n"
		"                      syntax (e.g. 'common_pid == 42 && id != 0')\n"
		"      --size N        table entries, as the kernel's size= (default 2048;\n"
		"                      new keys beyond it are dropped and counted)\n"
		"      --json          print JSON instead of the kernel's text\n"
		"      --verbose       show libtraceevent warnings\n"
		"  -h, --help          this help\n"
		"\n"
		"Example: tracekit hist -e raw_syscalls:sys_enter -k id.syscall trace.dat\n");
}

enum { OPT_JSON = 256, OPT_SIZE, OPT_VERBOSE };

/* The field names a spec list uses, without modifiers and pseudo fields. */
static int spec_fields(const char *list, char (*names)[64], const char **ptrs, int n, int max)
{
	const char *p = list;

	while (p && *p && n < max) {
		size_t len = strcspn(p, ".,");

		if (len && len < 64) {
			memcpy(names[n], p, len);
			names[n][len] = 0;
			if (strcmp(names[n], "hitcount") && strcmp(names[n], "common_timestamp") &&
			    strcmp(names[n], "common_cpu") && strcmp(names[n], "cpu")) {
				ptrs[n] = names[n];
				n++;
			}
		}
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return n;
}

static int pick_event(struct tk_evsrc *src, const char *path, const char *keys, const char *vals,
		      uint32_t *id)
{
	char names[8][64];
	const char *ptrs[9];
	uint32_t ids[8];
	int n = spec_fields(keys, names, ptrs, 0, 6), found, i;
	char list[512];
	size_t used = 0;

	n = spec_fields(vals, names, ptrs, n, 8);
	ptrs[n] = NULL;
	found = histcli_events_with(src, ptrs, ids, 8);
	if (found == 1) {
		*id = ids[0];
		return TK_EXIT_OK;
	}
	if (found == 0)
		return cli_usage_error("hist", "no event in %s has the fields of -k/-v", path);
	list[0] = 0;
	for (i = 0; i < found && i < 4; i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
					 histcli_event_name(src, ids[i]));
	return cli_usage_error("hist", "%d events of %s have these fields (%s%s); choose one with -e",
			       found, path, list, found > 4 ? ", ..." : "");
}

int cmd_hist(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "event", required_argument, NULL, 'e' },
		{ "keys", required_argument, NULL, 'k' },
		{ "vals", required_argument, NULL, 'v' },
		{ "sort", required_argument, NULL, 's' },
		{ "filter", required_argument, NULL, 'F' },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tk_hist_opts ho = { 0 };
	const char *event = NULL, *filter = NULL, *path;
	struct tk_tpfilter *filt = NULL;
	struct tk_evsrc *src = NULL;
	struct tk_hist *h = NULL;
	const struct tk_payload *pl;
	struct tk_event ev;
	struct tk_err err;
	char arch[64];
	uint64_t lost = 0;
	bool json = false;
	int opt, verbose = 0, ret, rc;

	while ((opt = getopt_long(argc, argv, "e:k:v:s:F:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			event = optarg;
			break;
		case 'k':
			ho.keys = optarg;
			break;
		case 'v':
			ho.vals = optarg;
			break;
		case 's':
			ho.sort = optarg;
			break;
		case 'F':
			filter = optarg;
			break;
		case OPT_SIZE: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (!*optarg || *end || v == 0 || v > TK_HIST_MAX_SIZE)
				return cli_usage_error("hist", "--size takes 1..%u", TK_HIST_MAX_SIZE);
			ho.size = (uint32_t)v;
			break;
		}
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
			return cli_usage_error("hist", "unknown option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("hist", "one input file expected");
	if (!ho.keys || !*ho.keys)
		return cli_usage_error("hist", "-k KEYS is required");
	path = argv[optind];
	cli_set_verbosity(verbose);
	if ((ret = histcli_open(path, &src)))
		return ret;
	if (event) {
		if (!histcli_find_event(src, event, &ho.event_id)) {
			ret = cli_usage_error("hist", "no event '%s' in %s", event, path);
			goto out;
		}
	} else if ((ret = pick_event(src, path, ho.keys, ho.vals, &ho.event_id))) {
		goto out;
	}
	ho.arch = histcli_arch(src, arch, sizeof(arch));
	tk_err_clear(&err);
	if (tk_hist_create(&ho, tk_evsrc_get_schema(src), &h, &err) < 0) {
		ret = err.code == TK_EINVAL ? cli_usage_error("hist", "%s", err.msg)
					    : cli_fail("%s", err.msg);
		goto out;
	}
	if ((ret = histcli_filter("hist", src, filter, &ho.event_id, 1, &filt)))
		goto out;
	while ((rc = tk_evsrc_next(src, &ev, &pl)) > 0) {
		if (ev.kind == TK_EV_LOST) {
			lost += ev.u.lost.count ? ev.u.lost.count : 1;
			continue;
		}
		if (!pl || pl->event_id != ho.event_id || ev.kind == TK_EV_STACK)
			continue;
		if (filt && !tk_tpfilter_match(filt, &ev, pl))
			continue;
		if (tk_hist_add(h, &ev, pl) < 0) {
			ret = cli_fail("%s: out of memory", path);
			goto out;
		}
	}
	if (rc < 0) {
		ret = cli_fail_err(tk_evsrc_get_err(src));
		goto out;
	}
	histcli_warn_lost(path, lost, "the histogram misses them");
	if (tk_hist_finish(h) < 0) {
		ret = cli_fail("%s: out of memory", path);
		goto out;
	}
	if (json)
		rc = tk_histout_json(stdout, h, histcli_event_name(src, ho.event_id), filter);
	else
		rc = tk_histout_kernel(stdout, h, filter);
	ret = rc < 0 ? cli_fail("cannot write the output") : TK_EXIT_OK;
out:
	tk_hist_destroy(h);
	tk_tpfilter_destroy(filt);
	tk_evsrc_close(src);
	return ret;
}
