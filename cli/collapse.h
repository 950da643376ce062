/* SPDX-License-Identifier: MIT */
#ifndef TK_CLI_COLLAPSE_H
#define TK_CLI_COLLAPSE_H

/* The perf.data half of `tracekit collapse` (cli/collapse-pdat.c). */

#include <stdbool.h>

struct tk_fold;

/* Whether this build reads perf.data (the reader and symbolizer are linked). */
extern const bool cli_collapse_has_pdat;

/*
 * Feed the callchain samples of a perf.data file (fd >= 0: pipe mode from
 * that descriptor) to fold, resolved as `perf script` resolves them.
 * Prints errors; returns an exit code.
 */
int cli_collapse_pdat(const char *path, int fd, struct tk_fold *fold, const char *kallsyms,
		      const char *symfs);

#endif
