/* SPDX-License-Identifier: MIT */
#ifndef TK_ANALYZE_EVFOLD_H
#define TK_ANALYZE_EVFOLD_H

/*
 * Folded stacks from the common event stream (core/event.h), into a
 * tk_fold's trie and names, so the process frame and frame names follow
 * analyze/fold.h's rules:
 *
 *  - on-CPU: every event followed by a stack (trace.dat kernel_stack and
 *    user_stack records) adds 1 to that stack;
 *  - off-CPU: a task switched out by sched_switch, with the stack recorded
 *    there, adds the time until it is switched in again (ns);
 *  - wakeup: the waker's stack (the stack of the sched_waking event, or of
 *    sched_wakeup when the source has no sched_waking) adds the woken
 *    task's sleep, from its switch-out to that wakeup (ns), below the
 *    woken task's process frame and a frame for the waker's process.
 *
 * A stack is the one or two TK_EV_STACK events that follow an event on
 * its CPU (other CPUs' events may come between); it is complete when the
 * next event of that CPU arrives (or at once with one_stack). User frames
 * go above kernel frames. Stacks are named once per distinct (process
 * frame, addresses) through a cache, so the per-event work is hashing the
 * addresses; memory follows the unique stacks and the tasks.
 *
 * Time windows clip: an interval counts the part of it inside [from, to].
 * The idle task (tid 0) is never off-CPU. An interval still open at the end
 * of the stream is not counted (the stream does not say when it ended).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/event.h"
#include "core/schema.h"

struct tk_fold;
struct tk_evfold;

enum tk_evfold_mode {
	TK_EVFOLD_ONCPU,
	TK_EVFOLD_OFFCPU,
	TK_EVFOLD_WAKEUP,
};

/* --state R: prev_state 0 (running, i.e. preempted), with the TK_TASK_* bits. */
#define TK_EVFOLD_STATE_R 0x8000u

/* A stack to name; addresses leaf first, as recorded. */
struct tk_evfold_stack {
	uint32_t tid;
	uint32_t pid;			/* thread group, 0 when unknown */
	const char *comm;
	const uint64_t *kips;		/* kernel frames, or a whole perf callchain */
	uint32_t nk;
	const uint64_t *uips;		/* user frames (trace.dat user_stack) */
	uint32_t nu;
};

/*
 * Extend *node (a node of the fold's trie) by the frames of a stack, root
 * first; 0 or < 0 with err filled. The default names kernel addresses by
 * the schema's kernel symbols (DSO "[kernel.kallsyms]") and user addresses
 * as "[unknown]" (trace.dat has no maps to resolve them).
 */
typedef int (*tk_evfold_extend_fn)(void *arg, struct tk_fold *fold, uint32_t *node,
				   const struct tk_evfold_stack *st, struct tk_err *err);

struct tk_evfold_opts {
	enum tk_evfold_mode mode;
	const struct tk_schema *schema;
	const uint32_t *events;		/* on-CPU: only stacks of these event ids; NULL: all */
	size_t nevents;
	uint32_t states;		/* off-CPU, wakeup: TK_TASK_* | TK_EVFOLD_STATE_R; 0 all */
	const uint64_t *cpus;		/* bitmap of CPUs kept (see docs/collapse.md); NULL all */
	uint32_t ncpubits;
	uint64_t from, to;		/* ns; to == 0 means no end */
	bool one_stack;			/* an event's first stack is its whole stack (perf) */
	bool use_waking;		/* wakeup: sched_waking is the waker's event */
	tk_evfold_extend_fn extend;	/* NULL: the default above */
	void *extend_arg;
};

struct tk_evfold_counts {
	uint64_t events;		/* events seen (stacks not included) */
	uint64_t switches;		/* sched_switch */
	uint64_t wakeups;		/* of the kind the wakeup mode uses */
	uint64_t stacks;		/* TK_EV_STACK */
	uint64_t kept;			/* stacks / intervals that added weight */
	uint64_t no_stack;		/* of those, without a stack (process frame only) */
	uint64_t weight;		/* total added: events, or ns */
	uint64_t open_at_end;		/* off-CPU intervals never closed */
	uint64_t lost;			/* TK_EV_LOST events */
};

struct tk_evfold *tk_evfold_create(struct tk_fold *fold, const struct tk_evfold_opts *opts,
				   struct tk_err *err);
void tk_evfold_destroy(struct tk_evfold *e);

/* One event of the stream (payload may be NULL); 0 or < 0 (tk_evfold_get_err). */
int tk_evfold_event(struct tk_evfold *e, const struct tk_event *ev, const struct tk_payload *pl);
/* End of the stream: complete pending stacks; 0 or < 0. */
int tk_evfold_finish(struct tk_evfold *e);

const struct tk_evfold_counts *tk_evfold_get_counts(const struct tk_evfold *e);
const struct tk_err *tk_evfold_get_err(const struct tk_evfold *e);

#endif
