/* SPDX-License-Identifier: MIT */
/*
 * tracekit convert: a trace.dat or perf.data as Chrome Trace Event JSON
 * (formats/chrome.h), streamed from the event source.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "formats/chrome.h"
#include "formats/evsrc.h"

static void help(FILE *out)
{
	fprintf(out, "usage: tracekit convert --to chrome [-o OUT] FILE\n"
		     "\n"
		     "Write a trace.dat or perf.data as Chrome Trace Event JSON, which Perfetto\n"
		     "UI and chrome://tracing open: one slice per run of a task on its CPU's\n"
		     "track and on the task's own track, other tracepoints as instant events\n"
		     "with their fields, thread and process names (docs/convert.md).\n"
		     "\n"
		     "Options:\n"
		     "  --to FORMAT     chrome (the only format so far)\n"
		     "  -o, --output OUT  write to OUT (default: standard output)\n"
		     "  -h, --help      this help\n");
}

int cmd_convert(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *to = NULL, *outp = NULL, *file;
	struct tk_evsrc *src = NULL;
	struct tk_chrome *ch = NULL;
	const struct tk_payload *pl;
	struct tk_event ev;
	struct tk_err err;
	FILE *out = stdout;
	int c, rc, ret = TK_EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", lopts, NULL)) != -1) {
		switch (c) {
		case 't':
			to = optarg;
			break;
		case 'o':
			outp = optarg;
			break;
		case 'h':
			help(stdout);
			return TK_EXIT_OK;
		default:
			return cli_usage_error("convert", "bad option");
		}
	}
	if (!to)
		return cli_usage_error("convert", "--to FORMAT is needed (chrome)");
	if (strcmp(to, "chrome"))
		return cli_usage_error("convert", "unknown format '%s' (chrome)", to);
	if (optind + 1 != argc)
		return cli_usage_error("convert", "expected one FILE");
	file = argv[optind];
	tk_err_clear(&err);
	if (tk_evsrc_open(file, NULL, &src, &err) < 0) {
		if (!err.file[0])
			tk_err_set_file(&err, file);
		return cli_fail_err(&err);
	}
	if (outp && !(out = fopen(outp, "w"))) {
		ret = cli_fail("%s: cannot create: %s", outp, strerror(errno));
		out = NULL;
		goto done;
	}
	ch = tk_chrome_create(out, tk_evsrc_get_schema(src), &err);
	if (!ch) {
		ret = cli_fail_err(&err);
		goto done;
	}
	while ((rc = tk_evsrc_next(src, &ev, &pl)) > 0) {
		if (tk_chrome_event(ch, &ev, pl) < 0) {
			ret = cli_fail_err(tk_chrome_get_err(ch));
			goto done;
		}
	}
	if (rc < 0) {
		err = *tk_evsrc_get_err(src);
		if (!err.file[0])
			tk_err_set_file(&err, file);
		ret = cli_fail_err(&err);
		goto done;
	}
	if (tk_chrome_finish(ch) < 0) {
		ret = cli_fail_err(tk_chrome_get_err(ch));
		goto done;
	}
	ret = TK_EXIT_OK;
done:
	tk_chrome_destroy(ch);
	if (out && out != stdout && fclose(out) != 0 && ret == TK_EXIT_OK)
		ret = cli_fail("%s: write error: %s", outp, strerror(errno));
	if (out == stdout && fflush(stdout) != 0 && ret == TK_EXIT_OK)
		ret = cli_fail("write error");
	tk_evsrc_close(src);
	return ret;
}
