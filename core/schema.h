/* SPDX-License-Identifier: MIT */
#ifndef TK_CORE_SCHEMA_H
#define TK_CORE_SCHEMA_H

/*
 * What an event source knows beyond the events themselves: event names,
 * field layouts of tracepoint payloads, task names and kernel symbols.
 * Analyzers get it as this small interface, so they read fields without
 * knowing whether the payload came from trace.dat or perf.data (the
 * payload layout is the kernel's, the same in both).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

enum {
	TK_FIELD_SIGNED = 0x01,
	TK_FIELD_STRING = 0x02,		/* char array or __data_loc char[] */
	TK_FIELD_DYNAMIC = 0x04,	/* __data_loc: offset/len word at `offset` */
	TK_FIELD_ARRAY = 0x08,		/* fixed array of elem_size items */
	TK_FIELD_BIGENDIAN = 0x10,	/* the payload is big endian */
	TK_FIELD_LONG = 0x20,		/* C long/pointer of the recording kernel */
};

/* Where one field lies in a payload. */
struct tk_field {
	uint32_t offset;
	uint32_t size;			/* bytes (of the whole array) */
	uint32_t elem_size;		/* for arrays; == size otherwise */
	uint32_t flags;			/* TK_FIELD_* */
};

struct tk_schema_ops {
	/* Event id by "system:name" or plain "name" (first match); 1 found, 0 not. */
	int (*find_event)(void *arg, const char *name, uint32_t *event_id);
	/* "system:name", or NULL for an unknown id. */
	const char *(*event_name)(void *arg, uint32_t event_id);
	/* 1 and *out filled; 0 no such field. Common fields are included. */
	int (*find_field)(void *arg, uint32_t event_id, const char *field, struct tk_field *out);
	/* Field names of an event, in format order (i from 0; NULL past the end). */
	const char *(*field_name)(void *arg, uint32_t event_id, int i);
	/* A string id of the source's events (comms), or NULL. */
	const char *(*str)(void *arg, uint32_t str_id);
	/* Latest known comm of a task, or NULL. */
	const char *(*comm)(void *arg, uint32_t tid);
	/* Thread group of a task, 0 when unknown. */
	uint32_t (*tgid)(void *arg, uint32_t tid);
	/* Kernel symbol containing addr (*off set to addr - start), or NULL. */
	const char *(*ksym)(void *arg, uint64_t addr, uint64_t *off);
};

struct tk_schema {
	const struct tk_schema_ops *ops;
	void *arg;
};

/* Integer field (sign- or zero-extended to 64 bits); 0 when out of bounds. */
uint64_t tk_field_u64(const struct tk_field *f, const struct tk_payload *p);
/* Element i of an array field. */
uint64_t tk_field_elem(const struct tk_field *f, const struct tk_payload *p, uint32_t i);
/*
 * String field: pointer into the payload and its length up to the first
 * NUL or the field's end; "" when out of bounds.
 */
const char *tk_field_str(const struct tk_field *f, const struct tk_payload *p, size_t *len);

#endif
