/* SPDX-License-Identifier: MIT */
/*
 * perf's thread model (see pmach-int.h for the rules and why they are
 * kept). Lookups are by tid in an open-addressing table of indices.
 */
#include "analyze/pmach-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

static size_t slot_of(uint32_t tid, size_t cap)
{
	uint32_t x = tid;

	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x & (cap - 1);
}

int tk_pmach__init(struct tk_pmach *m, const struct tk_schema *sch, bool schema_comms)
{
	memset(m, 0, sizeof(*m));
	m->sch = sch;
	m->schema_comms = schema_comms;
	m->mapcap = 1024;
	m->map = calloc(m->mapcap, sizeof(*m->map));
	if (!m->map)
		return -TK_ENOMEM;
	/* perf_session__register_idle_thread: tid 0 is "swapper" from the start */
	if (tk_pmach__findnew(m, 0, 0) == TK_PMACH_NONE)
		return -TK_ENOMEM;
	m->thr[0].swapper = true;
	m->thr[0].comm_set = true;
	return 0;
}

void tk_pmach__fini(struct tk_pmach *m)
{
	free(m->thr);
	free(m->map);
	memset(m, 0, sizeof(*m));
}

static uint32_t *map_slot(struct tk_pmach *m, int32_t tid)
{
	size_t i;

	for (i = slot_of((uint32_t)tid, m->mapcap);; i = (i + 1) & (m->mapcap - 1)) {
		uint32_t v = m->map[i];

		if (!v || m->thr[v - 1].tid == tid)
			return &m->map[i];
	}
}

static int map_grow(struct tk_pmach *m)
{
	size_t ncap = m->mapcap * 2, i, j;
	uint32_t *nm = calloc(ncap, sizeof(*nm));

	if (!nm)
		return -TK_ENOMEM;
	for (i = 0; i < m->mapcap; i++) {
		uint32_t v = m->map[i];

		if (!v)
			continue;
		for (j = slot_of((uint32_t)m->thr[v - 1].tid, ncap); nm[j]; j = (j + 1) & (ncap - 1))
			;
		nm[j] = v;
	}
	free(m->map);
	m->map = nm;
	m->mapcap = ncap;
	return 0;
}

/* machine__update_thread_pid, without the maps it also shares */
static void update_pid(struct tk_pmach *m, uint32_t idx, int32_t pid)
{
	struct tk_pmach_thr *t = &m->thr[idx];

	if (pid == t->pid || pid == -1 || t->pid != -1)
		return;
	t->pid = pid;
	/* perf looks the leader up (creating it) to share its maps */
	if (pid != t->tid)
		(void)tk_pmach__findnew(m, pid, pid);
}

uint32_t tk_pmach__find(struct tk_pmach *m, int32_t pid, int32_t tid)
{
	uint32_t v = *map_slot(m, tid);

	if (!v)
		return TK_PMACH_NONE;
	update_pid(m, v - 1, pid);
	return v - 1;
}

uint32_t tk_pmach__findnew(struct tk_pmach *m, int32_t pid, int32_t tid)
{
	uint32_t *slot, idx;
	struct tk_pmach_thr *t;

	if (m->n && (idx = tk_pmach__find(m, pid, tid)) != TK_PMACH_NONE)
		return idx;
	if ((m->mapn + 1) * 4 >= m->mapcap * 3 && map_grow(m) < 0)
		return TK_PMACH_NONE;
	if (m->n == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 256;
		struct tk_pmach_thr *nt = realloc(m->thr, ncap * sizeof(*nt));

		if (!nt)
			return TK_PMACH_NONE;
		m->thr = nt;
		m->cap = ncap;
	}
	idx = (uint32_t)m->n++;
	t = &m->thr[idx];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	t->tid = tid;
	t->ppid = -1;
	t->comm = TK_NOSTR;
	t->user = TK_PMACH_NONE;
	slot = map_slot(m, tid);
	if (!*slot)
		m->mapn++;
	*slot = idx + 1;
	/* thread__init_maps: a thread that is not its group leader finds it */
	if (pid != -1 && pid != tid && tk_pmach__findnew(m, pid, pid) == TK_PMACH_NONE)
		return TK_PMACH_NONE;
	return idx;
}

static void remove_thr(struct tk_pmach *m, uint32_t idx)
{
	uint32_t *slot = map_slot(m, m->thr[idx].tid);
	size_t i, j;

	m->thr[idx].removed = true;
	if (*slot != idx + 1)
		return;
	/* delete from the linear-probing table, moving later entries back */
	i = (size_t)(slot - m->map);
	m->map[i] = 0;
	m->mapn--;
	for (j = (i + 1) & (m->mapcap - 1); m->map[j]; j = (j + 1) & (m->mapcap - 1)) {
		uint32_t v = m->map[j];

		m->map[j] = 0;
		*map_slot(m, m->thr[v - 1].tid) = v;
	}
}

int tk_pmach__fork(struct tk_pmach *m, int32_t pid, int32_t ppid, int32_t tid, int32_t ptid)
{
	uint32_t child = tk_pmach__find(m, pid, tid);
	uint32_t parent = tk_pmach__findnew(m, ppid, ptid);

	if (parent == TK_PMACH_NONE)
		return -TK_ENOMEM;
	/* a thread that is not really the parent (events lost): start anew */
	if (m->thr[parent].pid != ppid) {
		remove_thr(m, parent);
		parent = tk_pmach__findnew(m, ppid, ptid);
		if (parent == TK_PMACH_NONE)
			return -TK_ENOMEM;
	}
	if (child != TK_PMACH_NONE && child != parent)
		remove_thr(m, child);
	child = tk_pmach__findnew(m, pid, tid);
	if (child == TK_PMACH_NONE)
		return -TK_ENOMEM;
	if (m->thr[parent].comm_set) {
		m->thr[child].comm = m->thr[parent].comm;
		m->thr[child].swapper = m->thr[parent].swapper;
		m->thr[child].comm_set = true;
	}
	m->thr[child].ppid = m->thr[parent].tid;
	return 0;
}

int tk_pmach__comm(struct tk_pmach *m, int32_t pid, int32_t tid, uint32_t comm)
{
	uint32_t idx = tk_pmach__findnew(m, pid, tid);

	if (idx == TK_PMACH_NONE)
		return -TK_ENOMEM;
	m->thr[idx].comm = comm;
	m->thr[idx].swapper = false;
	m->thr[idx].comm_set = true;
	return 0;
}

void tk_pmach__exit(struct tk_pmach *m, int32_t pid, int32_t tid)
{
	uint32_t idx = tk_pmach__find(m, pid, tid);

	if (idx != TK_PMACH_NONE)
		m->thr[idx].dead = true;
}

const char *tk_pmach__comm_str(const struct tk_pmach *m, uint32_t idx, char *buf, size_t len)
{
	const struct tk_pmach_thr *t = &m->thr[idx];
	const char *s = NULL;

	if (t->swapper)
		return "swapper";
	if (t->comm != TK_NOSTR && m->sch && m->sch->ops->str)
		s = m->sch->ops->str(m->sch->arg, t->comm);
	if (!s && m->schema_comms && t->tid > 0 && m->sch && m->sch->ops->comm)
		s = m->sch->ops->comm(m->sch->arg, (uint32_t)t->tid);
	if (s)
		return s;
	snprintf(buf, len, ":%d", t->tid);
	return buf;
}
