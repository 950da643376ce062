/* SPDX-License-Identifier: MIT */
#ifndef TK_ANALYZE_FOLD_H
#define TK_ANALYZE_FOLD_H

/*
 * Folded stacks from callchain samples, named the way FlameGraph's
 * stackcollapse-perf.pl names them, so that `tracekit collapse` output can
 * replace `perf script | stackcollapse-perf.pl`:
 *
 *  - the process frame comes first: the comm with spaces turned into '_'
 *    (--pid: "comm-PID", --tid: "comm-PID/TID"; a PID perf script did not
 *    print is "?", and so is the PID of TID 0, whose TID becomes the PID,
 *    as the script does);
 *  - frames run from the outermost caller to the leaf;
 *  - from each symbol the trailing "+0xOFF" is removed; a line whose symbol
 *    starts with '(' is skipped; "a->b" is split into frames a and b_[i]
 *    (inlined); "[unknown]" becomes "[DSO basename]" ("[unknown]" when the
 *    DSO is unknown too), or "[NAME <ADDR>]" with addrs;
 *  - ';' becomes ':', everything from the first '(' on is dropped (except
 *    "(anonymous namespace)" and Go names like "pkg.(*T).M"), quotes are
 *    deleted; for comms starting with "java" a leading 'L' of a name with
 *    '/' is dropped;
 *  - annotate_kernel appends "_[k]" when the DSO starts with '[' or ends in
 *    "vmlinux" and is not unknown ("[vdso]" included, as in the script);
 *    annotate_jit appends "_[j]" for /tmp/perf-PID.map frames;
 *  - the weight of a sample is the period perf script printed before the
 *    event name, else 1;
 *  - without an explicit event, only samples of the first event type that
 *    shows at the end of its header line are kept; samples whose header
 *    does not end with the event (tracepoints with a payload) are always
 *    kept, because the script cannot see their event. With an explicit
 *    event, samples are compared by their event name, whatever the layout.
 *
 * The result is a tk_stacks trie over tk_strtab names; nothing per sample
 * is kept.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct tk_stacks;
struct tk_strtab;
struct tk_fold;

struct tk_fold_opts {
	bool no_comm;			/* no process frame */
	bool pid, tid;			/* comm-PID / comm-PID/TID */
	bool annotate_kernel;		/* _[k] */
	bool annotate_jit;		/* _[j] */
	bool addrs;			/* [dso <addr>] for unresolved frames */
	const char *event;		/* keep only this event; NULL: see above */
	const char *const *comms;	/* keep only these comms (exact); NULL: all */
	size_t ncomms;
	size_t max_bytes;		/* names + trie; 0: 1 GiB */
};

/* One callchain entry as perf script prints it: "\tPC SYM (DSO)". */
struct tk_fold_frame {
	const char *pc;			/* hex address as printed, no "0x" */
	const char *sym;		/* "name+0x1f", "[unknown]", "a->b", ... */
	const char *dso;		/* text inside the parentheses, "[unknown]" */
};

struct tk_fold_sample {
	const char *comm;
	int64_t pid;			/* < 0: not known */
	int64_t tid;
	const char *event;		/* NULL: not known */
	bool event_shown;		/* the header line ends with "EVENT:" */
	uint64_t period;		/* as printed before the event; 0: none */
	const struct tk_fold_frame *frames;	/* leaf first */
	size_t nframes;
};

struct tk_fold_counts {
	uint64_t samples;		/* given to tk_fold_add */
	uint64_t kept;
	uint64_t other_event;		/* dropped by the event filter */
	uint64_t other_comm;		/* dropped by the comm filter */
	const char *event;		/* the event filter in effect, or NULL */
	bool event_defaulted;		/* it is the first event seen */
};

struct tk_fold *tk_fold_create(const struct tk_fold_opts *opts, struct tk_err *err);
void tk_fold_destroy(struct tk_fold *f);

/* 1: added; 0: filtered out; < 0: -TK_ENOMEM / -TK_ELIMIT (err filled). */
int tk_fold_add(struct tk_fold *f, const struct tk_fold_sample *s, struct tk_err *err);

/*
 * The same in two steps, for callers that see the same callchain lines
 * again and again (perf.data: the same addresses in the same maps) and
 * cache their names: the frame ids one line adds (one per "->" part, in
 * push order), given whether the sample's comm is a java one; then a
 * sample given as those ids, root first. Together they add exactly what
 * tk_fold_add adds. Line ids: count (0: the line adds no frame), or < 0.
 */
int tk_fold_line_ids(struct tk_fold *f, const struct tk_fold_frame *fr, bool java, uint32_t *ids,
		     size_t max, struct tk_err *err);
bool tk_fold_is_java(const char *comm);
int tk_fold_add_ids(struct tk_fold *f, const struct tk_fold_sample *s, const uint32_t *ids,
		    size_t nids, struct tk_err *err);
/*
 * tk_fold_add_ids in three steps, for callers that also remember where a
 * whole callchain led: begin (filters and the process frame: 1 and *node,
 * 0 when the sample is filtered out, or < 0), extend *node by frame ids
 * (0 or < 0), end (the sample's weight on node: 1 kept, 0 nothing to add).
 */
int tk_fold_begin(struct tk_fold *f, const struct tk_fold_sample *s, uint32_t *node,
		  struct tk_err *err);
int tk_fold_extend(struct tk_fold *f, uint32_t *node, const uint32_t *ids, size_t n,
		   struct tk_err *err);
int tk_fold_end(struct tk_fold *f, const struct tk_fold_sample *s, uint32_t node);

/*
 * For callers that weigh stacks by something other than samples (off-CPU
 * time, analyze/evfold.h): the name id of a process frame as
 * tk_fold_begin makes it (comm, pid < 0 unknown, tid; --pid/--tid forms),
 * without counting a sample or applying filters; 0 or < 0.
 */
int tk_fold_proc_id(struct tk_fold *f, const char *comm, int64_t pid, int64_t tid, uint32_t *id,
		    struct tk_err *err);
/* Whether comm passes the --comm filter. */
bool tk_fold_comm_wanted(const struct tk_fold *f, const char *comm);
/* Add weight to a trie node's stack (not the root). */
void tk_fold_add_weight(struct tk_fold *f, uint32_t node, uint64_t weight);
/* The options the fold was made with (borrowed). */
const struct tk_fold_opts *tk_fold_get_opts(const struct tk_fold *f);

/* Borrowed; frame ids of the trie are ids in the names table. */
const struct tk_stacks *tk_fold_get_stacks(const struct tk_fold *f);
const struct tk_strtab *tk_fold_get_names(const struct tk_fold *f);
const struct tk_fold_counts *tk_fold_get_counts(const struct tk_fold *f);

#endif
