/* SPDX-License-Identifier: MIT */
#include "analyze/stats.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define TK_STATS_MAX_CPUS 65536

struct tk_stats {
	/* open addressing on id; ids are small (format ids) but need not be */
	struct tk_stats_id *slots;
	uint32_t cap;
	uint32_t used;
	struct tk_stats_id *sorted;
	struct tk_stats_cpu *cpus;	/* indexed by CPU */
	int ncpu_cap;
	uint64_t total;
	uint64_t first, last;
};

struct tk_stats *tk_stats_create(void)
{
	struct tk_stats *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->cap = 64;
	st->slots = calloc(st->cap, sizeof(*st->slots));
	if (!st->slots) {
		free(st);
		return NULL;
	}
	return st;
}

void tk_stats_destroy(struct tk_stats *st)
{
	if (!st)
		return;
	free(st->slots);
	free(st->sorted);
	free(st->cpus);
	free(st);
}

static uint32_t slot_of(const struct tk_stats *st, uint32_t id)
{
	uint32_t h = (id * 2654435761u) & (st->cap - 1);

	/* count 0 marks a free slot: a live entry always has count >= 1 */
	while (st->slots[h].count && st->slots[h].id != id)
		h = (h + 1) & (st->cap - 1);
	return h;
}

static int grow_ids(struct tk_stats *st)
{
	struct tk_stats_id *old = st->slots;
	uint32_t oldcap = st->cap, i;

	st->slots = calloc((size_t)oldcap * 2, sizeof(*st->slots));
	if (!st->slots) {
		st->slots = old;
		return -TK_ENOMEM;
	}
	st->cap = oldcap * 2;
	for (i = 0; i < oldcap; i++)
		if (old[i].count)
			st->slots[slot_of(st, old[i].id)] = old[i];
	free(old);
	return 0;
}

static struct tk_stats_cpu *cpu_slot(struct tk_stats *st, int cpu)
{
	if (cpu < 0 || cpu >= TK_STATS_MAX_CPUS)
		return NULL;
	if (cpu >= st->ncpu_cap) {
		int n = st->ncpu_cap ? st->ncpu_cap : 8;
		struct tk_stats_cpu *c;

		while (n <= cpu)
			n *= 2;
		c = realloc(st->cpus, (size_t)n * sizeof(*c));
		if (!c)
			return NULL;
		memset(c + st->ncpu_cap, 0, (size_t)(n - st->ncpu_cap) * sizeof(*c));
		st->cpus = c;
		st->ncpu_cap = n;
	}
	st->cpus[cpu].cpu = cpu;
	return &st->cpus[cpu];
}

int tk_stats_add(struct tk_stats *st, const struct tk_event *ev)
{
	struct tk_stats_cpu *c = cpu_slot(st, ev->cpu);

	if (!c)
		return -TK_ENOMEM;
	if (ev->kind == TK_EV_LOST) {
		if (ev->flags & TK_EVF_LOST_UNKNOWN)
			c->lost_unknown++;
		else
			c->lost += ev->u.lost.count;
		return 0;
	}
	if (!st->total || ev->ts < st->first)
		st->first = ev->ts;
	if (!st->total || ev->ts > st->last)
		st->last = ev->ts;
	st->total++;
	c->events++;
	if (ev->kind == TK_EV_GENERIC) {
		uint32_t h;

		if ((st->used + 1) * 2 > st->cap && grow_ids(st))
			return -TK_ENOMEM;
		h = slot_of(st, ev->u.generic.event_id);
		if (!st->slots[h].count) {
			st->slots[h].id = ev->u.generic.event_id;
			st->used++;
		}
		st->slots[h].count++;
	}
	return 0;
}

uint64_t tk_stats_get_total(const struct tk_stats *st)
{
	return st->total;
}

uint64_t tk_stats_get_first_ts(const struct tk_stats *st)
{
	return st->first;
}

uint64_t tk_stats_get_last_ts(const struct tk_stats *st)
{
	return st->last;
}

static int cmp_ids(const void *a, const void *b)
{
	const struct tk_stats_id *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return (x->id > y->id) - (x->id < y->id);
}

const struct tk_stats_id *tk_stats_get_ids(struct tk_stats *st, int *n)
{
	uint32_t i, k = 0;

	free(st->sorted);
	st->sorted = malloc((st->used ? st->used : 1) * sizeof(*st->sorted));
	if (!st->sorted) {
		*n = 0;
		return NULL;
	}
	for (i = 0; i < st->cap; i++)
		if (st->slots[i].count)
			st->sorted[k++] = st->slots[i];
	qsort(st->sorted, k, sizeof(*st->sorted), cmp_ids);
	*n = (int)k;
	return st->sorted;
}

const struct tk_stats_cpu *tk_stats_get_cpus(const struct tk_stats *st, int *n)
{
	*n = st->ncpu_cap;
	return st->cpus;
}
