/* SPDX-License-Identifier: MIT */
#ifndef TK_ANALYZE_PMACH_INT_H
#define TK_ANALYZE_PMACH_INT_H

/*
 * perf's thread bookkeeping (tools/perf/util/machine.c as of perf 6.1),
 * redone for the analyzers that print exactly what `perf sched` prints:
 * which thread a tid names at a point in the stream, its pid/ppid and the
 * comm perf would show for it. perf's quirks are kept on purpose, since the
 * peer's output depends on them:
 *  - a thread first named without a pid gets pid -1, later filled in by the
 *    first lookup that gives one (but a thread created with pid 0 keeps 0);
 *  - a FORK record replaces any thread that already has the child's tid,
 *    and a parent whose pid disagrees with the record's ppid;
 *  - a new thread is named ":TID" until a COMM record or its parent's comm
 *    at FORK names it; tid 0 is "swapper".
 * Threads are never freed while the model lives (a replaced thread keeps
 * its data for whoever refers to it); memory is O(threads seen).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/schema.h"

#define TK_PMACH_NONE UINT32_MAX

struct tk_pmach_thr {
	int32_t pid, tid, ppid;
	uint32_t comm;		/* source string id; TK_NOSTR: none set */
	bool comm_set;		/* named by COMM/FORK (perf's comm_set) */
	bool swapper;
	bool dead;		/* an EXIT record was seen */
	bool removed;		/* replaced by a later thread with its tid */
	uint32_t user;		/* analyzer's own index, TK_PMACH_NONE at first */
};

struct tk_pmach {
	struct tk_pmach_thr *thr;
	size_t n, cap;
	uint32_t *map;		/* open addressing on tid: thread index + 1 */
	size_t mapcap, mapn;	/* power of two */
	const struct tk_schema *sch;
	bool schema_comms;	/* no COMM records (trace.dat): ask the schema */
};

int tk_pmach__init(struct tk_pmach *m, const struct tk_schema *sch, bool schema_comms);
void tk_pmach__fini(struct tk_pmach *m);
/* machine__findnew_thread(pid, tid): index, or TK_PMACH_NONE without memory. */
uint32_t tk_pmach__findnew(struct tk_pmach *m, int32_t pid, int32_t tid);
/* machine__find_thread: TK_PMACH_NONE when unknown. */
uint32_t tk_pmach__find(struct tk_pmach *m, int32_t pid, int32_t tid);
/* The perf records that change threads; 0 or -TK_ENOMEM. */
int tk_pmach__fork(struct tk_pmach *m, int32_t pid, int32_t ppid, int32_t tid, int32_t ptid);
int tk_pmach__comm(struct tk_pmach *m, int32_t pid, int32_t tid, uint32_t comm);
void tk_pmach__exit(struct tk_pmach *m, int32_t pid, int32_t tid);
/* thread__comm_str: into buf when it has to be made (":TID"). */
const char *tk_pmach__comm_str(const struct tk_pmach *m, uint32_t idx, char *buf, size_t len);

#endif
