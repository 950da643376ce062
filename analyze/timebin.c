/* SPDX-License-Identifier: MIT */
/*
 * The timeline raster (analyze/timebin.h). The per-event path is a switch
 * on the kind, one or two task lookups in an open-addressing table and a
 * walk over the bins a running interval covers; nothing is allocated per
 * event except when a new task or CPU shows up.
 */
#include "analyze/timebin.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_CPUS 4096u
#define DEFAULT_TASK_LANES 1024u
#define MAX_TASKS (1u << 22)
#define MAX_COLUMNS 100000u
#define NO_LANE UINT32_MAX

/* One bin while streaming: two dominant candidates (Misra-Gries, k = 2). */
struct bin {
	uint32_t tid[2];
	uint64_t ns[2];
	uint64_t busy;
	uint64_t wake_max;
	uint32_t lost;
};

/* A task lane only needs how long the task ran, and its latencies. */
struct tbin {
	uint64_t busy;
	uint64_t wake_max;
};

struct cpu_state {
	uint32_t lane;			/* index in cpu_bins, NO_LANE: not drawn */
	uint32_t cur;			/* running tid, when known */
	uint64_t since;
	bool known, seen;
};

struct task {
	uint32_t tid, pid;
	uint32_t comm;			/* string id, TK_NOSTR: unknown */
	uint64_t busy_ns;
	uint64_t wake_ts;		/* pending wakeup, 0: none */
	uint64_t wake_max;
	uint32_t lane;			/* index in task_bins, NO_LANE: none */
	bool running;
	bool match;
};

struct tk_timebin {
	struct tk_timebin_opts o;
	const struct tk_schema *schema;
	struct tk_err err;

	uint32_t nb;			/* bins per lane: oversample x columns */
	uint32_t used;			/* at finish: bins up to the end */
	uint64_t t0, w;			/* bin i: [t0 + i w, t0 + (i + 1) w) */
	bool started, fixed;		/* fixed: from and to given, no merging */
	uint64_t last_ts;

	struct cpu_state *cpus;
	uint32_t ncpus;
	struct bin **cpu_bins;		/* by lane */
	uint32_t *lane_cpu;
	uint32_t ncpu_lanes;

	struct task *tasks;
	uint32_t ntasks, captasks;
	uint32_t *slots;		/* task index + 1, 0: empty */
	uint32_t nslots;
	struct tbin **task_bins;	/* by task lane */
	uint32_t *lane_task;		/* task index of each task lane */
	uint64_t lane_min_busy;		/* see task_lane() */
	uint32_t ntask_lanes;

	/* result */
	struct tk_timebin_result res;
	struct tk_timebin_lane *lanes;
	struct tk_timebin_cell *cells;
	struct tk_timebin_task *out_tasks;
	uint64_t *edges;
	bool finished;
};

struct tk_timebin *tk_timebin_create(const struct tk_timebin_opts *o, const struct tk_schema *schema,
				     struct tk_err *err)
{
	struct tk_timebin *tb;

	if (!o->columns || o->columns > MAX_COLUMNS || (o->to && o->to <= o->from) ||
	    o->oversample == 1 || o->oversample > 64) {
		tk_err_set(err, TK_EINVAL, -1, "timeline columns or time range out of range");
		return NULL;
	}
	tb = calloc(1, sizeof(*tb));
	if (!tb) {
		tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		return NULL;
	}
	tb->o = *o;
	if (!tb->o.max_cpus)
		tb->o.max_cpus = DEFAULT_MAX_CPUS;
	if (!tb->o.max_task_lanes)
		tb->o.max_task_lanes = DEFAULT_TASK_LANES;
	tb->schema = schema;
	if (!tb->o.oversample)
		tb->o.oversample = 16;
	tb->nb = tb->o.oversample * o->columns;
	tb->w = 1;
	tk_err_clear(&tb->err);
	if (o->from && o->to) {
		tb->fixed = true;
		tb->t0 = o->from;
		tb->w = (o->to - o->from + tb->nb - 1) / tb->nb;
		if (!tb->w)
			tb->w = 1;
		tb->started = true;
	}
	return tb;
}

