/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_PSCRIPT_H
#define TK_FORMATS_PSCRIPT_H

/*
 * Streaming reader of `perf script` text: one sample at a time, from a file
 * or a file descriptor (stdin), through a bounded line buffer.
 *
 * A sample is a header line, as perf script prints it,
 *
 *   COMM TID|PID/TID [CPU] TIME: [PERIOD] EVENT: [PAYLOAD]
 *
 * (COMM may hold spaces and, without callchains, is right-aligned; -F may
 * drop or reorder fields), then zero or more callchain lines
 * "\tADDR SYM (DSO)", then a blank line. The
 * header is split the way FlameGraph's stackcollapse-perf.pl splits it:
 * COMM is the shortest prefix followed by whitespace, a number, an optional
 * "/number" and whitespace; the event and period count as "shown" only when
 * the line ends with "EVENT:" (so not for tracepoints with a payload, whose
 * event is still found by position). A callchain line is
 * "ws ADDR ws SYM (DSO)", DSO running from the last " (" to the last ")"
 * (as the script reads "(deleted)" DSOs too); a line
 * starting with a tab is never a header, one starting with spaces may be
 * (the script takes none with leading white space). Lines
 * starting with '#' are skipped; other lines are counted as bad and skipped.
 * A header without a blank line before it ends the sample before it, and so
 * does the end of the input.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct tk_pscript_reader;

struct tk_pscript_opts {
	size_t max_line;		/* bytes per line; 0: 1 MiB */
	size_t max_frames;		/* callchain lines per sample; 0: 65536 */
};

struct tk_pscript_frame {
	const char *pc;			/* the address as printed */
	const char *sym;		/* symbol text, offset included */
	const char *dso;		/* inside the parentheses */
};

/* Borrowed; valid until the next tk_pscript_next(). */
struct tk_pscript_sample {
	const char *comm;
	int64_t pid;			/* -1 when only a TID was printed */
	int64_t tid;
	int cpu;			/* -1 when not printed */
	const char *time;		/* "171.445469", or "" */
	const char *event;		/* NULL when not found */
	bool event_shown;		/* the header ends with "EVENT:" */
	uint64_t period;		/* 0 when not shown */
	const char *payload;		/* text after "EVENT:", or "" */
	const struct tk_pscript_frame *frames;	/* leaf first */
	size_t nframes;
	uint64_t line;			/* line number of the header (1-based) */
	int64_t offset;			/* byte offset of the header */
};

struct tk_pscript_counts {
	uint64_t lines;
	uint64_t samples;
	uint64_t comments;
	uint64_t bad_lines;		/* neither header, callchain, comment nor blank */
	uint64_t first_bad_line;	/* its line number, 0 if none */
	int64_t first_bad_offset;
	uint64_t orphan_frames;		/* callchain lines outside a sample */
};

int tk_pscript_open(const char *path, const struct tk_pscript_opts *opts,
		    struct tk_pscript_reader **out, struct tk_err *err);
/* Reads fd from its current position; the reader does not close it. */
int tk_pscript_open_fd(int fd, const char *name, const struct tk_pscript_opts *opts,
		       struct tk_pscript_reader **out, struct tk_err *err);
void tk_pscript_close(struct tk_pscript_reader *r);

/* 1: *out filled; 0: end of input; < 0: error (see tk_pscript_get_err). */
int tk_pscript_next(struct tk_pscript_reader *r, struct tk_pscript_sample *out);

/*
 * Push mode, for text made in memory (perf.data printed as perf script
 * prints it, so both inputs fold through the same parser): lines go in
 * one at a time without their '\n'; 1 and *out when a line completes a
 * sample (valid until the next call), 0, or < 0. tk_pscript_finish()
 * hands out the last sample at the end.
 */
int tk_pscript_create(const char *name, const struct tk_pscript_opts *opts,
		      struct tk_pscript_reader **out, struct tk_err *err);
int tk_pscript_push(struct tk_pscript_reader *r, const char *line, size_t len,
		    struct tk_pscript_sample *out);
int tk_pscript_finish(struct tk_pscript_reader *r, struct tk_pscript_sample *out);

/*
 * One callchain line (its leading tab included) split into address, symbol
 * and DSO text as the reader splits it: true and the offsets and lengths
 * of the three parts in line, or false when the line is no frame.
 */
bool tk_pscript_split_frame(const char *line, size_t n, size_t pc[2], size_t sym[2],
			    size_t dso[2]);

const struct tk_pscript_counts *tk_pscript_get_counts(const struct tk_pscript_reader *r);
const struct tk_err *tk_pscript_get_err(const struct tk_pscript_reader *r);

#endif
