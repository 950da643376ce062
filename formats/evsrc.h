/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_EVSRC_H
#define TK_FORMATS_EVSRC_H

/*
 * One event source over any recording: a trace.dat or a perf.data file
 * (or a perf pipe stream) becomes a time-ordered stream of tk_events, the
 * common model analyzers see (core/event.h), with the raw payload of each
 * tracepoint and a tk_schema to read its fields.
 *
 * Scheduler tracepoints (sched_switch, _wakeup, _wakeup_new, _waking,
 * _migrate_task, _process_fork, _process_exec, _process_exit,
 * _stat_runtime, task_rename) are decoded into their kinds through field
 * offsets looked up once per event id. trace.dat kernel_stack/user_stack
 * records and perf callchains become TK_EV_STACK events right after the
 * event they belong to. perf COMM/FORK/EXIT/LOST records become events;
 * other perf records are only passed to the record hook (e.g. to feed a
 * symbolizer with maps).
 *
 * Ownership: events and payloads are valid until the next tk_evsrc_next();
 * the schema and its strings live as long as the source.
 */

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/event.h"
#include "core/schema.h"

struct tk_evsrc;
struct tk_pdat_rec;
struct tk_pdat_reader;
struct tk_tdat_reader;

enum tk_evsrc_type {
	TK_EVSRC_TDAT,
	TK_EVSRC_PDAT,
};

struct tk_evsrc_opts {
	bool no_plugins;		/* libtraceevent print plugins */
	int stdin_fd;			/* "-": perf pipe mode on this fd (default 0) */
	/*
	 * perf.data: called with every record before it is turned into
	 * events (samples included); a negative return ends the stream with
	 * that error (the hook fills err through tk_evsrc_set_err).
	 */
	int (*pdat_hook)(void *arg, struct tk_pdat_reader *r, const struct tk_pdat_rec *rec);
	void *pdat_arg;
};

/* path "-" reads a perf pipe stream from opts->stdin_fd. */
int tk_evsrc_open(const char *path, const struct tk_evsrc_opts *opts, struct tk_evsrc **out,
		  struct tk_err *err);
void tk_evsrc_close(struct tk_evsrc *s);

/*
 * 1: *ev filled, *pl set to its tracepoint payload or NULL (pl may be
 * NULL); 0: end; < 0: error (tk_evsrc_get_err).
 */
int tk_evsrc_next(struct tk_evsrc *s, struct tk_event *ev, const struct tk_payload **pl);

/* Extras of the event tk_evsrc_next() returned last (core/event.h). */
const struct tk_evmeta *tk_evsrc_get_meta(const struct tk_evsrc *s);

const struct tk_schema *tk_evsrc_get_schema(const struct tk_evsrc *s);
enum tk_evsrc_type tk_evsrc_get_type(const struct tk_evsrc *s);
/* The underlying reader (the other one is NULL). */
struct tk_tdat_reader *tk_evsrc_get_tdat(const struct tk_evsrc *s);
struct tk_pdat_reader *tk_evsrc_get_pdat(const struct tk_evsrc *s);
/* Intern a comm into the source's string table (for hooks). */
uint32_t tk_evsrc_intern(struct tk_evsrc *s, const char *str, size_t len);

/* Input bytes consumed and the file size (0 for pipes), for progress. */
uint64_t tk_evsrc_bytes_read(const struct tk_evsrc *s);
uint64_t tk_evsrc_file_size(const struct tk_evsrc *s);
/* Number of CPUs of the recording (0 when unknown). */
int tk_evsrc_ncpus(const struct tk_evsrc *s);

const struct tk_err *tk_evsrc_get_err(const struct tk_evsrc *s);
struct tk_err *tk_evsrc_err(struct tk_evsrc *s);

#endif