void tk_timebin_destroy(struct tk_timebin *tb)
{
	uint32_t i;

	if (!tb)
		return;
	for (i = 0; i < tb->ncpu_lanes; i++)
		free(tb->cpu_bins[i]);
	for (i = 0; i < tb->ntask_lanes; i++)
		free(tb->task_bins[i]);
	free(tb->cpu_bins);
	free(tb->lane_cpu);
	free(tb->task_bins);
	free(tb->lane_task);
	free(tb->cpus);
	free(tb->tasks);
	free(tb->slots);
	free(tb->lanes);
	free(tb->cells);
	free(tb->out_tasks);
	free(tb->edges);
	free(tb);
}

const struct tk_err *tk_timebin_get_err(const struct tk_timebin *tb)
{
	return &tb->err;
}

static const char *str(const struct tk_timebin *tb, uint32_t id)
{
	const char *s = NULL;

	if (id != TK_NOSTR && tb->schema && tb->schema->ops->str)
		s = tb->schema->ops->str(tb->schema->arg, id);
	return s;
}

static bool comm_matches(const struct tk_timebin *tb, uint32_t comm)
{
	const char *s;
	size_t i;

	if (!tb->o.comms)
		return true;
	s = str(tb, comm);
	if (!s)
		return false;
	for (i = 0; i < tb->o.ncomms; i++)
		if (!strcmp(s, tb->o.comms[i]))
			return true;
	return false;
}

/* ---- bins ---- */

static void bin_credit(struct bin *b, uint32_t tid, uint64_t ns)
{
	b->busy += ns;
	if (b->tid[0] == tid && b->ns[0]) {
		b->ns[0] += ns;
	} else if (b->tid[1] == tid && b->ns[1]) {
		b->ns[1] += ns;
	} else if (!b->ns[0]) {
		b->tid[0] = tid;
		b->ns[0] = ns;
	} else if (!b->ns[1]) {
		b->tid[1] = tid;
		b->ns[1] = ns;
	} else {
		/* A third task: it takes the weaker slot if it ran longer now. */
		int k = b->ns[0] < b->ns[1] ? 0 : 1;

		if (ns > b->ns[k]) {
			b->tid[k] = tid;
			b->ns[k] = ns;
		}
	}
}

static void bin_merge(struct bin *dst, const struct bin *a, const struct bin *b)
{
	struct bin m = *a;
	int k;

	m.busy = a->busy + b->busy;
	for (k = 0; k < 2; k++)
		if (b->ns[k]) {
			uint64_t busy = m.busy;

			bin_credit(&m, b->tid[k], b->ns[k]);
			m.busy = busy;
		}
	m.wake_max = a->wake_max > b->wake_max ? a->wake_max : b->wake_max;
	m.lost = a->lost + b->lost;
	*dst = m;
}

/* Double the bin width: pairs merge into the first half. */
static void coarsen(struct tk_timebin *tb)
{
	uint32_t l, i, half = tb->nb / 2;

	for (l = 0; l < tb->ncpu_lanes; l++) {
		struct bin *b = tb->cpu_bins[l];

		for (i = 0; i < half; i++)
			bin_merge(&b[i], &b[2 * i], &b[2 * i + 1]);
		memset(b + half, 0, (tb->nb - half) * sizeof(*b));
	}
	for (l = 0; l < tb->ntask_lanes; l++) {
		struct tbin *b = tb->task_bins[l];

		for (i = 0; i < half; i++) {
			uint64_t wm = b[2 * i].wake_max > b[2 * i + 1].wake_max ? b[2 * i].wake_max
										 : b[2 * i + 1].wake_max;

			b[i].busy = b[2 * i].busy + b[2 * i + 1].busy;
			b[i].wake_max = wm;
		}
		memset(b + half, 0, (tb->nb - half) * sizeof(*b));
	}
	tb->w *= 2;
}

