/* SPDX-License-Identifier: MIT */
#ifndef TK_CLI_REPORT_FAST_H
#define TK_CLI_REPORT_FAST_H

#include <stddef.h>

struct tep_handle;
struct tep_event;
struct tep_record;
struct report_fast;

/*
 * A faster printer for the text of events whose print format is plain
 * integer conversions of plain fields (raw_syscalls, most counters): the
 * format is compiled once per event; the output of the first records of
 * each event, and of every 1024th after, is compared with libtraceevent's
 * and any difference turns the fast path off for that event for good.
 */
struct report_fast *report_fast_create(struct tep_handle *tep);
void report_fast_destroy(struct report_fast *rf);

/*
 * Append ev's text for rec to buf (capacity cap, from *len). Returns 1 when
 * done, 0 when the caller must print it with libtraceevent instead.
 */
int report_fast_info(struct report_fast *rf, struct tep_event *ev, struct tep_record *rec,
		     char *buf, size_t cap, size_t *len);

#endif
