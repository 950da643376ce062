/* SPDX-License-Identifier: MIT */
/*
 * Syscall summary: one open entry per thread (syscalls do not nest within
 * a thread), rows in a hash table keyed on (group, number).
 */
#include "analyze/sysstat.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/strtab.h"

#define NIDS 65536

struct watch {
	bool enter;
	bool have_nr;
	bool have_ret;
	int64_t nr;
	struct tk_field nr_f, ret_f;
};

struct thr {
	uint32_t tid;
	bool used, open;
	uint64_t nr, ts;
	uint32_t row;		/* row index + 1 of the open call */
};

struct tk_sysstat {
	enum tk_sysstat_by by;
	const struct tk_schema *sch;
	uint16_t *widx;		/* event id -> watches index + 1 */
	struct watch *w;
	size_t nw, capw;
	struct thr *thr;
	size_t nthr, capthr;	/* power of two */
	struct tk_sysstat_row *rows;
	size_t nrows, caprows;
	uint32_t *rslots;
	size_t nrslots;
	const struct tk_sysstat_row **sorted;
	struct tk_sysstat_totals tot;
	struct tk_strtab *strs;
};

static uint64_t mix2(uint64_t a, uint64_t b)
{
	uint64_t h = (a * 0x9e3779b97f4a7c15ull) ^ (b + 0x632be59bd9b4e019ull + (a << 6));

	h ^= h >> 31;
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 29);
}

int tk_sysstat_create(enum tk_sysstat_by by, const struct tk_schema *sch, struct tk_sysstat **out,
		      struct tk_err *err)
{
	struct tk_sysstat *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	s->by = by;
	s->sch = sch;
	s->widx = calloc(NIDS, sizeof(*s->widx));
	s->capthr = 256;
	s->thr = calloc(s->capthr, sizeof(*s->thr));
	s->nrslots = 1024;
	s->rslots = calloc(s->nrslots, sizeof(*s->rslots));
	s->strs = tk_strtab_create(0);
	if (!s->widx || !s->thr || !s->rslots || !s->strs) {
		tk_sysstat_destroy(s);
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	}
	*out = s;
	return 0;
}

void tk_sysstat_destroy(struct tk_sysstat *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nrows; i++)
		tk_dist_release(&s->rows[i].d);
	free(s->rows);
	free(s->rslots);
	free(s->sorted);
	free(s->thr);
	free(s->w);
	free(s->widx);
	tk_strtab_destroy(s->strs);
	free(s);
}

int tk_sysstat_watch(struct tk_sysstat *s, uint32_t event_id, int enter, int64_t nr,
		     struct tk_err *err)
{
	struct watch w;
	const char *name = s->sch->ops->event_name(s->sch->arg, event_id);

	if (event_id >= NIDS)
		return tk_err_set(err, TK_EINVAL, -1, "event id %u out of range", event_id);
	memset(&w, 0, sizeof(w));
	w.enter = enter != 0;
	w.nr = nr;
	w.have_nr = s->sch->ops->find_field(s->sch->arg, event_id, "id", &w.nr_f) ||
		    s->sch->ops->find_field(s->sch->arg, event_id, "__syscall_nr", &w.nr_f);
	if (!w.have_nr && nr < 0)
		return tk_err_set(err, TK_EINVAL, -1, "%s has no syscall number field",
				  name ? name : "the event");
	w.have_ret = s->sch->ops->find_field(s->sch->arg, event_id, "ret", &w.ret_f);
	if (!enter && !w.have_ret)
		return tk_err_set(err, TK_EINVAL, -1, "%s has no 'ret' field", name ? name : "the event");
	if (s->nw == s->capw) {
		size_t ncap = s->capw ? s->capw * 2 : 16;
		struct watch *nw = realloc(s->w, ncap * sizeof(*nw));

		if (!nw)
			return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		s->w = nw;
		s->capw = ncap;
	}
	s->w[s->nw] = w;
	s->widx[event_id] = (uint16_t)++s->nw;
	return 0;
}

static struct thr *thr_get(struct tk_sysstat *s, uint32_t tid)
{
	size_t mask, i;