/* Make the bins reach t (t >= t0). */
static void cover(struct tk_timebin *tb, uint64_t t)
{
	if (tb->fixed)
		return;
	while ((t - tb->t0) / tb->w >= tb->nb && tb->w < UINT64_MAX / 4 / tb->nb)
		coarsen(tb);
}

static uint32_t bin_of(const struct tk_timebin *tb, uint64_t t)
{
	uint64_t i = (t - tb->t0) / tb->w;

	return i >= tb->nb ? tb->nb - 1 : (uint32_t)i;
}

/* [s, e) of tid running on a CPU lane and/or a task lane, clipped to the range. */
static uint64_t credit(struct tk_timebin *tb, struct bin *cb, struct tbin *tbins, uint32_t tid,
		       uint64_t s, uint64_t e)
{
	uint64_t total = 0;

	if (s < tb->t0)
		s = tb->t0;
	if (tb->o.to && e > tb->o.to)
		e = tb->o.to;
	while (s < e) {
		uint32_t i = bin_of(tb, s);
		uint64_t bend = tb->t0 + ((uint64_t)i + 1) * tb->w, ns;

		if (i == tb->nb - 1 || bend > e)
			bend = e;
		ns = bend - s;
		if (cb && tid)
			bin_credit(&cb[i], tid, ns);
		if (tbins)
			tbins[i].busy += ns;
		total += ns;
		s = bend;
	}
	return total;
}

/* ---- tables ---- */

static struct task *task_get(struct tk_timebin *tb, uint32_t tid, uint32_t comm)
{
	uint32_t h, i;
	struct task *t;

	if (tb->nslots) {
		h = (tid * 2654435761u) & (tb->nslots - 1);
		for (i = h;; i = (i + 1) & (tb->nslots - 1)) {
			uint32_t s = tb->slots[i];

			if (!s)
				break;
			if (tb->tasks[s - 1].tid == tid) {
				t = &tb->tasks[s - 1];
				if (comm != TK_NOSTR && comm != t->comm) {
					t->comm = comm;
					t->match = comm_matches(tb, comm);
				}
				return t;
			}
		}
	}
	if (tb->ntasks >= MAX_TASKS) {
		tk_err_set(&tb->err, TK_ELIMIT, -1, "more than %u tasks", MAX_TASKS);
		return NULL;
	}
	if (tb->ntasks == tb->captasks) {
		uint32_t ncap = tb->captasks ? tb->captasks * 2 : 256;
		struct task *nt = realloc(tb->tasks, ncap * sizeof(*nt));

		if (!nt)
			goto oom;
		tb->tasks = nt;
		tb->captasks = ncap;
	}
	if ((tb->ntasks + 1) * 2 > tb->nslots) {
		uint32_t n = tb->nslots ? tb->nslots * 2 : 512, k;
		uint32_t *ns = calloc(n, sizeof(*ns));

		if (!ns)
			goto oom;
		for (k = 0; k < tb->ntasks; k++) {
			i = (tb->tasks[k].tid * 2654435761u) & (n - 1);
			while (ns[i])
				i = (i + 1) & (n - 1);
			ns[i] = k + 1;
		}
		free(tb->slots);
		tb->slots = ns;
		tb->nslots = n;
	}
	t = &tb->tasks[tb->ntasks];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->comm = comm;
	t->lane = NO_LANE;
	t->match = comm_matches(tb, comm);
	h = (tid * 2654435761u) & (tb->nslots - 1);
	while (tb->slots[h])
		h = (h + 1) & (tb->nslots - 1);
	tb->slots[h] = ++tb->ntasks;
	return t;
oom:
	tk_err_set(&tb->err, TK_ENOMEM, -1, "out of memory");
	return NULL;
}

