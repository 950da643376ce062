/* SPDX-License-Identifier: MIT */
/*
 * Scheduler latency: our own per-task books and, on request, a replay of
 * perf sched latency's (perf 6.1). See schedlat.h for what is measured.
 */
#include "analyze/schedlat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/pmach-int.h"

/* ---- delays: u32 ns, the few above 4.29 s in a u64 side list ---- */

struct acc {
	uint64_t runtime, switches, ndelays, sum, max, max_start, max_end;
	uint64_t migrations, preemptions;
	uint32_t *d;
	size_t dn, dcap;
	uint64_t *big;
	size_t bn, bcap;
};

static int acc_delay(struct acc *a, uint64_t start, uint64_t end)
{
	uint64_t v = end - start;

	if (v <= UINT32_MAX) {
		if (a->dn == a->dcap) {
			size_t ncap = a->dcap ? a->dcap * 2 : 16;
			uint32_t *nd = realloc(a->d, ncap * sizeof(*nd));

			if (!nd)
				return -TK_ENOMEM;
			a->d = nd;
			a->dcap = ncap;
		}
		a->d[a->dn++] = (uint32_t)v;
	} else {
		if (a->bn == a->bcap) {
			size_t ncap = a->bcap ? a->bcap * 2 : 4;
			uint64_t *nb = realloc(a->big, ncap * sizeof(*nb));

			if (!nb)
				return -TK_ENOMEM;
			a->big = nb;
			a->bcap = ncap;
		}
		a->big[a->bn++] = v;
	}
	a->ndelays++;
	a->sum += v;
	if (v > a->max || a->ndelays == 1) {
		a->max = v;
		a->max_start = start;
		a->max_end = end;
	}
	return 0;
}

static void acc_free(struct acc *a)
{
	free(a->d);
	free(a->big);
}

/* ---- our books ---- */

struct ntask {
	int32_t tid;
	int last_cpu;		/* -1: has not run yet */
	bool running;
	uint64_t on_since;	/* switch-in time while running */
	uint64_t runnable;	/* became runnable at (0: not waiting) */
	struct acc a;
};

struct ncpu {
	bool seen;
	int32_t cur;		/* running tid, -1 unknown */
	uint64_t since;
	struct acc a;		/* used for BY_CPU; busy time in a.runtime */
	uint64_t switches;
};

/* ---- perf's books (one per perf thread, struct work_atoms) ---- */

enum { TH_SLEEPING = 0, TH_WAIT_CPU, TH_SCHED_IN, TH_IGNORE };

struct patoms {
	uint32_t thr;		/* pmach index */
	uint32_t seq;		/* creation order, stands in for perf's pointer order */
	int32_t tid;
	bool has_atom;
	int state;		/* of the last atom */
	uint64_t sched_out_time, wake_up_time;
	uint64_t max_lat, max_lat_start, max_lat_end, total_lat, nb_atoms, total_runtime;
	int num_merged;
	char comm[64];
};

struct tk_schedlat {
	const struct tk_schema *sch;
	struct tk_schedlat_opts o;
	/* ours */
	struct ntask *tasks;
	size_t ntasks, captasks;
	uint32_t *tmap;			/* tid -> task index + 1 */
	size_t tmapcap;
	struct ncpu *cpus;
	size_t ncpus;
	uint64_t first_ts, last_ts, nswitch;
	struct tk_schedlat_row *rows;
	size_t nrows;
	struct tk_schedlat_cpu *cpuout;
	size_t ncpuout;
	/* perf's */
	struct tk_pmach pm;
	struct patoms *pa;
	size_t npa, cappa;
	uint32_t *curr_pid;		/* per CPU, (u32)-1 unknown */
	size_t ncurr;
	struct tk_schedlat_perf_info info;
	struct tk_schedlat_perf_row *prows;
	size_t nprows;
};

static int task_map_grow(struct tk_schedlat *sl)
{
	size_t ncap = sl->tmapcap ? sl->tmapcap * 2 : 1024, i, j;
	uint32_t *nm = calloc(ncap, sizeof(*nm));

	if (!nm)
		return -TK_ENOMEM;
	for (i = 0; i < sl->tmapcap; i++) {
		uint32_t v = sl->tmap[i];

		if (!v)
			continue;
		for (j = ((uint32_t)sl->tasks[v - 1].tid * 2654435761u) & (ncap - 1); nm[j];
		     j = (j + 1) & (ncap - 1))
			;
		nm[j] = v;
	}
	free(sl->tmap);
	sl->tmap = nm;
	sl->tmapcap = ncap;
	return 0;
}