	if ((s->nthr + 1) * 2 > s->capthr) {
		size_t ncap = s->capthr * 2, j;
		struct thr *nt = calloc(ncap, sizeof(*nt));

		if (!nt)
			return NULL;
		for (j = 0; j < s->capthr; j++) {
			if (!s->thr[j].used)
				continue;
			for (i = mix2(s->thr[j].tid, 0) & (ncap - 1); nt[i].used; i = (i + 1) & (ncap - 1))
				;
			nt[i] = s->thr[j];
		}
		free(s->thr);
		s->thr = nt;
		s->capthr = ncap;
	}
	mask = s->capthr - 1;
	for (i = mix2(tid, 0) & mask; s->thr[i].used; i = (i + 1) & mask)
		if (s->thr[i].tid == tid)
			return &s->thr[i];
	s->thr[i].used = true;
	s->thr[i].tid = tid;
	s->nthr++;
	return &s->thr[i];
}

static const char *task_comm(struct tk_sysstat *s, uint32_t tid)
{
	const char *c = s->sch->ops->comm(s->sch->arg, tid);

	return c ? c : tid == 0 ? "<idle>" : "<...>";
}

static int group_of(struct tk_sysstat *s, uint32_t tid, uint64_t *group)
{
	uint32_t tgid, id;
	const char *c;

	switch (s->by) {
	case TK_SYSSTAT_BY_SYSCALL:
		*group = 0;
		break;
	case TK_SYSSTAT_BY_TID:
		*group = tid;
		break;
	case TK_SYSSTAT_BY_PID:
		tgid = s->sch->ops->tgid(s->sch->arg, tid);
		*group = tgid ? tgid : tid;
		break;
	case TK_SYSSTAT_BY_COMM:
		c = task_comm(s, tid);
		if (tk_strtab_intern(s->strs, c, strlen(c), &id) < 0)
			return -TK_ENOMEM;
		*group = id;
		break;
	}
	return 0;
}

/* Row index + 1, or 0 without memory. */
static uint32_t row_get(struct tk_sysstat *s, uint64_t group, uint64_t nr, uint32_t tid)
{
	size_t mask = s->nrslots - 1, i;
	struct tk_sysstat_row *r;

	for (i = mix2(group, nr) & mask; s->rslots[i]; i = (i + 1) & mask) {
		r = &s->rows[s->rslots[i] - 1];
		if (r->group == group && r->nr == nr)
			return s->rslots[i];
	}
	if ((s->nrows + 1) * 2 > s->nrslots) {
		size_t ncap = s->nrslots * 2, j;
		uint32_t *ns = calloc(ncap, sizeof(*ns));

		if (!ns)
			return 0;
		for (j = 0; j < s->nrows; j++) {
			for (i = mix2(s->rows[j].group, s->rows[j].nr) & (ncap - 1); ns[i];
			     i = (i + 1) & (ncap - 1))
				;
			ns[i] = (uint32_t)j + 1;
		}
		free(s->rslots);
		s->rslots = ns;
		s->nrslots = ncap;
		mask = ncap - 1;
		for (i = mix2(group, nr) & mask; s->rslots[i]; i = (i + 1) & mask)
			;
	}
	if (s->nrows == s->caprows) {
		size_t ncap = s->caprows ? s->caprows * 2 : 64;
		struct tk_sysstat_row *nr2 = realloc(s->rows, ncap * sizeof(*nr2));

		if (!nr2)
			return 0;
		s->rows = nr2;
		s->caprows = ncap;
	}
	r = &s->rows[s->nrows];
	memset(r, 0, sizeof(*r));
	r->group = group;
	r->nr = nr;
	r->comm = TK_NOSTR;
	if (s->by == TK_SYSSTAT_BY_PID || s->by == TK_SYSSTAT_BY_TID) {
		const char *c = s->sch->ops->comm(s->sch->arg, (uint32_t)group);

		if (!c)
			c = task_comm(s, tid);
		if (tk_strtab_intern(s->strs, c, strlen(c), &r->comm) < 0)
			return 0;
	}
	tk_dist_init(&r->d, 1000);
	s->rslots[i] = (uint32_t)++s->nrows;
	return s->rslots[i];
}