/*
 * The task's lane bins (*out NULL: no lane), made on its first run on a
 * drawn CPU; `extra` is the running time about to be added. When all lanes
 * are taken, the task takes the lane of the one that has run least, if it
 * has run longer (with extra), and the lane starts over. So the lanes end
 * with the busiest tasks, though one that got busy late, among more tasks
 * than lanes, lacks its start. 0 or -TK_ENOMEM.
 */
static int task_lane(struct tk_timebin *tb, struct task *t, uint64_t extra, struct tbin **out)
{
	struct tbin **nb;
	uint32_t l, min = 0, *lt;

	*out = NULL;
	if (t->lane < tb->ntask_lanes) {
		*out = tb->task_bins[t->lane];
		return 0;
	}
	if (!tb->o.tasks || !t->tid || !t->match)
		return 0;
	if (tb->ntask_lanes >= tb->o.max_task_lanes) {
		/*
		 * Running times only grow, so the least a lane held at the last
		 * scan is a lower bound: most tasks are turned away without one.
		 */
		if (t->busy_ns + extra <= tb->lane_min_busy)
			return 0;
		for (l = 1; l < tb->ntask_lanes; l++)
			if (tb->tasks[tb->lane_task[l]].busy_ns < tb->tasks[tb->lane_task[min]].busy_ns)
				min = l;
		tb->lane_min_busy = tb->tasks[tb->lane_task[min]].busy_ns;
		if (tb->lane_min_busy >= t->busy_ns + extra)
			return 0;
		tb->tasks[tb->lane_task[min]].lane = NO_LANE;
		tb->res.task_lanes_dropped++;
		memset(tb->task_bins[min], 0, tb->nb * sizeof(**tb->task_bins));
		tb->lane_task[min] = (uint32_t)(t - tb->tasks);
		t->lane = min;
		*out = tb->task_bins[min];
		return 0;
	}
	nb = realloc(tb->task_bins, (tb->ntask_lanes + 1) * sizeof(*nb));
	if (!nb)
		return tk_err_set(&tb->err, TK_ENOMEM, -1, "out of memory");
	tb->task_bins = nb;
	lt = realloc(tb->lane_task, (tb->ntask_lanes + 1) * sizeof(*lt));
	if (!lt)
		return tk_err_set(&tb->err, TK_ENOMEM, -1, "out of memory");
	tb->lane_task = lt;
	tb->task_bins[tb->ntask_lanes] = calloc(tb->nb, sizeof(**tb->task_bins));
	if (!tb->task_bins[tb->ntask_lanes])
		return tk_err_set(&tb->err, TK_ENOMEM, -1, "out of memory");
	*out = tb->task_bins[tb->ntask_lanes];
	tb->lane_task[tb->ntask_lanes] = (uint32_t)(t - tb->tasks);
	t->lane = tb->ntask_lanes++;
	return 0;
}

static struct cpu_state *cpu_get(struct tk_timebin *tb, uint16_t cpu)
{
	struct cpu_state *c;

