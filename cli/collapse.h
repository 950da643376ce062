/* SPDX-License-Identifier: MIT */
#ifndef TK_CLI_COLLAPSE_H
#define TK_CLI_COLLAPSE_H

/* The perf.data half of `tracekit collapse` (cli/collapse-pdat.c). */

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct tk_fold;
struct tk_fold_frame;
struct tk_pscript_sample;

/* Hands samples of the perf script parser to fold; reuses its frame array. */
struct cli_collapse_conv {
	struct tk_fold_frame *frames;
	size_t cap;
};

/* 0, or < 0 with err filled (the sample's offset in it). */
int cli_collapse_add(struct tk_fold *fold, struct cli_collapse_conv *c,
		     const struct tk_pscript_sample *s, struct tk_err *err);

/*
 * perf script text from fd (name for messages) into fold, with collapse's
 * warnings (lines not understood) and errors (no sample at all). Prints
 * them; returns an exit code.
 */
int cli_collapse_text(int fd, const char *name, struct tk_fold *fold);

/* Whether this build reads perf.data (the reader and symbolizer are linked). */
extern const bool cli_collapse_has_pdat;

/*
 * Feed the samples of a perf.data file (fd >= 0: pipe mode from that
 * descriptor; name for messages) to fold: each sample is printed as
 * `perf script` prints it (with pid_tid, as `perf script -F` with pid and
 * tid does) and read back by the perf script parser, so both inputs fold
 * alike byte for byte. Prints errors; returns an exit code.
 */
int cli_collapse_pdat(const char *path, const char *name, int fd, struct tk_fold *fold,
		      const char *kallsyms, const char *symfs, bool pid_tid);

#endif