int tk_sysstat_add(struct tk_sysstat *s, const struct tk_event *ev, const struct tk_payload *pl)
{
	const struct watch *w;
	struct thr *t;
	uint64_t nr, group;
	uint32_t ri;
	int rc;

	if (!pl || ev->kind == TK_EV_STACK || pl->event_id >= NIDS || !s->widx[pl->event_id])
		return 0;
	w = &s->w[s->widx[pl->event_id] - 1];
	nr = w->have_nr ? tk_field_u64(&w->nr_f, pl) : (uint64_t)w->nr;
	t = thr_get(s, ev->tid);
	if (!t)
		return -TK_ENOMEM;
	if (w->enter) {
		if (t->open)
			s->tot.entries_without_exit++;	/* its exit was not recorded */
		if ((rc = group_of(s, ev->tid, &group)) < 0)
			return rc;
		ri = row_get(s, group, nr, ev->tid);
		if (!ri)
			return -TK_ENOMEM;
		s->rows[ri - 1].calls++;
		s->tot.calls++;
		t->open = true;
		t->nr = nr;
		t->ts = ev->ts;
		t->row = ri;
		return 0;
	}
	if (!t->open || t->nr != nr) {
		/* No entry (the trace began inside the call): an error still counts. */
		int64_t ret = (int64_t)tk_field_u64(&w->ret_f, pl);

		if (t->open)
			s->tot.entries_without_exit++;
		t->open = false;
		s->tot.exits_without_entry++;
		if (ret < 0 && ret >= -4095) {
			if ((rc = group_of(s, ev->tid, &group)) < 0)
				return rc;
			ri = row_get(s, group, nr, ev->tid);
			if (!ri)
				return -TK_ENOMEM;
			s->rows[ri - 1].errors++;
			s->tot.errors++;
		}
		return 0;
	}
	{
		struct tk_sysstat_row *r = &s->rows[t->row - 1];
		int64_t ret = (int64_t)tk_field_u64(&w->ret_f, pl);
		uint64_t d = ev->ts >= t->ts ? ev->ts - t->ts : 0;

		if (ret < 0 && ret >= -4095) {
			r->errors++;
			s->tot.errors++;
		}
		if (tk_dist_add(&r->d, d) < 0)
			return -TK_ENOMEM;
		s->tot.pairs++;
		s->tot.total_ns += d;
		t->open = false;
	}
	return 0;
}

static int cmp_rows(const struct tk_sysstat_row *a, const struct tk_sysstat_row *b)
{
	if (a->d.sum != b->d.sum)
		return a->d.sum > b->d.sum ? -1 : 1;
	if (a->calls != b->calls)
		return a->calls > b->calls ? -1 : 1;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return a->nr < b->nr ? -1 : a->nr > b->nr;
}

static int cmp_rowp(const void *a, const void *b)
{
	return cmp_rows(*(const struct tk_sysstat_row *const *)a,
			*(const struct tk_sysstat_row *const *)b);
}

int tk_sysstat_finish(struct tk_sysstat *s)
{
	size_t i;

	for (i = 0; i < s->capthr; i++)
		if (s->thr[i].used && s->thr[i].open)
			s->tot.entries_without_exit++;
	for (i = 0; i < s->nrows; i++)
		tk_dist_finish(&s->rows[i].d);
	free(s->sorted);
	s->sorted = malloc((s->nrows ? s->nrows : 1) * sizeof(*s->sorted));
	if (!s->sorted)
		return -TK_ENOMEM;
	for (i = 0; i < s->nrows; i++)
		s->sorted[i] = &s->rows[i];
	/* the order is total, so qsort's instability does not show */
	qsort(s->sorted, s->nrows, sizeof(*s->sorted), cmp_rowp);
	return 0;
}

size_t tk_sysstat_get_rows(const struct tk_sysstat *s, const struct tk_sysstat_row *const **out)
{
	*out = s->sorted;
	return s->sorted ? s->nrows : 0;
}

const struct tk_sysstat_totals *tk_sysstat_get_totals(const struct tk_sysstat *s)
{
	return &s->tot;
}

enum tk_sysstat_by tk_sysstat_get_by(const struct tk_sysstat *s)
{
	return s->by;
}

const char *tk_sysstat_get_str(const struct tk_sysstat *s, uint32_t id)
{
	if (id >= tk_strtab_count(s->strs))
		return NULL;
	return tk_strtab_get(s->strs, id);
}