	if (cpu >= tb->o.max_cpus) {
		tk_err_set(&tb->err, TK_ELIMIT, -1, "CPU %u above the limit of %u", cpu,
			   tb->o.max_cpus);
		return NULL;
	}
	if (cpu >= tb->ncpus) {
		uint32_t n = cpu + 1u, i;
		struct cpu_state *nc = realloc(tb->cpus, n * sizeof(*nc));

		if (!nc)
			goto oom;
		for (i = tb->ncpus; i < n; i++) {
			memset(&nc[i], 0, sizeof(nc[i]));
			nc[i].lane = NO_LANE;
		}
		tb->cpus = nc;
		tb->ncpus = n;
	}
	c = &tb->cpus[cpu];
	if (!c->seen) {
		c->seen = true;
		if (!tb->o.cpus || (tb->o.cpus[cpu / 64] >> (cpu % 64) & 1)) {
			struct bin **nb = realloc(tb->cpu_bins, (tb->ncpu_lanes + 1) * sizeof(*nb));
			uint32_t *nl;

			if (!nb)
				goto oom;
			tb->cpu_bins = nb;
			nl = realloc(tb->lane_cpu, (tb->ncpu_lanes + 1) * sizeof(*nl));
			if (!nl)
				goto oom;
			tb->lane_cpu = nl;
			tb->cpu_bins[tb->ncpu_lanes] = calloc(tb->nb, sizeof(struct bin));
			if (!tb->cpu_bins[tb->ncpu_lanes])
				goto oom;
			tb->lane_cpu[tb->ncpu_lanes] = cpu;
			c->lane = tb->ncpu_lanes++;
		}
	}
	return c;
oom:
	tk_err_set(&tb->err, TK_ENOMEM, -1, "out of memory");
	return NULL;
}

static bool in_range(const struct tk_timebin *tb, uint64_t t)
{
	return t >= tb->t0 && (!tb->o.to || t <= tb->o.to);
}

/* ---- events ---- */

static int on_switch(struct tk_timebin *tb, struct cpu_state *c, const struct tk_event *ev,
		     uint64_t now)
{
	struct bin *cb = c->lane != NO_LANE ? tb->cpu_bins[c->lane] : NULL;
	struct task *prev, *next;
	struct tbin *tl;

	/*
	 * What ran on a drawn CPU since the last switch there is the task that
	 * switch let in (when a trace misses a switch, the next one's prev
	 * differs; the last switch-in is what we know); before the first
	 * switch, the switch's prev task ran since the CPU's first event.
	 */
	if (cb) {
		uint32_t ran = c->known ? c->cur : ev->tid;
		struct task *r = task_get(tb, ran, c->known ? TK_NOSTR : ev->u.sw.prev_comm);

		if (!r || task_lane(tb, r, now > c->since ? now - c->since : 0, &tl) < 0)
			return -tb->err.code;
		r->busy_ns += credit(tb, cb, tl, ran, c->since, now);
	}
	prev = task_get(tb, ev->tid, ev->u.sw.prev_comm);
	if (!prev)
		return -tb->err.code;
	prev->running = false;
	prev->wake_ts = 0;

	next = task_get(tb, ev->u.sw.next_tid, ev->u.sw.next_comm);
	if (!next)
		return -tb->err.code;
	if (cb && next->wake_ts && ev->ts >= next->wake_ts && in_range(tb, now)) {
		uint64_t lat = ev->ts - next->wake_ts;
		uint32_t i = bin_of(tb, now);

		if (lat > cb[i].wake_max)
			cb[i].wake_max = lat;
		if (task_lane(tb, next, 0, &tl) < 0)
			return -tb->err.code;
		if (tl && lat > tl[i].wake_max)
			tl[i].wake_max = lat;
		if (lat > next->wake_max)
			next->wake_max = lat;
	}
	next->wake_ts = 0;
	next->running = true;
	c->cur = ev->u.sw.next_tid;
	c->since = now;
	c->known = true;
	return 0;
}

