/* SPDX-License-Identifier: MIT */
#ifndef TK_CLI_CLI_H
#define TK_CLI_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

/* Exit codes (DESIGN.md 3). */
enum {
	TK_EXIT_OK = 0,
	TK_EXIT_FAIL = 1,	/* bad input, I/O, a limit */
	TK_EXIT_USAGE = 2,
};

enum cli_input_kind {
	CLI_INPUT_UNKNOWN,
	CLI_INPUT_TDAT,
	CLI_INPUT_PDAT,
};

int cmd_report(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_collapse(int argc, char **argv);
int cmd_flamegraph(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_sched(int argc, char **argv);
int cmd_hist(int argc, char **argv);
/* tracekit latency (cmd_latency is taken by sched latency in cmd-sched.c) */
int cmd_evlatency(int argc, char **argv);
int cmd_syscalls(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_convert(int argc, char **argv);

/* "tracekit: MSG" on stderr; returns TK_EXIT_FAIL. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "tracekit: CMD: MSG" plus a hint to --help; returns TK_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints an error record as the one-line message DESIGN.md 4 describes. */
int cli_fail_err(const struct tk_err *err);

/* Input kind by magic bytes; on failure prints the error and returns < 0. */
int cli_detect(const char *path, enum cli_input_kind *kind);

/* Parse "0,2-5" into a bitmap of nbits; returns 0 or -1. */
int cli_parse_cpus(const char *s, uint64_t *bits, int nbits);
/* Parse seconds ("12.5", "100") into ns; returns 0 or -1. */
int cli_parse_seconds(const char *s, uint64_t *ns);
/* A whole decimal int / a number in [min, max] into *out; returns 0 or -1. */
int cli_parse_int(const char *s, int min, int max, int *out);
int cli_parse_double(const char *s, double min, double max, double *out);

struct tk_tdat_reader;
struct tk_tdat_opts;
/* Detect, check the kind and open a trace.dat; prints errors. 0 or exit code. */
int cli_open_tdat(const char *path, const struct tk_tdat_opts *opts,
		  struct tk_tdat_reader **out);
/* After a failed tk_tdat_next(): print the reader's error, return exit code. */
int cli_fail_tdat(const struct tk_tdat_reader *r);

/*
 * SIGFPE (a print format dividing by zero inside libtraceevent) and SIGBUS
 * (the mapped file shrank) end the run with one line about path, exit 1.
 */
void cli_guard_input(const char *path);

/* Verbosity for messages from libraries (0 errors only .. 2 debug). */
void cli_set_verbosity(int v);

#endif
