/* SPDX-License-Identifier: MIT */
#ifndef TK_CLI_COLLAPSE_H
#define TK_CLI_COLLAPSE_H

/* The perf.data half of `tracekit collapse` (cli/collapse-pdat.c). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct tk_fold;
struct tk_fold_frame;
struct tk_pscript_sample;

/* --cpu, --from, --to. */
struct cli_collapse_filter {
	const uint64_t *cpus;		/* bitmap; NULL all */
	uint32_t ncpubits;
	uint64_t from, to;		/* ns; to 0: no end */
};

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
		      const char *kallsyms, const char *symfs, bool pid_tid,
		      const struct cli_collapse_filter *flt);

/*
 * The perf.data callchain namer for the event-stream modes (--off-cpu,
 * --wakeup): the same machine and line naming as cli_collapse_pdat, so
 * perf frames are named alike in every mode. The hook goes in the event
 * source's options (pdat_hook, its arg the namer); attach once the source
 * is open; extend is a tk_evfold_extend_fn. Returns of create and attach
 * are exit codes (errors printed); after a failed tk_evsrc_next,
 * cli_pchain_fail prints the machine's error if the hook failed (exit
 * code) or returns -1.
 */
struct cli_pchain;
struct tk_evfold_stack;
struct tk_pdat_reader;
struct tk_pdat_rec;
int cli_pchain_create(struct tk_fold *fold, const char *name, struct cli_pchain **out);
int cli_pchain_attach(struct cli_pchain *p, struct tk_pdat_reader *r, const char *kallsyms,
		      const char *symfs);
int cli_pchain_hook(void *arg, struct tk_pdat_reader *r, const struct tk_pdat_rec *rec);
int cli_pchain_extend(void *arg, struct tk_fold *fold, uint32_t *node,
		      const struct tk_evfold_stack *st, struct tk_err *err);
int cli_pchain_fail(struct cli_pchain *p);
void cli_pchain_destroy(struct cli_pchain *p);

/*
 * collapse on the event stream of a trace.dat or perf.data (on-CPU trace
 * stacks, --off-cpu, --wakeup) into fold. Prints errors and warnings;
 * returns an exit code.
 */
struct cli_collapse_evopts {
	int mode;			/* enum tk_evfold_mode */
	uint32_t states;
	const char *const *events;	/* on-CPU: event names kept; NULL all */
	size_t nevents;
	const struct cli_collapse_filter *flt;
	const char *kallsyms, *symfs;
	bool verbose;
};
int cli_collapse_events(const char *path, const char *name, int pipe_fd, bool is_pdat,
			struct tk_fold *fold, const struct cli_collapse_evopts *o);

#endif
