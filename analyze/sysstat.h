/* SPDX-License-Identifier: MIT */
#ifndef TK_ANALYZE_SYSSTAT_H
#define TK_ANALYZE_SYSSTAT_H

/*
 * Syscall summary (strace -c, perf trace -s) from syscall entry and exit
 * tracepoints: raw_syscalls:sys_enter/sys_exit (fields id, ret) or the
 * per-syscall syscalls:sys_enter_NAME/sys_exit_NAME (__syscall_nr, ret).
 *
 * Per row (a syscall, or a syscall of one process, thread or comm):
 *   calls   entries seen (a syscall that never returns, like exit_group,
 *           is a call with no latency)
 *   errors  exits with ret in [-4095, -1], the kernel's errno range
 *   latency entry to the next exit of the same thread with the same
 *           number: total, avg, exact p99, max
 * Exits without an entry (the trace began inside the call) and entries
 * without an exit are counted in the totals.
 */

#include <stddef.h>
#include <stdint.h>

#include "analyze/dist.h"
#include "core/err.h"
#include "core/event.h"
#include "core/schema.h"

enum tk_sysstat_by {
	TK_SYSSTAT_BY_SYSCALL,
	TK_SYSSTAT_BY_PID,	/* thread group (process) */
	TK_SYSSTAT_BY_TID,
	TK_SYSSTAT_BY_COMM,
};

struct tk_sysstat_row {
	uint64_t group;		/* pid, tid or comm string id; 0 by syscall */
	uint64_t nr;
	uint64_t calls, errors;
	uint32_t comm;		/* string id of the task's name (by pid/tid), TK_NOSTR */
	struct tk_dist d;	/* ns */
};

struct tk_sysstat_totals {
	uint64_t calls, errors, pairs;
	uint64_t exits_without_entry, entries_without_exit;
	uint64_t total_ns;
};

struct tk_sysstat;

int tk_sysstat_create(enum tk_sysstat_by by, const struct tk_schema *sch, struct tk_sysstat **out,
		      struct tk_err *err);
void tk_sysstat_destroy(struct tk_sysstat *s);
/*
 * Watch an entry (enter = 1) or exit event. nr: the syscall number for
 * syscalls:sys_*_NAME events whose payload lacks __syscall_nr, else -1.
 * TK_EINVAL when the event lacks the fields.
 */
int tk_sysstat_watch(struct tk_sysstat *s, uint32_t event_id, int enter, int64_t nr,
		     struct tk_err *err);
int tk_sysstat_add(struct tk_sysstat *s, const struct tk_event *ev, const struct tk_payload *pl);
int tk_sysstat_finish(struct tk_sysstat *s);

/* Rows by total latency, descending, then calls, then group and number. */
size_t tk_sysstat_get_rows(const struct tk_sysstat *s, const struct tk_sysstat_row *const **out);
const struct tk_sysstat_totals *tk_sysstat_get_totals(const struct tk_sysstat *s);
enum tk_sysstat_by tk_sysstat_get_by(const struct tk_sysstat *s);
const char *tk_sysstat_get_str(const struct tk_sysstat *s, uint32_t id);

#endif
