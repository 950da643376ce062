/* SPDX-License-Identifier: MIT */
#ifndef TK_CLI_HISTCLI_H
#define TK_CLI_HISTCLI_H

/*
 * What hist, latency and syscalls share: an event source over any trace
 * file, the recording's architecture, event lookup by name and the
 * libtraceevent filter applied before events reach the analyzers.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

struct tk_evsrc;
struct tk_tpfilter;

/* Opens path (trace.dat or perf.data); prints the error. 0 or an exit code. */
int histcli_open(const char *path, struct tk_evsrc **out);
/* Machine name of the recording ("x86_64"), or "" when not recorded. */
const char *histcli_arch(struct tk_evsrc *src, char *buf, size_t n);
/* Event id by "sys:name" or "name": 1 found, 0 not. */
int histcli_find_event(struct tk_evsrc *src, const char *name, uint32_t *id);
/* "sys:name" of an id (borrowed from the source). */
const char *histcli_event_name(struct tk_evsrc *src, uint32_t id);

/*
 * Ids of the events whose formats have every field in names (NULL
 * terminated), ftrace's own events left out; returns the count (at most
 * max ids stored).
 */
int histcli_events_with(struct tk_evsrc *src, const char *const *names, uint32_t *ids, int max);

/*
 * Ids of every event named "sys:prefix*" (syscalls:sys_enter_*), with the
 * rest of each name in the out array (borrowed). Returns the count.
 */
int histcli_events_prefixed(struct tk_evsrc *src, const char *sys, const char *prefix,
			    uint32_t *ids, const char **rest, int max);

/*
 * One warning on stderr when the recording lost events (perf LOST
 * records, trace.dat sub-buffer marks): what that means for the result.
 */
void histcli_warn_lost(const char *path, uint64_t lost, const char *consequence);

/* Compiles a filter for the events; prints a usage error for cmd. 0 or exit code. */
int histcli_filter(const char *cmd, struct tk_evsrc *src, const char *expr, const uint32_t *ids,
		   int nids, struct tk_tpfilter **out);

#endif
