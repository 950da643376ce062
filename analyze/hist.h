/* SPDX-License-Identifier: MIT */
#ifndef TK_ANALYZE_HIST_H
#define TK_ANALYZE_HIST_H

/*
 * Offline ftrace hist triggers (the kernel's Documentation/trace/
 * histogram.rst): events of one type are bucketed by a compound key of
 * their fields, each bucket counts its hits and sums the value fields.
 * Keys and values are read from payloads through core/schema.h only.
 *
 * Semantics follow the kernel's (kernel/trace/trace_events_hist.c):
 * modifiers .hex .sym .execname .syscall .log2 .buckets=N .usecs, at most
 * 3 keys and 3 values besides hitcount, at most 2 sort keys (default
 * hitcount ascending), and a table of `size` entries (default 2048): a new
 * key arriving when it is full is dropped and counted, not a hit.
 *
 * Ownership: the entries and strings belong to the hist until destroy.
 */

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/event.h"
#include "core/schema.h"

#define TK_HIST_MAX_KEYS 3
#define TK_HIST_MAX_VALS 3		/* besides hitcount */
#define TK_HIST_MAX_SORT 2
#define TK_HIST_DEFAULT_SIZE 2048
#define TK_HIST_MIN_SIZE 128		/* the kernel's map bits 7..17 */
#define TK_HIST_MAX_SIZE 131072

enum {
	TK_HISTF_HEX = 0x001,
	TK_HISTF_SYM = 0x002,
	TK_HISTF_EXECNAME = 0x004,
	TK_HISTF_SYSCALL = 0x008,
	TK_HISTF_LOG2 = 0x010,
	TK_HISTF_BUCKET = 0x020,
	TK_HISTF_USECS = 0x040,
	TK_HISTF_STRING = 0x080,	/* value is a string id (tk_hist_get_str) */
	TK_HISTF_SIGNED = 0x100,	/* keys compare as signed */
	TK_HISTF_TIMESTAMP = 0x200,	/* common_timestamp */
	TK_HISTF_CPU = 0x400,		/* common_cpu */
};

struct tk_hist_field {
	char name[64];		/* the field's name as the kernel prints it */
	char spec[128];		/* with its modifier: "id.syscall", "bytes.buckets=64" */
	uint32_t flags;		/* TK_HISTF_* */
	uint64_t buckets;	/* .buckets=N */
};

struct tk_hist_entry {
	uint64_t key[TK_HIST_MAX_KEYS];	/* after .log2/.buckets; string id for strings */
	uint64_t hitcount;
	uint64_t val[TK_HIST_MAX_VALS];	/* sums */
	uint32_t comm;			/* .execname: the task's name at the first hit */
	uint32_t sym[TK_HIST_MAX_KEYS];	/* .sym: kernel symbol string id, TK_NOSTR if none */
};

struct tk_hist_opts {
	uint32_t event_id;
	const char *keys;	/* "id.syscall,common_pid" */
	const char *vals;	/* NULL: hitcount only */
	const char *sort;	/* NULL: hitcount */
	uint32_t size;		/* 0: TK_HIST_DEFAULT_SIZE; rounded up to a power of two */
	const char *arch;	/* the recording's machine (uname -m), for .syscall */
};

struct tk_hist;

/* Parses the spec against the event's fields; TK_EINVAL with a message on a bad spec. */
int tk_hist_create(const struct tk_hist_opts *o, const struct tk_schema *sch,
		   struct tk_hist **out, struct tk_err *err);
void tk_hist_destroy(struct tk_hist *h);

/* One event; others than the hist's event id are ignored. 0 or -TK_ENOMEM. */
int tk_hist_add(struct tk_hist *h, const struct tk_event *ev, const struct tk_payload *pl);
/* Sorts the entries and resolves .sym names; call once, after the last add. */
int tk_hist_finish(struct tk_hist *h);

int tk_hist_get_nkeys(const struct tk_hist *h);
const struct tk_hist_field *tk_hist_get_key(const struct tk_hist *h, int i);
int tk_hist_get_nvals(const struct tk_hist *h);
const struct tk_hist_field *tk_hist_get_val(const struct tk_hist *h, int i);
/* Entries in sort order (after finish). */
size_t tk_hist_get_entries(const struct tk_hist *h, const struct tk_hist_entry *const **out);
const char *tk_hist_get_str(const struct tk_hist *h, uint32_t id);
uint64_t tk_hist_get_hits(const struct tk_hist *h);
uint64_t tk_hist_get_dropped(const struct tk_hist *h);
/* "hist:keys=...:vals=...:sort=...:size=N", as the kernel prints it back. */
const char *tk_hist_get_trigger(const struct tk_hist *h);
const char *tk_hist_get_arch(const struct tk_hist *h);

/* The kernel's .log2 bucket: ilog2(roundup_pow_of_two(v)) as x86_64 computes it. */
uint64_t tk_hist_log2(uint64_t v);

#endif