int tk_timebin_event(struct tk_timebin *tb, const struct tk_event *ev)
{
	struct cpu_state *c;
	struct task *t;
	uint64_t now = ev->ts;

	if (tb->finished)
		return tk_err_set(&tb->err, TK_EINVAL, -1, "timeline already finished");
	tb->res.events++;
	/*
	 * perf records without a time (COMM and MMAP of processes that existed
	 * before the recording) come with ts 0: they name tasks, nothing else.
	 */
	if (!ev->ts) {
		if (ev->kind == TK_EV_COMM || ev->kind == TK_EV_FORK || ev->kind == TK_EV_EXEC) {
			uint32_t tid = ev->kind == TK_EV_FORK ? ev->u.fork.child_tid : ev->tid;
			uint32_t comm = ev->kind == TK_EV_FORK   ? ev->u.fork.child_comm
					: ev->kind == TK_EV_EXEC ? ev->u.exec.comm
								 : ev->u.comm.comm;

			t = task_get(tb, tid, comm);
			if (!t)
				return -tb->err.code;
			if (ev->kind == TK_EV_COMM && ev->u.comm.pid)
				t->pid = ev->u.comm.pid;
		}
		return 0;
	}
	if (!tb->started) {
		tb->started = true;
		tb->t0 = tb->o.from ? tb->o.from : ev->ts;
	}
	if (now < tb->last_ts)
		now = tb->last_ts;	/* never go back in time */
	if (tb->o.to && now > tb->o.to)
		now = tb->o.to;
	tb->last_ts = now;
	if (now >= tb->t0)
		cover(tb, now);
	c = cpu_get(tb, ev->cpu);
	if (!c)
		return -tb->err.code;
	if (!c->known && !c->since)
		c->since = now;
	switch (ev->kind) {
	case TK_EV_SWITCH:
		return on_switch(tb, c, ev, now);
	case TK_EV_WAKEUP:
		if (!ev->u.wake.success)
			break;
		t = task_get(tb, ev->u.wake.target_tid, ev->u.wake.target_comm);
		if (!t)
			return -tb->err.code;
		/* sched_waking comes first; a running task needs no wakeup. */
		if (!t->running && !t->wake_ts)
			t->wake_ts = ev->ts;
		break;
	case TK_EV_LOST:
		if (c->lane != NO_LANE && in_range(tb, now)) {
			uint64_t n = ev->u.lost.count ? ev->u.lost.count : 1;
			struct bin *b = &tb->cpu_bins[c->lane][bin_of(tb, now)];

			b->lost = n > UINT32_MAX - b->lost ? UINT32_MAX : b->lost + (uint32_t)n;
			tb->res.lost += n;
		}
		break;
	case TK_EV_FORK:
		t = task_get(tb, ev->u.fork.child_tid, ev->u.fork.child_comm);
		if (!t)
			return -tb->err.code;
		if (ev->u.fork.child_pid)
			t->pid = ev->u.fork.child_pid;
		break;
	case TK_EV_EXEC:
		if (!task_get(tb, ev->tid, ev->u.exec.comm))
			return -tb->err.code;
		break;
	case TK_EV_COMM:
		t = task_get(tb, ev->tid, ev->u.comm.comm);
		if (!t)
			return -tb->err.code;
		if (ev->u.comm.pid)
			t->pid = ev->u.comm.pid;
		break;
	default:
		break;
	}
	return 0;
}

/* ---- result ---- */

struct cand {
	uint32_t tid;
	uint64_t ns;
};

static void cand_add(struct cand *c, size_t *n, size_t cap, uint32_t tid, uint64_t ns)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (c[i].tid == tid) {
			c[i].ns += ns;
			return;
		}
	if (*n < cap) {
		c[*n].tid = tid;
		c[(*n)++].ns = ns;
	}
}

/*
 * Column j is a whole number of bins: [floor(j K / C), floor((j + 1) K / C))
 * of the K bins that reach the end. So every sum over a column is exact to
 * the ns, and a column is off its place on a linear axis by less than one
 * bin (under 1/oversample/2 of a column).
 */
static void column_bins(const struct tk_timebin *tb, uint32_t j, uint32_t *b0, uint32_t *b1)
{
	uint64_t k = tb->used;

	*b0 = (uint32_t)(k * j / tb->res.columns);
	*b1 = (uint32_t)(k * (j + 1) / tb->res.columns);
}


#define NCAND 64

