/* SPDX-License-Identifier: MIT */
#ifndef TK_RECORD_REC_H
#define TK_RECORD_REC_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "formats/tdat-write.h"

/*
 * The ftrace recorder: a tracefs instance of its own, one thread per CPU
 * splicing trace_pipe_raw into a per-CPU temporary file, then a trace.dat
 * assembled from those and the tracefs metadata.
 *
 * tk_rec_create() checks everything that can be checked before tracing
 * (permissions, events, filters, clock, output file) and sets the instance
 * up; tk_rec_run() traces until a stop condition, drains and writes the
 * file; tk_rec_destroy() removes the instance and probes, whatever state
 * the recorder is in.
 */

/* One -e with its optional -f. */
struct tk_rec_event {
	const char *pattern;	/* SYSTEM:EVENT, SYSTEM or EVENT; globs allowed */
	const char *filter;	/* NULL: none */
};

enum tk_rec_stop {
	TK_REC_STOP_NONE = 0,
	TK_REC_STOP_SIGNAL,	/* SIGINT/SIGTERM */
	TK_REC_STOP_DURATION,	/* -d expired */
	TK_REC_STOP_LIMIT,	/* -m reached */
	TK_REC_STOP_COMMAND,	/* the traced command exited */
	TK_REC_STOP_NOSPACE,	/* ENOSPC on the temporary data */
	TK_REC_STOP_ERROR,	/* another write error */
};

struct tk_rec_opts {
	const char *output;			/* trace.dat path */
	const struct tk_rec_event *events;
	size_t nevents;
	const char *const *uprobes;		/* --uprobe specs */
	size_t nuprobes;
	bool stacktrace;			/* -T */
	unsigned long buffer_kb;		/* -b, 0: leave the kernel's */
	const char *clock;			/* -C, NULL: local */
	int version;				/* 6 or 7 */
	enum tk_tdatw_codec codec;
	double duration;			/* -d seconds, 0: none */
	uint64_t max_bytes;			/* -m, 0: none */
	char *const *argv;			/* -- COMMAND ARGS, NULL: none */
	/*
	 * Signals seen by the caller's handler: 1 stops tracing, 2 or more
	 * stops waiting for the drain too (the file is still closed valid).
	 */
	const volatile sig_atomic_t *signals;
	/* Warnings (one line each); NULL: silent. */
	void (*log)(void *arg, const char *msg);
	void *log_arg;
};

struct tk_rec_cpu_summary {
	int cpu;
	uint64_t events;	/* records in the pages written */
	uint64_t bytes;		/* raw sub-buffer bytes written */
	uint64_t overrun;	/* lost in the kernel: stats "overrun" */
	uint64_t dropped;	/* stats "dropped events" */
	uint64_t missed_pages;	/* pages flagged MISSED_EVENTS */
};

struct tk_rec_summary {
	enum tk_rec_stop reason;
	int stop_errno;		/* for NOSPACE/ERROR */
	int command_status;	/* wait status when a command ran, else -1 */
	uint64_t events;
	uint64_t file_bytes;
	int ncpus;
	const struct tk_rec_cpu_summary *cpus;	/* borrowed from the recorder */
};

struct tk_rec;

struct tk_rec *tk_rec_create(const struct tk_rec_opts *opts, struct tk_err *err);
/* Trace, drain and write the file. 0 when a valid file was written. */
int tk_rec_run(struct tk_rec *r, struct tk_rec_summary *sum, struct tk_err *err);
void tk_rec_destroy(struct tk_rec *r);

const char *tk_rec_stop_name(enum tk_rec_stop reason);

#endif
