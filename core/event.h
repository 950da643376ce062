/* SPDX-License-Identifier: MIT */
#ifndef TK_CORE_EVENT_H
#define TK_CORE_EVENT_H

#include <stdint.h>

/*
 * The common event model every analyzer sees (DESIGN.md 7): readers turn
 * their records into these; analyzers never see a file format. 32 bytes,
 * two per cache line. Kinds beyond GENERIC are filled as analyzers need
 * them (scheduler, samples, ...).
 */
enum tk_event_kind {
	TK_EV_GENERIC = 0,	/* a tracepoint we do not model: event_id only */
	TK_EV_LOST = 1,		/* events lost before this point on this CPU */
};

struct tk_event {
	uint64_t ts;		/* ns after clock normalisation */
	uint32_t tid;
	uint16_t cpu;
	uint8_t kind;
	uint8_t flags;
	union {
		struct {
			uint32_t event_id;	/* format id in the source file */
			uint32_t size;		/* payload bytes */
		} generic;
		struct {
			uint64_t count;		/* 0 when unknown */
		} lost;
		uint8_t raw[16];
	} u;
};

#define TK_EVF_LOST_UNKNOWN 0x01	/* TK_EV_LOST: the count was not recorded */

_Static_assert(sizeof(struct tk_event) == 32, "tk_event must stay 32 bytes");

#endif
