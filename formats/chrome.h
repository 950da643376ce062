/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_CHROME_H
#define TK_FORMATS_CHROME_H

/*
 * Chrome Trace Event JSON writer (the format chrome://tracing and the
 * Perfetto UI open): tk_events go in as they stream, JSON comes out as it
 * goes, so memory stays bounded by the number of CPUs and tasks, not by the
 * trace. The mapping is in docs/convert.md:
 *
 *   - every sched_switch closes one complete ("X") slice on the CPU's track
 *     (pid TK_CHROME_CPU_PID, tid = cpu), named by the task that ran, and
 *     the same interval on the task's own track (pid = thread group) unless
 *     it was the idle task;
 *   - every other tracepoint becomes an instant ("i") event with its
 *     payload fields (common_* excepted) as args;
 *   - thread and process names ("M") come at the end, when the last comm of
 *     every task is known.
 *
 * Timestamps are microseconds with three decimals printed from the integer
 * ns, so no precision is lost to doubles. Output is a function of the
 * input only (no clocks, no addresses, no hash order).
 */

#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "core/event.h"
#include "core/schema.h"

/* Above pid_max (2^22), so it never collides with a real process. */
#define TK_CHROME_CPU_PID 1073741824u

struct tk_chrome;

/*
 * out: where JSON goes (borrowed, not closed); schema: the source's, for
 * names and fields (borrowed, must outlive the writer). NULL on failure
 * with err filled. Writes the document's opening.
 */
struct tk_chrome *tk_chrome_create(FILE *out, const struct tk_schema *schema,
				   struct tk_err *err);
void tk_chrome_destroy(struct tk_chrome *c);

/* One event in time order, pl its payload or NULL. 0 or -TK_E*. */
int tk_chrome_event(struct tk_chrome *c, const struct tk_event *ev, const struct tk_payload *pl);

/* Metadata and the document's end; 0 or -TK_E* (write errors included). */
int tk_chrome_finish(struct tk_chrome *c);

/* Counts of what was written (for tests and messages). */
struct tk_chrome_stats {
	uint64_t cpu_slices, task_slices, instants, lost, metadata;
};
const struct tk_chrome_stats *tk_chrome_get_stats(const struct tk_chrome *c);

const struct tk_err *tk_chrome_get_err(const struct tk_chrome *c);

/*
 * JSON string body of s[0..len) (no quotes): '"', '\\' and control
 * characters escaped, valid UTF-8 kept, each byte of invalid UTF-8 as
 * \u00XX (so the output is always valid JSON and shows the raw byte).
 */
void tk_chrome_escape(FILE *out, const char *s, size_t len);

#endif
