/* SPDX-License-Identifier: MIT */
/*
 * perf sched timehist's bookkeeping (perf 6.1): per perf thread the time
 * it was last switched out and in what state, when it became ready to run
 * (the first wakeup since it last ran), its run statistics; per CPU the
 * time of the last switch and an idle task of its own.
 */
#include "analyze/timehist.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/pmach-int.h"

struct trt {
	uint64_t last_time, ready_to_run;
	uint64_t dt_run, dt_wait, dt_delay;
	uint64_t total_run_time, migrations;
	uint64_t last_state;
	/* perf's struct stats: Welford's running mean */
	uint64_t n, min, max;
	double mean, m2;
};

struct tk_timehist {
	struct tk_timehist_opts o;
	tk_timehist_line_fn fn;
	void *arg;
	struct tk_pmach pm;
	struct trt *rt;			/* per perf thread (pm user index) */
	size_t nrt, caprt;
	struct trt *idle;		/* per CPU idle task */
	size_t nidle;			/* perf's idle_max_cpu */
	uint64_t *last_switch;		/* per CPU: sched_switch last seen */
	size_t nlast;
	int max_cpu;
	uint64_t skipped, nswitch;
	uint64_t hist_start, hist_end;
	struct tk_timehist_task *tasks;
	struct tk_timehist_idle *idles;
	char buf1[32], buf2[32];
};

static void rt_init(struct trt *r)
{
	memset(r, 0, sizeof(*r));
	r->min = UINT64_MAX;
}

static void update_stats(struct trt *r, uint64_t val)
{
	double delta;

	r->n++;
	delta = (double)val - r->mean;
	r->mean += delta / (double)r->n;
	r->m2 += delta * ((double)val - r->mean);
	if (val > r->max)
		r->max = val;
	if (val < r->min)
		r->min = val;
}

static int idle_grow(struct tk_timehist *th, size_t n)
{
	struct trt *ni;
	size_t i;

	if (n <= th->nidle)
		return 0;
	ni = realloc(th->idle, n * sizeof(*ni));
	if (!ni)
		return -TK_ENOMEM;
	for (i = th->nidle; i < n; i++)
		rt_init(&ni[i]);
	th->idle = ni;
	th->nidle = n;
	return 0;
}

struct tk_timehist *tk_timehist_create(const struct tk_schema *sch,
				       const struct tk_timehist_opts *opts,
				       tk_timehist_line_fn fn, void *arg, struct tk_err *err)
{
	struct tk_timehist *th = calloc(1, sizeof(*th));

	if (!th) {
		tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		return NULL;
	}
	if (opts)
		th->o = *opts;
	th->fn = fn;
	th->arg = arg;
	/* perf: the header's online CPUs, 4 when it has none */
	th->max_cpu = th->o.ncpus > 0 ? th->o.ncpus : 4;
	if (tk_pmach__init(&th->pm, sch, th->o.schema_comms) < 0 ||
	    idle_grow(th, (size_t)th->max_cpu) < 0) {
		tk_timehist_destroy(th);
		tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		return NULL;
	}
	return th;
}

void tk_timehist_destroy(struct tk_timehist *th)
{
	if (!th)
		return;
	tk_pmach__fini(&th->pm);
	free(th->rt);
	free(th->idle);
	free(th->last_switch);
	free(th->tasks);
	free(th->idles);
	free(th);
}

uint64_t tk_timehist_get_nswitch(const struct tk_timehist *th)
{
	return th->nswitch;
}

/* thread__get_runtime: made on first use */
static struct trt *runtime_of(struct tk_timehist *th, uint32_t thr)
{
	struct tk_pmach_thr *t = &th->pm.thr[thr];

	if (t->user != TK_PMACH_NONE)
		return &th->rt[t->user];
	if (th->nrt == th->caprt) {
		size_t ncap = th->caprt ? th->caprt * 2 : 256;
		struct trt *nr = realloc(th->rt, ncap * sizeof(*nr));

		if (!nr)
			return NULL;
		th->rt = nr;
		th->caprt = ncap;
	}
	rt_init(&th->rt[th->nrt]);
	t->user = (uint32_t)th->nrt;
	return &th->rt[th->nrt++];
}