static struct ntask *task_get(struct tk_schedlat *sl, int32_t tid)
{
	size_t i;
	struct ntask *t;

	if ((sl->ntasks + 1) * 2 >= sl->tmapcap && task_map_grow(sl) < 0)
		return NULL;
	for (i = ((uint32_t)tid * 2654435761u) & (sl->tmapcap - 1); sl->tmap[i];
	     i = (i + 1) & (sl->tmapcap - 1))
		if (sl->tasks[sl->tmap[i] - 1].tid == tid)
			return &sl->tasks[sl->tmap[i] - 1];
	if (sl->ntasks == sl->captasks) {
		size_t ncap = sl->captasks ? sl->captasks * 2 : 256;
		struct ntask *nt = realloc(sl->tasks, ncap * sizeof(*nt));

		if (!nt)
			return NULL;
		sl->tasks = nt;
		sl->captasks = ncap;
	}
	t = &sl->tasks[sl->ntasks++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->last_cpu = -1;
	sl->tmap[i] = (uint32_t)sl->ntasks;
	return t;
}

static struct ncpu *cpu_get(struct tk_schedlat *sl, unsigned cpu)
{
	if (cpu >= sl->ncpus) {
		size_t n = cpu + 1, i;
		struct ncpu *nc = realloc(sl->cpus, n * sizeof(*nc));

		if (!nc)
			return NULL;
		for (i = sl->ncpus; i < n; i++) {
			memset(&nc[i], 0, sizeof(nc[i]));
			nc[i].cur = -1;
		}
		sl->cpus = nc;
		sl->ncpus = n;
	}
	return &sl->cpus[cpu];
}

struct tk_schedlat *tk_schedlat_create(const struct tk_schema *sch,
				       const struct tk_schedlat_opts *opts, struct tk_err *err)
{
	struct tk_schedlat *sl = calloc(1, sizeof(*sl));

	if (!sl) {
		tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		return NULL;
	}
	sl->sch = sch;
	if (opts)
		sl->o = *opts;
	if (task_map_grow(sl) < 0 || (sl->o.perf_compat &&
				      tk_pmach__init(&sl->pm, sch, sl->o.schema_comms) < 0)) {
		tk_schedlat_destroy(sl);
		tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		return NULL;
	}
	return sl;
}

void tk_schedlat_destroy(struct tk_schedlat *sl)
{
	size_t i;

	if (!sl)
		return;
	for (i = 0; i < sl->ntasks; i++)
		acc_free(&sl->tasks[i].a);
	for (i = 0; i < sl->ncpus; i++)
		acc_free(&sl->cpus[i].a);
	free(sl->tasks);
	free(sl->tmap);
	free(sl->cpus);
	free(sl->rows);
	free(sl->cpuout);
	if (sl->o.perf_compat)
		tk_pmach__fini(&sl->pm);
	free(sl->pa);
	free(sl->curr_pid);
	free(sl->prows);
	free(sl);
}

static bool cpu_ok(const struct tk_schedlat *sl, unsigned cpu)
{
	return !sl->o.cpu_filter || (cpu < 1024 && (sl->o.cpumask[cpu / 64] >> (cpu % 64) & 1));
}

static bool in_window(const struct tk_schedlat *sl, uint64_t ts)
{
	return (!sl->o.from || ts >= sl->o.from) && (!sl->o.to || ts <= sl->o.to);
}

/* run time of [a, b] inside the window */
static uint64_t clip(const struct tk_schedlat *sl, uint64_t a, uint64_t b)
{
	if (sl->o.from && a < sl->o.from)
		a = sl->o.from;
	if (sl->o.to && b > sl->o.to)
		b = sl->o.to;
	return b > a ? b - a : 0;
}

static int native_switch(struct tk_schedlat *sl, const struct tk_event *ev)
{
	struct ncpu *c = cpu_get(sl, ev->cpu);
	int32_t prev = (int32_t)ev->tid, next = (int32_t)ev->u.sw.next_tid;
	bool by_cpu = sl->o.by == TK_SCHEDLAT_BY_CPU;
	struct ntask *p, *n;
	int rc;

	if (!c)
		return -TK_ENOMEM;
	sl->nswitch++;
	if (prev != 0) {
		uint64_t since, run;

		if (!(p = task_get(sl, prev)))
			return -TK_ENOMEM;
		/*
		 * It ran since the CPU's last switch (whatever that said), or
		 * since the trace began if this is the CPU's first.
		 */
		since = c->seen ? c->since : sl->first_ts;
		run = cpu_ok(sl, ev->cpu) ? clip(sl, since, ev->ts) : 0;
		p->a.runtime += run;
		c->a.runtime += run;
		p->running = false;
		p->runnable = 0;
		if (ev->u.sw.prev_state == 0 || (ev->flags & TK_EVF_PREEMPT)) {
			p->runnable = ev->ts;
			if (in_window(sl, ev->ts) && cpu_ok(sl, ev->cpu)) {
				p->a.preemptions++;
				c->a.preemptions++;
			}
		}
		if (p->last_cpu < 0)
			p->last_cpu = ev->cpu;
	}
	if (next != 0) {
		struct acc *a;

		if (!(n = task_get(sl, next)))
			return -TK_ENOMEM;
		a = by_cpu ? &c->a : &n->a;
		if (in_window(sl, ev->ts) && cpu_ok(sl, ev->cpu)) {
			n->a.switches++;
			c->a.switches++;
			if (n->last_cpu >= 0 && n->last_cpu != ev->cpu) {
				n->a.migrations++;
				c->a.migrations++;
			}
			if (n->runnable && (rc = acc_delay(a, n->runnable, ev->ts)) < 0)
				return rc;
		}
		n->runnable = 0;
		n->running = true;
		n->on_since = ev->ts;
		n->last_cpu = ev->cpu;
	}
	c->seen = true;
	c->switches++;
	c->cur = next;
	c->since = ev->ts;
	return 0;
}

static int native_wakeup(struct tk_schedlat *sl, const struct tk_event *ev)
{
	struct ntask *t;

	if (!ev->u.wake.success || ev->u.wake.target_tid == 0)
		return 0;
	if (!(t = task_get(sl, (int32_t)ev->u.wake.target_tid)))
		return -TK_ENOMEM;
	/* the first of waking/wakeup since it slept starts the delay */
	if (!t->running && !t->runnable)
		t->runnable = ev->ts;
	return 0;
}

/* ---- perf's books ---- */

static struct patoms *patoms_find(struct tk_schedlat *sl, uint32_t thr)
{
	uint32_t u = sl->pm.thr[thr].user;