/* Resample one lane's bins (CPU bins or task bins) into cells. */
static void resample(const struct tk_timebin *tb, const struct bin *cb, const struct tbin *tbins,
		     uint32_t tid, struct tk_timebin_cell *cells)
{
	uint32_t j, i, b0, b1;

	for (j = 0; j < tb->res.columns; j++) {
		struct tk_timebin_cell *cell = &cells[j];
		struct cand cand[NCAND];
		size_t nc = 0, k;
		uint64_t busy = 0, best = 0, len;

		memset(cell, 0, sizeof(*cell));
		column_bins(tb, j, &b0, &b1);
		for (i = b0; i < b1; i++) {
			uint64_t wm = cb ? cb[i].wake_max : tbins[i].wake_max;

			if (wm > cell->wake_max)
				cell->wake_max = wm;
			if (cb) {
				cell->lost += cb[i].lost;
				busy += cb[i].busy;
				for (k = 0; k < 2; k++)
					if (cb[i].ns[k])
						cand_add(cand, &nc, NCAND, cb[i].tid[k], cb[i].ns[k]);
			} else {
				busy += tbins[i].busy;
			}
		}
		len = (uint64_t)(b1 - b0) * tb->w;
		/* The last bin may reach past the end: busy is over the time there is. */
		if (b1 == tb->used && tb->t0 + (uint64_t)b1 * tb->w > tb->res.to)
			len -= tb->t0 + (uint64_t)b1 * tb->w - tb->res.to;
		cell->busy = len ? (float)((double)busy / (double)len) : 0;
		if (cell->busy > 1)
			cell->busy = 1;
		if (cb) {
			for (k = 0; k < nc; k++)
				if (cand[k].ns > best || (cand[k].ns == best && cand[k].tid < cell->tid)) {
					best = cand[k].ns;
					cell->tid = cand[k].tid;
				}
		} else if (busy > 0) {
			cell->tid = tid;
		}
	}
}

static int task_cmp(const void *pa, const void *pb)
{
	const struct tk_timebin_task *a = pa, *b = pb;

	if (a->busy_ns != b->busy_ns)
		return a->busy_ns > b->busy_ns ? -1 : 1;
	return a->tid < b->tid ? -1 : a->tid > b->tid;
}

