/* SPDX-License-Identifier: MIT */
/*
 * tracekit: offline trace analysis. One binary, git-style subcommands.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

#ifndef TK_VERSION
#define TK_VERSION "0.0.0"
#endif

struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);
static int cmd_record(int argc, char **argv);

static const struct cli_cmd commands[] = {
	{ "report", cmd_report, "print a trace as trace-cmd report or perf script does" },
	{ "stat", cmd_stat, "summarise a trace: format, host, CPUs, events per type, losses" },
	{ "dump", cmd_dump, "show the file's sections with offsets and sizes" },
	{ "collapse", cmd_collapse, "fold callchain samples into flamegraph.pl's folded stacks" },
	{ "flamegraph", cmd_flamegraph, "draw folded stacks as an interactive SVG (or PNG) flame graph" },
	{ "diff", cmd_diff, "differential flame graph of two sets of stacks (or difffolded.pl text)" },
	{ "sched", cmd_sched, "scheduler latency with percentiles; perf sched latency/timehist tables" },
	{ "hist", cmd_hist, "offline ftrace hist triggers, printed as the kernel's hist file" },
	{ "latency", cmd_evlatency, "latency between paired events: log2 histogram and percentiles" },
	{ "syscalls", cmd_syscalls, "syscall counts, errors and latency, like strace -c" },
	{ "timeline", cmd_timeline, "draw the CPUs of a trace as a timeline (PNG, SVG or PDF)" },
	{ "convert", cmd_convert, "write a trace as Chrome Trace Event JSON (Perfetto UI, chrome://tracing)" },
	{ "record", cmd_record, "record ftrace events into a trace.dat (runs tracekit-record)" },
	{ "help", cmd_help, "show help for tracekit or a subcommand" },
	{ "version", cmd_version, "print the version" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: tracekit <command> [options] [FILE]\n\n"
		     "Offline Linux trace analysis for trace.dat (trace-cmd) and perf.data (perf)\nfiles.\n\n"
		     "Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun 'tracekit <command> --help' for a command's options.\n");
}

static int cmd_version(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: tracekit version\n\nPrint tracekit's version.\n");
		return TK_EXIT_OK;
	}
	printf("tracekit %s\n", TK_VERSION);
	return TK_EXIT_OK;
}

/*
 * git-style dispatch: the recorder is its own small binary (it links only
 * what a production box needs), found next to this one, else on PATH.
 */
static int cmd_record(int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	(void)argc;
	/* so its --help names the command it was run as */
	argv[0] = (char *)"tracekit record";
	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/tracekit-record", self);
			execv(path, argv);
		}
	}
	execvp("tracekit-record", argv);
	fprintf(stderr, "tracekit: cannot run tracekit-record: %s\n", strerror(errno));
	return TK_EXIT_FAIL;
}

static const struct cli_cmd *find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	const struct cli_cmd *c;
	char help[] = "--help";
	char *args[3];

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: tracekit help [COMMAND]\n\n"
		       "Show the list of commands, or COMMAND's help.\n");
		return TK_EXIT_OK;
	}
	if (argc < 2) {
		usage(stdout);
		return TK_EXIT_OK;
	}
	c = find(argv[1]);
	if (!c)
		return cli_usage_error("help", "unknown command '%s'", argv[1]);
	args[0] = argv[1];
	args[1] = help;
	args[2] = NULL;
	return c->fn(2, args);
}

int main(int argc, char **argv)
{
	const struct cli_cmd *c;

	if (argc < 2) {
		usage(stderr);
		return TK_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return TK_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(1, argv);
	c = find(argv[1]);
	if (!c) {
		fprintf(stderr, "tracekit: '%s' is not a tracekit command (see 'tracekit --help')\n",
			argv[1]);
		return TK_EXIT_USAGE;
	}
	return c->fn(argc - 1, argv + 1);
}