	return u == TK_PMACH_NONE ? NULL : &sl->pa[u];
}

static struct patoms *patoms_insert(struct tk_schedlat *sl, uint32_t thr)
{
	struct patoms *a;

	if (sl->npa == sl->cappa) {
		size_t ncap = sl->cappa ? sl->cappa * 2 : 256;
		struct patoms *np = realloc(sl->pa, ncap * sizeof(*np));

		if (!np)
			return NULL;
		sl->pa = np;
		sl->cappa = ncap;
	}
	a = &sl->pa[sl->npa];
	memset(a, 0, sizeof(*a));
	a->thr = thr;
	a->seq = (uint32_t)sl->npa;
	a->tid = sl->pm.thr[thr].tid;
	sl->pm.thr[thr].user = (uint32_t)sl->npa++;
	return a;
}

/* add_sched_out_event: a new atom; 'R' means waiting for a CPU from now */
static void sched_out(struct patoms *a, bool runnable, uint64_t ts)
{
	a->has_atom = true;
	a->sched_out_time = ts;
	a->wake_up_time = 0;
	a->state = TH_SLEEPING;
	if (runnable) {
		a->state = TH_WAIT_CPU;
		a->wake_up_time = ts;
	}
}

static void sched_in(struct patoms *a, uint64_t ts)
{
	uint64_t d;

	if (!a->has_atom || a->state != TH_WAIT_CPU)
		return;
	if (ts < a->wake_up_time) {
		a->state = TH_IGNORE;
		return;
	}
	a->state = TH_SCHED_IN;
	d = ts - a->wake_up_time;
	a->total_lat += d;
	if (d > a->max_lat) {
		a->max_lat = d;
		a->max_lat_start = a->wake_up_time;
		a->max_lat_end = ts;
	}
	a->nb_atoms++;
}

/* atoms of the thread perf names by tid (findnew(-1, tid)), made if new */
static struct patoms *perf_atoms(struct tk_schedlat *sl, int32_t tid, bool *created)
{
	uint32_t thr = tk_pmach__findnew(&sl->pm, -1, tid);
	struct patoms *a;