static int lane_cmp(const void *pa, const void *pb)
{
	const struct tk_timebin_lane *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind == TK_TIMEBIN_CPU ? -1 : 1;
	if (a->kind == TK_TIMEBIN_CPU)
		return a->id < b->id ? -1 : a->id > b->id;
	if (a->busy_ns != b->busy_ns)
		return a->busy_ns > b->busy_ns ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

int tk_timebin_finish(struct tk_timebin *tb, struct tk_err *err)
{
	uint32_t i, l, n;
	size_t k;
	struct tk_timebin_cell *cells;

	if (tb->finished)
		return 0;
	if (tb->err.code)
		return tk_err_set(err, tb->err.code, -1, "%s", tb->err.msg);
	tb->res.from = tb->t0;
	tb->res.to = tb->o.to ? tb->o.to : tb->last_ts;
	if (!tb->started || !tb->res.events || tb->res.to <= tb->res.from || tb->last_ts < tb->t0)
		return tk_err_set(err, TK_EINVAL, -1, "no events in the time range");
	cover(tb, tb->res.to);
	/* Bins up to the end; at least one per column (short traces). */
	tb->used = (uint32_t)((tb->res.to - tb->t0 + tb->w - 1) / tb->w);
	if (tb->used > tb->nb)
		tb->used = tb->nb;
	/* (A trace shorter than one ns per column leaves some columns empty.) */
	/* Tasks still running at the end ran until it. */
	for (i = 0; i < tb->ncpus; i++) {
		struct cpu_state *c = &tb->cpus[i];
		struct tbin *tl;
		struct task *t;

		if (!c->known || c->lane == NO_LANE)
			continue;
		t = task_get(tb, c->cur, TK_NOSTR);
		if (!t || task_lane(tb, t, tb->res.to > c->since ? tb->res.to - c->since : 0, &tl) < 0)
			return tk_err_set(err, tb->err.code, -1, "%s", tb->err.msg);
		t->busy_ns += credit(tb, tb->cpu_bins[c->lane], tl, c->cur, c->since, tb->res.to);
	}
	tb->res.columns = tb->o.columns;
	tb->edges = malloc(((size_t)tb->res.columns + 1) * sizeof(*tb->edges));
	if (!tb->edges)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	for (i = 0; i <= tb->res.columns; i++) {
		uint32_t b0, b1;

		column_bins(tb, i < tb->res.columns ? i : tb->res.columns - 1, &b0, &b1);
		tb->edges[i] = tb->t0 + (uint64_t)(i < tb->res.columns ? b0 : b1) * tb->w;
	}
	tb->res.edges = tb->edges;
	n = tb->ncpu_lanes + tb->ntask_lanes;
	tb->lanes = calloc(n ? n : 1, sizeof(*tb->lanes));
	tb->cells = calloc((size_t)(n ? n : 1) * tb->res.columns, sizeof(*tb->cells));
	tb->out_tasks = calloc(tb->ntasks ? tb->ntasks : 1, sizeof(*tb->out_tasks));
	if (!tb->lanes || !tb->cells || !tb->out_tasks)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	cells = tb->cells;
	for (l = 0; l < tb->ncpu_lanes; l++) {
		struct tk_timebin_lane *lane = &tb->lanes[l];

		lane->kind = TK_TIMEBIN_CPU;
		lane->id = tb->lane_cpu[l];
		lane->cells = cells;
		resample(tb, tb->cpu_bins[l], NULL, 0, cells);
		for (i = 0; i < tb->nb; i++)
			lane->busy_ns += tb->cpu_bins[l][i].busy;
		cells += tb->res.columns;
	}
	for (k = 0; k < tb->ntasks; k++) {
		struct task *t = &tb->tasks[k];

		if (t->lane < tb->ntask_lanes) {
			struct tk_timebin_lane *lane = &tb->lanes[tb->ncpu_lanes + t->lane];

			lane->kind = TK_TIMEBIN_TASK;
			lane->id = t->tid;
			/* What the lane holds (a lane taken over late lacks the start). */
			for (i = 0; i < tb->nb; i++)
				lane->busy_ns += tb->task_bins[t->lane][i].busy;
		}
	}
	for (l = 0; l < tb->ntask_lanes; l++) {
		struct tk_timebin_lane *lane = &tb->lanes[tb->ncpu_lanes + l];

		lane->cells = cells;
		resample(tb, NULL, tb->task_bins[l], lane->id, cells);
		cells += tb->res.columns;
	}
	qsort(tb->lanes, n, sizeof(*tb->lanes), lane_cmp);
	for (k = i = 0; k < tb->ntasks; k++) {
		const struct task *t = &tb->tasks[k];
		struct tk_timebin_task *o = &tb->out_tasks[i];
		const char *s;

		if (!t->tid)
			continue;
		o->tid = t->tid;
		o->pid = t->pid;
		if (!o->pid && tb->schema && tb->schema->ops->tgid)
			o->pid = tb->schema->ops->tgid(tb->schema->arg, t->tid);
		s = str(tb, t->comm);
		if (!s && tb->schema && tb->schema->ops->comm)
			s = tb->schema->ops->comm(tb->schema->arg, t->tid);
		o->comm = s ? s : "";
		o->busy_ns = t->busy_ns;
		o->wake_max = t->wake_max;
		o->match = t->match;
		i++;
	}
	qsort(tb->out_tasks, i, sizeof(*tb->out_tasks), task_cmp);
	tb->res.nlanes = n;
	tb->res.lanes = tb->lanes;
	tb->res.ntasks = i;
	tb->res.tasks = tb->out_tasks;
	tb->finished = true;
	return 0;
}

const struct tk_timebin_result *tk_timebin_get(const struct tk_timebin *tb)
{
	return tb->finished ? &tb->res : NULL;
}