static bool in_list(const int32_t *v, size_t n, int32_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* thread__is_filtered on perf's pid and tid lists */
static bool filtered(const struct tk_timehist *th, int32_t pid, int32_t tid)
{
	if (th->o.pids && !in_list(th->o.pids, th->o.npids, pid))
		return true;
	if (th->o.tids && !in_list(th->o.tids, th->o.ntids, tid))
		return true;
	return false;
}

static bool cpu_listed(const struct tk_timehist *th, unsigned cpu)
{
	return !th->o.cpu_filter || (cpu < 1024 && (th->o.cpumask[cpu / 64] >> (cpu % 64) & 1));
}

/* timehist_get_commstr */
static const char *commstr(const struct tk_timehist *th, uint32_t thr, char *buf, size_t len)
{
	const struct tk_pmach_thr *t = &th->pm.thr[thr];
	char cb[32];
	const char *comm = tk_pmach__comm_str(&th->pm, thr, cb, sizeof(cb));

	if (t->pid == 0)
		snprintf(buf, len, "%s", comm);
	else if (t->tid != t->pid)
		snprintf(buf, len, "%s[%d/%d]", comm, t->tid, t->pid);
	else
		snprintf(buf, len, "%s[%d]", comm, t->tid);
	return buf;
}

/*
 * The sample's pid/tid as perf has them; a trace.dat has only the tid
 * (common_pid), so its thread group comes from the schema (or is the tid).
 */
static void sample_ids(const struct tk_timehist *th, const struct tk_event *ev,
		       const struct tk_evmeta *meta, int32_t *pid, int32_t *tid)
{
	const struct tk_schema *sch = th->pm.sch;
	uint32_t tg;

	*pid = meta ? meta->pid : -1;
	*tid = meta ? meta->tid : (int32_t)ev->tid;
	if (*pid != -1 || *tid < 0)
		return;
	tg = sch && sch->ops->tgid ? sch->ops->tgid(sch->arg, (uint32_t)*tid) : 0;
	*pid = tg ? (int32_t)tg : *tid;
}

static void update_runtime(struct trt *r, uint64_t t, uint64_t tprev)
{
	r->dt_delay = r->dt_wait = r->dt_run = 0;
	if (tprev) {
		r->dt_run = t - tprev;
		if (r->ready_to_run && r->ready_to_run <= tprev)
			r->dt_delay = tprev - r->ready_to_run;
		if (r->last_time && r->last_time <= tprev)
			r->dt_wait = tprev - r->last_time;
	}
	update_stats(r, r->dt_run);
	r->total_run_time += r->dt_run;
}

static int on_switch(struct tk_timehist *th, const struct tk_event *ev,
		     const struct tk_evmeta *meta)
{
	int32_t spid, stid;
	uint64_t t = ev->ts, tprev;
	struct trt *tr = NULL;
	uint32_t thr = TK_PMACH_NONE;
	bool idle = ev->tid == 0;
	int32_t fpid, ftid;
	int rc = 0;

	th->nswitch++;
	sample_ids(th, ev, meta, &spid, &stid);
	/* machine__resolve looks the sample's thread up first */
	if (tk_pmach__findnew(&th->pm, spid, stid) == TK_PMACH_NONE)
		return -TK_ENOMEM;
	if (idle) {
		if (ev->cpu >= th->nidle) {
			size_t n = 1;

			while (n < (size_t)ev->cpu + 1)
				n *= 2;
			if (idle_grow(th, n) < 0)
				return -TK_ENOMEM;
		}
		fpid = ftid = 0;
	} else {
		thr = tk_pmach__findnew(&th->pm, spid, stid ? stid : spid);
		/* save_task_callchain wants the process's main thread */
		if (thr == TK_PMACH_NONE || tk_pmach__findnew(&th->pm, spid, spid) == TK_PMACH_NONE)
			return -TK_ENOMEM;
		fpid = th->pm.thr[thr].pid;
		ftid = th->pm.thr[thr].tid;
	}
	if (ev->cpu >= th->nlast) {
		size_t n = (size_t)ev->cpu + 1, i;
		uint64_t *nl = realloc(th->last_switch, n * sizeof(*nl));

		if (!nl)
			return -TK_ENOMEM;
		for (i = th->nlast; i < n; i++)
			nl[i] = 0;
		th->last_switch = nl;
		th->nlast = n;
	}
	if (filtered(th, fpid, ftid)) {
		th->skipped++;
		goto out;
	}
	tr = idle ? &th->idle[ev->cpu] : runtime_of(th, thr);
	if (!tr)
		return -TK_ENOMEM;
	tprev = th->last_switch[ev->cpu];
	if (th->o.start && th->o.start > t)
		goto out;
	if (tprev && th->o.start > tprev)
		tprev = th->o.start;
	if (th->o.end) {
		if (!tprev || tprev > th->o.end)
			goto out;
		if (t > th->o.end)
			t = th->o.end;
	}
	if (cpu_listed(th, ev->cpu))
		update_runtime(tr, t, tprev);
	if (!th->o.summary_only && cpu_listed(th, ev->cpu) && th->fn) {
		struct tk_timehist_line l = {
			.kind = TK_TH_SWITCH, .ts = t, .cpu = ev->cpu,
			.task = idle ? "<idle>" : commstr(th, thr, th->buf1, sizeof(th->buf1)),
			.wait = tr->dt_wait, .delay = tr->dt_delay, .run = tr->dt_run,
		};

		rc = th->fn(th->arg, &l);
	}
out:
	if (th->hist_start == 0 && t >= th->o.start)
		th->hist_start = t;
	if (th->o.end == 0 || t <= th->o.end)
		th->hist_end = t;
	if (tr) {
		tr->last_time = ev->ts;
		tr->last_state = ev->u.sw.prev_state | ((ev->flags & TK_EVF_PREEMPT) ? 0x100 : 0);
		tr->ready_to_run = 0;
	}
	th->last_switch[ev->cpu] = ev->ts;
	return rc;
}

static bool outside(const struct tk_timehist *th, uint64_t ts)
{
	return (th->o.start && ts < th->o.start) || (th->o.end && ts > th->o.end);
}

/* a wakeup or migration line: shown unless both tasks are filtered out */
static int side_line(struct tk_timehist *th, const struct tk_event *ev,
		     const struct tk_evmeta *meta, uint32_t target, struct tk_timehist_line *l)
{
	int32_t spid, stid;
	uint32_t waker;
	bool f1, f2;

	sample_ids(th, ev, meta, &spid, &stid);
	waker = tk_pmach__findnew(&th->pm, spid, stid);
	if (waker == TK_PMACH_NONE)
		return -TK_ENOMEM;
	f1 = filtered(th, th->pm.thr[waker].pid, th->pm.thr[waker].tid);
	if (f1)
		th->skipped++;
	if (f1) {
		f2 = filtered(th, th->pm.thr[target].pid, th->pm.thr[target].tid);
		if (f2) {
			th->skipped++;
			return 0;
		}
	}
	l->ts = ev->ts;
	l->cpu = ev->cpu;
	l->task = commstr(th, waker, th->buf1, sizeof(th->buf1));
	l->other = commstr(th, target, th->buf2, sizeof(th->buf2));
	return th->fn ? th->fn(th->arg, l) : 0;
}

static int on_wakeup(struct tk_timehist *th, const struct tk_event *ev,
		     const struct tk_evmeta *meta)
{
	uint32_t thr = tk_pmach__findnew(&th->pm, 0, (int32_t)ev->u.wake.target_tid);
	struct trt *tr;
	struct tk_timehist_line l = { .kind = TK_TH_WAKEUP };

	if (thr == TK_PMACH_NONE || !(tr = runtime_of(th, thr)))
		return -TK_ENOMEM;
	if (tr->ready_to_run == 0)
		tr->ready_to_run = ev->ts;
	if (!th->o.show_wakeups || outside(th, ev->ts))
		return 0;
	return side_line(th, ev, meta, thr, &l);
}

static int on_migrate(struct tk_timehist *th, const struct tk_event *ev,
		      const struct tk_evmeta *meta)
{
	uint32_t thr;
	struct trt *tr;
	struct tk_timehist_line l = { .kind = TK_TH_MIGRATE };

	/* perf 6.1 only handles migrations when asked to show them */
	if (!th->o.show_migrations)
		return 0;
	thr = tk_pmach__findnew(&th->pm, 0, (int32_t)ev->u.mig.target_tid);
	if (thr == TK_PMACH_NONE || !(tr = runtime_of(th, thr)))
		return -TK_ENOMEM;
	tr->migrations++;
	if (th->o.summary_only)
		return 0;
	l.ocpu = ev->u.mig.orig_cpu;
	l.dcpu = ev->u.mig.dest_cpu;
	return side_line(th, ev, meta, thr, &l);
}

int tk_timehist_event(struct tk_timehist *th, const struct tk_event *ev,
		      const struct tk_payload *pl, const struct tk_evmeta *meta)
{
	/* every sample (tracepoint) counts for the CPU count perf prints */
	if (pl && ev->kind != TK_EV_STACK && (int)ev->cpu > th->max_cpu)
		th->max_cpu = ev->cpu;
	switch (ev->kind) {
	case TK_EV_SWITCH:
		return on_switch(th, ev, meta);
	case TK_EV_WAKEUP:
		return on_wakeup(th, ev, meta);
	case TK_EV_MIGRATE:
		return on_migrate(th, ev, meta);
	case TK_EV_FORK:
		if (pl || !meta)
			return 0;
		return tk_pmach__fork(&th->pm, meta->pid, meta->ppid, meta->tid, meta->ptid);
	case TK_EV_COMM:
		if (pl)
			return 0;
		return tk_pmach__comm(&th->pm, meta ? meta->pid : (int32_t)ev->u.comm.pid,
				      (int32_t)ev->tid, ev->u.comm.comm);
	case TK_EV_EXIT:
		if (pl || !meta)
			return 0;
		tk_pmach__exit(&th->pm, meta->pid, meta->tid);
		return 0;
	case TK_EV_LOST: {
		struct tk_timehist_line l = { .kind = TK_TH_LOST, .ts = ev->ts, .cpu = ev->cpu,
					      .lost = ev->u.lost.count };

		return th->fn ? th->fn(th->arg, &l) : 0;
	}
	}
	return 0;
}

/* ---- summary ---- */

struct order {
	uint32_t bucket;
	int32_t tid;
	uint32_t thr;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	if (x->bucket != y->bucket)
		return x->bucket < y->bucket ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->thr < y->thr ? -1 : x->thr > y->thr;
}

static void fill_task(struct tk_timehist *th, uint32_t thr, struct tk_timehist_task *o)
{
	const struct trt *r = &th->rt[th->pm.thr[thr].user];
	double sd = 0.0;

	commstr(th, thr, o->name, sizeof(o->name));
	o->ppid = th->pm.thr[thr].ppid;
	o->n = r->n;
	o->total = r->total_run_time;
	o->min = r->min;
	o->max = r->max;
	o->mean = r->mean;
	if (r->n >= 2)
		sd = sqrt(r->m2 / (double)(r->n - 1) / (double)r->n);
	o->stddev_pct = r->mean != 0.0 ? 100.0 * sd / r->mean : 0.0;
	o->migrations = r->migrations;
	o->dead = th->pm.thr[thr].dead;
}

int tk_timehist_get_summary(struct tk_timehist *th, struct tk_timehist_summary *out)
{
	struct order *ord;
	size_t i, n = 0, k = 0, pass;

	memset(out, 0, sizeof(*out));
	ord = calloc(th->pm.n ? th->pm.n : 1, sizeof(*ord));
	free(th->tasks);
	th->tasks = calloc(th->pm.n ? th->pm.n : 1, sizeof(*th->tasks));
	free(th->idles);
	th->idles = calloc(th->nidle ? th->nidle : 1, sizeof(*th->idles));
	if (!ord || !th->tasks || !th->idles) {
		free(ord);
		return -TK_ENOMEM;
	}
	/* machine__for_each_thread: 256 tables by tid, each a tree by tid */
	for (i = 0; i < th->pm.n; i++) {
		const struct tk_pmach_thr *t = &th->pm.thr[i];

		if (t->removed || t->user == TK_PMACH_NONE || !th->rt[t->user].n ||
		    filtered(th, t->pid, t->tid))
			continue;
		ord[n].bucket = (uint32_t)t->tid % 256;
		ord[n].tid = t->tid;
		ord[n].thr = (uint32_t)i;
		n++;
	}
	qsort(ord, n, sizeof(*ord), cmp_order);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++)
			if (th->pm.thr[ord[i].thr].dead == (pass == 1))
				fill_task(th, ord[i].thr, &th->tasks[k++]);
		if (pass == 0)
			out->nalive = k;
	}
	free(ord);
	out->tasks = th->tasks;
	out->ntasks = k;
	for (i = 0; i < th->nidle; i++) {
		th->idles[i].cpu = (int)i;
		th->idles[i].shown = cpu_listed(th, (unsigned)i);
		th->idles[i].n = th->idle[i].n;
		th->idles[i].total = th->idle[i].total_run_time;
	}
	out->idle = th->idles;
	out->nidle = th->nidle;
	out->idle_stats = th->skipped == 0;
	out->hist_time = th->hist_end - th->hist_start;
	out->max_cpu = th->max_cpu;
	return 0;
}