	*created = false;
	if (thr == TK_PMACH_NONE)
		return NULL;
	if ((a = patoms_find(sl, thr)))
		return a;
	*created = true;
	return patoms_insert(sl, thr);
}

static int perf_switch(struct tk_schedlat *sl, const struct tk_event *ev)
{
	uint32_t prev = ev->tid, next = ev->u.sw.next_tid;
	struct patoms *out, *in;
	bool created;

	if (ev->cpu >= sl->ncurr) {
		size_t n = (size_t)ev->cpu + 1, i;
		uint32_t *nc = realloc(sl->curr_pid, n * sizeof(*nc));

		if (!nc)
			return -TK_ENOMEM;
		for (i = sl->ncurr; i < n; i++)
			nc[i] = UINT32_MAX;
		sl->curr_pid = nc;
		sl->ncurr = n;
	}
	/* switching away a task that is not the CPU's current one */
	if (sl->curr_pid[ev->cpu] != UINT32_MAX && sl->curr_pid[ev->cpu] != prev)
		sl->info.nr_context_switch_bugs++;
	sl->curr_pid[ev->cpu] = next;

	if (!(out = perf_atoms(sl, (int32_t)prev, &created)))
		return -TK_ENOMEM;
	/*
	 * perf 6.1 maps prev_state to a letter by indexing "RSDTtXZPI" with
	 * the raw value, so only a plain 0 is 'R': a preempted task (the
	 * kernel's TASK_REPORT_MAX bit) does not count as waiting for a CPU.
	 */
	sched_out(out, ev->u.sw.prev_state == 0 && !(ev->flags & TK_EVF_PREEMPT), ev->ts);
	if (!(in = perf_atoms(sl, (int32_t)next, &created)))
		return -TK_ENOMEM;
	if (created)
		sched_out(in, true, ev->ts);
	sched_in(in, ev->ts);
	return 0;
}

static int perf_runtime(struct tk_schedlat *sl, const struct tk_event *ev)
{
	bool created;
	struct patoms *a = perf_atoms(sl, (int32_t)ev->u.rt.target_tid, &created);

	if (!a)
		return -TK_ENOMEM;
	if (created)
		sched_out(a, true, ev->ts);
	a->total_runtime += ev->u.rt.runtime;
	return 0;
}

static int perf_wakeup(struct tk_schedlat *sl, const struct tk_event *ev)
{
	bool created;
	struct patoms *a;

	/* perf 6.1's latency has no handler for sched_waking */
	if (ev->flags & TK_EVF_WAKING)
		return 0;
	if (!(a = perf_atoms(sl, (int32_t)ev->u.wake.target_tid, &created)))
		return -TK_ENOMEM;
	if (created)
		sched_out(a, false, ev->ts);
	if (a->state != TH_SLEEPING)
		return 0;
	sl->info.nr_timestamps++;
	if (a->sched_out_time > ev->ts) {
		sl->info.nr_unordered_timestamps++;
		return 0;
	}
	a->state = TH_WAIT_CPU;
	a->wake_up_time = ev->ts;
	return 0;
}

static int perf_event(struct tk_schedlat *sl, const struct tk_event *ev,
		      const struct tk_payload *pl, const struct tk_evmeta *meta)
{
	if (ev->kind != TK_EV_STACK)
		sl->info.nr_events++;
	switch (ev->kind) {
	case TK_EV_SWITCH:
		return perf_switch(sl, ev);
	case TK_EV_RUNTIME:
		return perf_runtime(sl, ev);
	case TK_EV_WAKEUP:
		return perf_wakeup(sl, ev);
	case TK_EV_FORK:
		if (pl || !meta)
			return 0;
		return tk_pmach__fork(&sl->pm, meta->pid, meta->ppid, meta->tid, meta->ptid);
	case TK_EV_COMM:
		if (pl)
			return 0;
		return tk_pmach__comm(&sl->pm, meta ? meta->pid : (int32_t)ev->u.comm.pid,
				      (int32_t)ev->tid, ev->u.comm.comm);
	case TK_EV_LOST:
		sl->info.nr_lost_events += ev->u.lost.count;
		sl->info.nr_lost_chunks++;
		return 0;
	}
	return 0;
}

int tk_schedlat_event(struct tk_schedlat *sl, const struct tk_event *ev,
		      const struct tk_payload *pl, const struct tk_evmeta *meta)
{
	int rc = 0;

	if (ev->kind == TK_EV_STACK)
		return 0;
	if (!sl->first_ts || ev->ts < sl->first_ts)
		sl->first_ts = ev->ts;
	if (ev->ts > sl->last_ts)
		sl->last_ts = ev->ts;
	if (ev->kind == TK_EV_SWITCH)
		rc = native_switch(sl, ev);
	else if (ev->kind == TK_EV_WAKEUP)
		rc = native_wakeup(sl, ev);
	if (rc == 0 && sl->o.perf_compat)
		rc = perf_event(sl, ev, pl, meta);
	return rc;
}

uint64_t tk_schedlat_get_nswitch(const struct tk_schedlat *sl)
{
	return sl->nswitch;
}

/* ---- results ---- */

/* nearest rank (1-based): ceil(p/100 * n), p in tenths of a percent so the math is exact */
static size_t pct_rank(size_t n, double p)
{
	size_t rank = ((size_t)(p * 10.0 + 0.5) * n + 999) / 1000;

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return rank;
}

uint64_t tk_schedlat_pct(const uint64_t *sorted, size_t n, double p)
{
	return n ? sorted[pct_rank(n, p) - 1] : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void acc_merge(struct acc *to, const struct acc *from)
{
	to->runtime += from->runtime;
	to->switches += from->switches;
	to->migrations += from->migrations;
	to->preemptions += from->preemptions;
	if (from->ndelays && (!to->ndelays || from->max > to->max)) {
		to->max = from->max;
		to->max_start = from->max_start;
		to->max_end = from->max_end;
	}
	to->ndelays += from->ndelays;
	to->sum += from->sum;
}

struct group {
	int64_t key;
	const char *name;
	struct acc a;
	size_t first, count;	/* members in the order array */
};

static const char *task_name(const struct tk_schedlat *sl, int32_t tid)
{
	const char *c = NULL;

	if (tid == 0)
		return "<idle>";
	if (sl->sch && sl->sch->ops->comm)
		c = sl->sch->ops->comm(sl->sch->arg, (uint32_t)tid);
	return c ? c : "<unknown>";
}

static uint32_t task_pid(const struct tk_schedlat *sl, int32_t tid)
{
	return sl->sch && sl->sch->ops->tgid ? sl->sch->ops->tgid(sl->sch->arg, (uint32_t)tid) : 0;
}

struct keyed {
	int64_t key;
	const char *name;
	size_t idx;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c;

	if (x->name && y->name && (c = strcmp(x->name, y->name)))
		return c;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static uint64_t sort_value(enum tk_schedlat_sort sort, const struct tk_schedlat_row *r)
{
	switch (sort) {
	case TK_SCHEDLAT_SORT_MAX:
		return r->max;
	case TK_SCHEDLAT_SORT_RUNTIME:
		return r->runtime;
	case TK_SCHEDLAT_SORT_AVG:
		return r->ndelays ? r->delay_sum / r->ndelays : 0;
	case TK_SCHEDLAT_SORT_P99:
		return r->p99;
	case TK_SCHEDLAT_SORT_SWITCHES:
		return r->switches;
	case TK_SCHEDLAT_SORT_KEY:
		break;
	}
	return 0;
}

/* Descending by the sort value, then run time, then key and name. */
static int row_before(enum tk_schedlat_sort sort, const struct tk_schedlat_row *x,
		      const struct tk_schedlat_row *y)
{
	uint64_t vx = sort_value(sort, x), vy = sort_value(sort, y);

	if (vx != vy)
		return vx > vy;
	if (sort != TK_SCHEDLAT_SORT_KEY && x->runtime != y->runtime)
		return x->runtime > y->runtime;
	if (x->tid != y->tid)
		return x->tid < y->tid;
	return strcmp(x->name, y->name) < 0;
}

/* Merge sort with the sort kind as context (qsort has none). */
static void sort_rows(enum tk_schedlat_sort sort, struct tk_schedlat_row *v,
		      struct tk_schedlat_row *tmp, size_t n)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n < 2)
		return;
	sort_rows(sort, v, tmp, h);
	sort_rows(sort, v + h, tmp, n - h);
	while (i < h && j < n)
		tmp[k++] = row_before(sort, &v[j], &v[i]) ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

/*
 * u32 keys in two 16-bit LSD radix passes: linear in the number of
 * delays, which can be millions for one busy task (qsort was a tenth of
 * a run on a 240 MB trace).
 */
static void radix_u32(uint32_t *v, uint32_t *tmp, size_t n)
{
	static const int shifts[2] = { 0, 16 };
	size_t *cnt = calloc(65536, sizeof(*cnt));
	int pass;

	if (!cnt) {
		/* no memory for counts: sort in place the slow way */
		size_t i, j;

		for (i = 1; i < n; i++) {
			uint32_t x = v[i];

			for (j = i; j > 0 && v[j - 1] > x; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
		return;
	}
	for (pass = 0; pass < 2; pass++) {
		size_t i, sum = 0;
		int sh = shifts[pass];

		memset(cnt, 0, 65536 * sizeof(*cnt));
		for (i = 0; i < n; i++)
			cnt[(v[i] >> sh) & 0xffff]++;
		for (i = 0; i < 65536; i++) {
			size_t c = cnt[i];

			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			tmp[cnt[(v[i] >> sh) & 0xffff]++] = v[i];
		memcpy(v, tmp, n * sizeof(*v));
	}
	free(cnt);
}

/* Percentiles of the delays of a set of accumulators. */
static int fill_pcts(struct tk_schedlat_row *r, struct acc *const *accs, size_t n)
{
	size_t small = 0, big = 0, i, j, k = 0, total;
	uint32_t *v, *tmp;
	uint64_t *b;

	for (i = 0; i < n; i++) {
		small += accs[i]->dn;
		big += accs[i]->bn;
	}
	total = small + big;
	if (!total)
		return 0;
	v = malloc((small ? small : 1) * sizeof(*v));
	tmp = malloc((small ? small : 1) * sizeof(*tmp));
	b = malloc((big ? big : 1) * sizeof(*b));
	if (!v || !tmp || !b) {
		free(v);
		free(tmp);
		free(b);
		return -TK_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		memcpy(v + k, accs[i]->d, accs[i]->dn * sizeof(*v));
		k += accs[i]->dn;
	}
	for (i = 0, k = 0; i < n; i++)
		for (j = 0; j < accs[i]->bn; j++)
			b[k++] = accs[i]->big[j];
	radix_u32(v, tmp, small);
	qsort(b, big, sizeof(*b), cmp_u64);
	free(tmp);
	/*
	 * Every value in the side list is above UINT32_MAX, so the sorted
	 * delays are v then b; index into the pair instead of copying.
	 */
	{
		static const double ps[4] = { 50, 90, 99, 99.9 };
		uint64_t *outs[4] = { &r->p50, &r->p90, &r->p99, &r->p999 };
		int q;

		for (q = 0; q < 4; q++) {
			size_t rank = pct_rank(total, ps[q]);

			*outs[q] = rank <= small ? v[rank - 1] : b[rank - small - 1];
		}
	}
	free(v);
	free(b);
	return 0;
}

static void row_from_acc(struct tk_schedlat_row *r, const struct acc *a)
{
	r->runtime = a->runtime;
	r->switches = a->switches;
	r->ndelays = a->ndelays;
	r->delay_sum = a->sum;
	r->max = a->max;
	r->max_start = a->max_start;
	r->max_end = a->max_end;
	r->migrations = a->migrations;
	r->preemptions = a->preemptions;
}

int tk_schedlat_get_rows(struct tk_schedlat *sl, enum tk_schedlat_sort sort,
			 const struct tk_schedlat_row **rows, size_t *n)
{
	struct keyed *ks = NULL;
	struct acc **accs = NULL;
	size_t nk = 0, i, j, nr = 0;
	int rc = -TK_ENOMEM;

	free(sl->rows);
	sl->rows = NULL;
	sl->nrows = 0;
	if (sl->o.by == TK_SCHEDLAT_BY_CPU) {
		sl->rows = calloc(sl->ncpus ? sl->ncpus : 1, sizeof(*sl->rows));
		if (!sl->rows)
			return -TK_ENOMEM;
		for (i = 0; i < sl->ncpus; i++) {
			struct tk_schedlat_row *r = &sl->rows[nr];
			struct acc *a = &sl->cpus[i].a;

			if (!sl->cpus[i].seen || !cpu_ok(sl, (unsigned)i))
				continue;
			snprintf(r->name, sizeof(r->name), "CPU %zu", i);
			r->tid = (int32_t)i;
			r->ntasks = 1;
			row_from_acc(r, a);
			if (fill_pcts(r, &a, 1) < 0)
				return -TK_ENOMEM;
			nr++;
		}
	} else {
		ks = calloc(sl->ntasks ? sl->ntasks : 1, sizeof(*ks));
		accs = calloc(sl->ntasks ? sl->ntasks : 1, sizeof(*accs));
		sl->rows = calloc(sl->ntasks ? sl->ntasks : 1, sizeof(*sl->rows));
		if (!ks || !accs || !sl->rows)
			goto out;
		for (i = 0; i < sl->ntasks; i++) {
			int32_t tid = sl->tasks[i].tid;

			ks[nk].idx = i;
			if (sl->o.by == TK_SCHEDLAT_BY_COMM) {
				ks[nk].name = task_name(sl, tid);
				ks[nk].key = -1;
			} else if (sl->o.by == TK_SCHEDLAT_BY_PID) {
				uint32_t pid = task_pid(sl, tid);

				ks[nk].key = pid ? (int64_t)pid : (int64_t)tid;
			} else {
				ks[nk].key = tid;
			}
			nk++;
		}
		qsort(ks, nk, sizeof(*ks), cmp_keyed);
		for (i = 0; i < nk; i = j) {
			struct tk_schedlat_row *r = &sl->rows[nr];
			struct acc sum;
			size_t m = 0;

			memset(&sum, 0, sizeof(sum));
			for (j = i; j < nk && ks[j].key == ks[i].key &&
				    (!ks[i].name || !strcmp(ks[j].name, ks[i].name)); j++) {
				accs[m++] = &sl->tasks[ks[j].idx].a;
				acc_merge(&sum, &sl->tasks[ks[j].idx].a);
			}
			row_from_acc(r, &sum);
			r->ntasks = (uint32_t)m;
			if (sl->o.by == TK_SCHEDLAT_BY_COMM) {
				snprintf(r->name, sizeof(r->name), "%s", ks[i].name);
				r->tid = -1;
			} else {
				/* a group is named after its leader, or its first member */
				int32_t lead = (int32_t)ks[i].key;

				snprintf(r->name, sizeof(r->name), "%s",
					 task_name(sl, sl->o.by == TK_SCHEDLAT_BY_PID ? lead
						   : sl->tasks[ks[i].idx].tid));
				r->tid = lead;
				if (sl->o.by == TK_SCHEDLAT_BY_TID)
					r->pid = (int32_t)task_pid(sl, lead);
			}
			if (fill_pcts(r, accs, m) < 0)
				goto out;
			nr++;
		}
	}
	{
		struct tk_schedlat_row *tmp = malloc((nr ? nr : 1) * sizeof(*tmp));

		if (!tmp)
			goto out;
		sort_rows(sort, sl->rows, tmp, nr);
		free(tmp);
	}
	sl->nrows = nr;
	*rows = sl->rows;
	*n = nr;
	rc = 0;
out:
	free(ks);
	free(accs);
	return rc;
}

const struct tk_schedlat_cpu *tk_schedlat_get_cpus(struct tk_schedlat *sl, size_t *n)
{
	struct tk_schedlat *w = sl;
	size_t i, k = 0;

	free(w->cpuout);
	w->cpuout = calloc(sl->ncpus ? sl->ncpus : 1, sizeof(*w->cpuout));
	*n = 0;
	if (!w->cpuout)
		return NULL;
	for (i = 0; i < sl->ncpus; i++) {
		const struct ncpu *c = &sl->cpus[i];
		uint64_t busy = c->a.runtime;

		if (!c->seen || !cpu_ok(sl, (unsigned)i))
			continue;
		/* the task still running at the end ran until the trace ended */
		if (c->cur > 0)
			busy += clip(sl, c->since, sl->last_ts);
		w->cpuout[k].cpu = (int)i;
		w->cpuout[k].busy = busy;
		w->cpuout[k].span = clip(sl, sl->first_ts, sl->last_ts);
		w->cpuout[k].switches = c->switches;
		k++;
	}
	*n = k;
	return w->cpuout;
}

/* ---- perf's table ---- */

enum { PK_PID, PK_AVG, PK_MAX, PK_SWITCH, PK_RUNTIME };

static int perf_cmp1(int key, const struct patoms *l, const struct patoms *r)
{
	uint64_t a, b;

	switch (key) {
	case PK_AVG:
		if (!l->nb_atoms)
			return -1;
		if (!r->nb_atoms)
			return 1;
		a = l->total_lat / l->nb_atoms;
		b = r->total_lat / r->nb_atoms;
		break;
	case PK_MAX:
		a = l->max_lat, b = r->max_lat;
		break;
	case PK_SWITCH:
		a = l->nb_atoms, b = r->nb_atoms;
		break;
	case PK_RUNTIME:
		a = l->total_runtime, b = r->total_runtime;
		break;
	default:	/* pid: the thread, by tid then by which came first */
		if (l == r)
			return 0;
		if (l->tid != r->tid)
			return l->tid < r->tid ? -1 : 1;
		return l->seq < r->seq ? -1 : 1;
	}
	return a < b ? -1 : a > b;
}

struct pctx {
	const struct tk_schedlat *sl;
	const int *keys;
	int nkeys;
};

static int perf_pid_cmp(const struct tk_schedlat *sl, const struct patoms *l,
			const struct patoms *r)
{
	int32_t a = sl->pm.thr[l->thr].tid, b = sl->pm.thr[r->thr].tid;

	if (a != b)
		return a < b ? -1 : 1;
	return l->seq < r->seq ? -1 : l->seq > r->seq;
}

/*
 * perf keeps its rows in rb-trees where a key that compares greater goes
 * left and equal keys go right, and prints from the left: a stable sort,
 * descending, of the insertion order. Insertion sort keeps it stable.
 */
static void perf_insert_sorted(struct patoms **v, size_t n, const int *keys, int nkeys)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct patoms *x = v[i];

		for (j = i; j > 0; j--) {
			int c = 0, k;

			for (k = 0; k < nkeys && !c; k++)
				c = perf_cmp1(keys[k], x, v[j - 1]);
			if (c <= 0)
				break;
			v[j] = v[j - 1];
		}
		v[j] = x;
	}
}

int tk_schedlat_get_perf(struct tk_schedlat *sl, const char *sort,
			 const struct tk_schedlat_perf_row **rows, size_t *n,
			 struct tk_schedlat_perf_info *info, struct tk_err *err)
{
	int keys[16], nkeys = 0;
	char buf[256], *tok, *save = NULL;
	struct patoms **v;
	size_t i, j, nv = 0;

	if (!sl->o.perf_compat)
		return tk_err_set(err, TK_EINVAL, -1, "perf compatibility was not enabled");
	snprintf(buf, sizeof(buf), "%s", sort ? sort : "avg, max, switch, runtime");
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		static const char *const names[] = { "pid", "avg", "max", "switch", "runtime" };
		int k;

		for (k = 0; k < 5 && strcmp(tok, names[k]); k++)
			;
		if (k == 5)
			return tk_err_set(err, TK_EINVAL, -1, "unknown sort key '%s' (pid, avg, max, switch, runtime)", tok);
		if (nkeys < 16)
			keys[nkeys++] = k;
	}
	v = calloc(sl->npa ? sl->npa : 1, sizeof(*v));
	if (!v)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	for (i = 0; i < sl->npa; i++) {
		char cb[32];

		snprintf(sl->pa[i].comm, sizeof(sl->pa[i].comm), "%s",
			 tk_pmach__comm_str(&sl->pm, sl->pa[i].thr, cb, sizeof(cb)));
		v[nv++] = &sl->pa[i];
	}
	/* the tree by thread: largest tid (then latest thread) first */
	for (i = 1; i < nv; i++) {
		struct patoms *x = v[i];

		for (j = i; j > 0 && perf_pid_cmp(sl, x, v[j - 1]) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	if (!sl->o.perf_per_pid) {
		/* merge by comm; the merged tree is walked from the greatest name */
		size_t nm = 0;

		for (i = 0; i < nv; i++) {
			struct patoms *d = v[i];

			for (j = 0; j < nm && strcmp(v[j]->comm, d->comm); j++)
				;
			if (j < nm) {
				struct patoms *t = v[j];

				t->num_merged++;
				t->total_runtime += d->total_runtime;
				t->nb_atoms += d->nb_atoms;
				t->total_lat += d->total_lat;
				if (t->max_lat < d->max_lat) {
					t->max_lat = d->max_lat;
					t->max_lat_start = d->max_lat_start;
					t->max_lat_end = d->max_lat_end;
				}
				continue;
			}
			d->num_merged = 1;
			v[nm++] = d;
		}
		nv = nm;
		for (i = 1; i < nv; i++) {
			struct patoms *x = v[i];

			for (j = i; j > 0 && strcmp(x->comm, v[j - 1]->comm) > 0; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
	}
	perf_insert_sorted(v, nv, keys, nkeys);
	free(sl->prows);
	sl->prows = calloc(nv ? nv : 1, sizeof(*sl->prows));
	if (!sl->prows) {
		free(v);
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	}
	sl->nprows = 0;
	for (i = 0; i < nv; i++) {
		struct tk_schedlat_perf_row *r = &sl->prows[sl->nprows];

		/* output_lat_thread: no atoms, or the idle task: not printed */
		if (!v[i]->nb_atoms || !strcmp(v[i]->comm, "swapper"))
			continue;
		snprintf(r->comm, sizeof(r->comm), "%s", v[i]->comm);
		r->tid = sl->pm.thr[v[i]->thr].tid;
		r->num_merged = v[i]->num_merged;
		r->total_runtime = v[i]->total_runtime;
		r->nb_atoms = v[i]->nb_atoms;
		r->total_lat = v[i]->total_lat;
		r->max_lat = v[i]->max_lat;
		r->max_lat_start = v[i]->max_lat_start;
		r->max_lat_end = v[i]->max_lat_end;
		sl->nprows++;
	}
	free(v);
	*rows = sl->prows;
	*n = sl->nprows;
	*info = sl->info;
	return 0;
}
