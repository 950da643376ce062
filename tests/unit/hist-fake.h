/* SPDX-License-Identifier: MIT */
/*
 * A fake tk_schema with two events of one layout, and hand-made payloads,
 * for the histogram analyzer and renderer tests (static: one copy per test).
 */
#ifndef TK_TESTS_HIST_FAKE_H
#define TK_TESTS_HIST_FAKE_H

#include <stdint.h>
#include <string.h>

#include "core/event.h"
#include "core/schema.h"

/*
 * Event 7 "test:ev" (and 8 "test:end", same layout):
 *   common_type u16 @0, common_pid s32 @4, id s64 @8, ret s64 @16,
 *   comm char[16] @24, bytes u32 @40; 48 bytes.
 */
struct fake_field {
	const char *name;
	struct tk_field f;
};

static const struct fake_field fields[] = {
	{ "common_type", { 0, 2, 2, 0 } },
	{ "common_pid", { 4, 4, 4, TK_FIELD_SIGNED } },
	{ "id", { 8, 8, 8, TK_FIELD_SIGNED | TK_FIELD_LONG } },
	{ "ret", { 16, 8, 8, TK_FIELD_SIGNED | TK_FIELD_LONG } },
	{ "comm", { 24, 16, 1, TK_FIELD_STRING | TK_FIELD_ARRAY } },
	{ "bytes", { 40, 4, 4, 0 } },
	{ "args", { 24, 16, 8, TK_FIELD_ARRAY } },
};

static int f_find_event(void *arg, const char *name, uint32_t *id)
{
	(void)arg;
	if (!strcmp(name, "test:ev") || !strcmp(name, "ev"))
		*id = 7;
	else if (!strcmp(name, "test:end"))
		*id = 8;
	else
		return 0;
	return 1;
}

static const char *f_event_name(void *arg, uint32_t id)
{
	(void)arg;
	return id == 7 ? "test:ev" : id == 8 ? "test:end" : NULL;
}

static int f_find_field(void *arg, uint32_t id, const char *name, struct tk_field *out)
{
	size_t i;

	(void)arg;
	if (id != 7 && id != 8)
		return 0;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!strcmp(fields[i].name, name)) {
			*out = fields[i].f;
			return 1;
		}
	}
	return 0;
}

static const char *f_comm(void *arg, uint32_t tid)
{
	(void)arg;
	return tid == 10 ? "ten" : tid == 20 ? "twenty" : NULL;
}

static uint32_t f_tgid(void *arg, uint32_t tid)
{
	(void)arg;
	return tid == 11 ? 10 : 0;	/* 11 is a thread of process 10 */
}

static const char *f_ksym(void *arg, uint64_t addr, uint64_t *off)
{
	(void)arg;
	if (addr >= 0x1000 && addr < 0x1100) {
		*off = addr - 0x1000;
		return "func_a";
	}
	return NULL;
}

static const struct tk_schema_ops ops = {
	.find_event = f_find_event,
	.event_name = f_event_name,
	.find_field = f_find_field,
	.comm = f_comm,
	.tgid = f_tgid,
	.ksym = f_ksym,
};
static const struct tk_schema sch = { &ops, NULL };

struct rec {
	uint8_t b[48];
	struct tk_payload pl;
	struct tk_event ev;
};

static void put(uint8_t *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void mk(struct rec *r, uint32_t event, uint64_t ts, int32_t pid, int64_t id, int64_t ret,
	       const char *comm, uint32_t bytes)
{
	memset(r, 0, sizeof(*r));
	put(r->b, event, 2);
	put(r->b + 4, (uint32_t)pid, 4);
	put(r->b + 8, (uint64_t)id, 8);
	put(r->b + 16, (uint64_t)ret, 8);
	if (comm)
		memcpy(r->b + 24, comm, strlen(comm));
	put(r->b + 40, bytes, 4);
	r->pl.event_id = event;
	r->pl.size = sizeof(r->b);
	r->pl.data = r->b;
	r->ev.ts = ts;
	r->ev.tid = (uint32_t)pid;
	r->ev.cpu = 1;
	r->ev.kind = TK_EV_GENERIC;
}

#endif
