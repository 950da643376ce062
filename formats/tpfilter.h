/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_TPFILTER_H
#define TK_FORMATS_TPFILTER_H

/*
 * Tracepoint filters in libtraceevent's syntax (tep_filter_*, the syntax of
 * trace-cmd's -F and of the kernel's event filters), applied to the
 * payloads an event source hands out, for trace.dat records and perf.data
 * tracepoint samples alike. The filter needs the file's libtraceevent
 * handle, so it lives here and the CLI applies it before events reach an
 * analyzer (analyzers see no file formats).
 */

#include <stdint.h>

#include "core/err.h"
#include "core/event.h"

struct tk_evsrc;
struct tk_tpfilter;

/*
 * Compile expr for the events ids[0..nids) of src. Errors are TK_EINVAL
 * with libtraceevent's message ("...: Expected a field ...").
 */
int tk_tpfilter_create(struct tk_evsrc *src, const char *expr, const uint32_t *ids, int nids,
		       struct tk_tpfilter **out, struct tk_err *err);
void tk_tpfilter_destroy(struct tk_tpfilter *f);

/*
 * 1: the payload passes; 0: it does not or its event has no filter (a
 * filter is only asked about the events it was made for).
 */
int tk_tpfilter_match(struct tk_tpfilter *f, const struct tk_event *ev,
		      const struct tk_payload *pl);

#endif
