/* SPDX-License-Identifier: MIT */
#ifndef TK_CLI_FOLD_INPUT_H
#define TK_CLI_FOLD_INPUT_H

/* Inputs of the stack commands: folded stacks or recordings (cli/fold-input.c). */

struct tk_fold;
struct tk_flamesvg_opts;

enum cli_fold_kind {
	CLI_FOLD_FOLDED,	/* folded text, also what is not a regular file */
	CLI_FOLD_PSCRIPT,	/* perf script text with callchains */
	CLI_FOLD_PDAT,		/* perf.data */
	CLI_FOLD_TDAT,		/* trace.dat: no callchain samples */
};

/* What a file holds, by its magic or a callchain line in its first 64 KiB. */
enum cli_fold_kind cli_fold_sniff(const char *path);

/*
 * A perf.data file or perf script text collapsed as `tracekit collapse`
 * does with its default options. Prints errors; returns an exit code.
 */
int cli_fold_collapse(const char *path, enum cli_fold_kind kind, const char *kallsyms,
		      const char *symfs, struct tk_fold **out);

/* --minwidth as flamegraph.pl reads it: /^([0-9.]+)%?$/; 0 or -1. */
int cli_parse_minwidth(const char *s, struct tk_flamesvg_opts *o);

#endif
