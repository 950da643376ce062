/* SPDX-License-Identifier: MIT */
/*
 * On-CPU, off-CPU and wakeup stacks from the event stream (evfold.h). The
 * per-event path touches a per-task slot and a per-CPU slot; names and
 * trie nodes come from caches, so the fold's string work is done once per
 * distinct stack, not once per event.
 */
#include "analyze/evfold.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/fold.h"
#include "core/stacks.h"

/* Address -> frame ids of the default namer (direct-mapped, 4-way probe). */
#define IC_BITS 16
#define IC_PROBE 4
#define IC_IDS 4
/* (node, addresses) -> trie node of the default namer; deeper stacks are not cached. */
#define CC_BITS 14
#define CC_MAX 64
/* A comm longer than this is not cached per task (rebuilt each time). */
#define COMM_MAX 32
/* Addresses kept for one pending stack: more than any kernel records. */
#define MAX_IPS 65536

struct task {
	uint32_t tid;			/* 0: empty slot (tid 0 is never kept) */
	uint32_t pid;			/* the pid node0 was made with */
	uint32_t node0;			/* process frame node (ROOT with --no-comm) */
	uint32_t leaf;			/* off-CPU: the switch-out's stack node */
	uint32_t wproc;			/* its process frame name as a waker */
	uint64_t out_ts;		/* switch-out time */
	uint16_t cpu;			/* switch-out CPU */
	uint8_t have_node, wanted, have_wproc;
	uint8_t open;			/* switched out, not back in */
	uint8_t counted;		/* the interval passes --state, --cpu, the window */
	uint8_t woken;
	uint8_t have_leaf;
	char comm[COMM_MAX];		/* node0's comm */
	char wcomm[COMM_MAX];		/* wproc's comm */
	uint32_t wpid;
};

enum { P_NONE, P_ONCPU, P_OFF, P_WAKE };

struct pend {
	uint8_t kind;
	uint32_t tid;			/* whose stack it is */
	uint32_t target;		/* wakeup: the woken task */
	uint64_t weight;		/* wakeup: its sleep */
	uint64_t *k, *u;
	uint32_t nk, nu, capk, capu;
	bool has_k, has_u;
};

struct ic_ent {
	uint64_t ip;
	bool used, user;
	uint8_t n;
	uint32_t ids[IC_IDS];
};

struct cc_ent {
	bool used;
	uint32_t node0, leaf, nk, nu;
	uint64_t hash;
	uint64_t ips[CC_MAX];		/* kernel then user */
};

struct tk_evfold {
	struct tk_evfold_opts o;
	struct tk_fold *fold;
	const struct tk_schema *sch;
	struct tk_evfold_counts counts;
	struct tk_err err;
	struct task *tasks;
	size_t ntasks, captasks;	/* power of two */
	struct pend *pend;
	size_t npend;
	struct ic_ent *ic;
	struct cc_ent *cc;
	uint32_t *ids;			/* scratch: frame ids of one stack */
	size_t ids_cap, nids;
	char comm0[COMM_MAX];
};

/* ---- tasks ---- */

static uint32_t hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static struct task *task_find(struct tk_evfold *e, uint32_t tid)
{
	size_t i, mask;

	if (!e->captasks || !tid)
		return NULL;
	mask = e->captasks - 1;
	for (i = hash32(tid) & mask;; i = (i + 1) & mask) {
		if (e->tasks[i].tid == tid)
			return &e->tasks[i];
		if (!e->tasks[i].tid)
			return NULL;
	}
}

/* The slot of tid (not 0), made if new; NULL without memory. Invalidates other slots. */
static struct task *task_get(struct tk_evfold *e, uint32_t tid)
{
	struct task *t = task_find(e, tid);
	size_t i, j, mask;

	if (t)
		return t;
	if ((e->ntasks + 1) * 4 >= e->captasks * 3) {
		size_t ncap = e->captasks ? e->captasks * 2 : 1024;
		struct task *nt = calloc(ncap, sizeof(*nt));

		if (!nt)
			return NULL;
		for (j = 0; j < e->captasks; j++) {
			if (!e->tasks[j].tid)
				continue;
			for (i = hash32(e->tasks[j].tid) & (ncap - 1); nt[i].tid; i = (i + 1) & (ncap - 1))
				;
			nt[i] = e->tasks[j];
		}
		free(e->tasks);
		e->tasks = nt;
		e->captasks = ncap;
	}
	mask = e->captasks - 1;
	for (i = hash32(tid) & mask; e->tasks[i].tid; i = (i + 1) & mask)
		;
	memset(&e->tasks[i], 0, sizeof(e->tasks[i]));
	e->tasks[i].tid = tid;
	e->ntasks++;
	return &e->tasks[i];
}

static int nomem(struct tk_evfold *e)
{
	return tk_err_set(&e->err, TK_ENOMEM, -1, "out of memory");
}

/* ---- names ---- */

static const char *comm_of(struct tk_evfold *e, uint32_t tid)
{
	const char *c;

	/* one idle task per CPU, all tid 0: perf's name for them */
	if (!tid)
		return "swapper";
	c = e->sch && e->sch->ops->comm ? e->sch->ops->comm(e->sch->arg, tid) : NULL;
	if (c)
		return c;
	snprintf(e->comm0, sizeof(e->comm0), ":%" PRIu32, tid);	/* perf's unknown thread */
	return e->comm0;
}

static uint32_t pid_of(struct tk_evfold *e, uint32_t tid)
{
	return e->sch && e->sch->ops->tgid ? e->sch->ops->tgid(e->sch->arg, tid) : 0;
}

/*
 * The process frame node of a task: 1 and *node, 0 when --comm drops it,
 * or < 0. Cached per task while its comm and pid stay.
 */
static int proc_node(struct tk_evfold *e, uint32_t tid, const char *comm, uint32_t pid,
		     uint32_t *node)
{
	size_t len = strlen(comm);
	struct task *t = tid ? task_get(e, tid) : NULL;
	uint32_t id;
	int ret;

	if (tid && !t)
		return nomem(e);
	if (t && t->have_node && t->pid == pid && !strcmp(t->comm, comm)) {
		*node = t->node0;
		return t->wanted;
	}
	*node = TK_STACKS_ROOT;
	if (!tk_fold_comm_wanted(e->fold, comm)) {
		ret = 0;
	} else {
		if (!tk_fold_get_opts(e->fold)->no_comm) {
			ret = tk_fold_proc_id(e->fold, comm, pid ? (int64_t)pid : -1, tid, &id, &e->err);
			if (ret < 0)
				return ret;
			ret = tk_fold_extend(e->fold, node, &id, 1, &e->err);
			if (ret < 0)
				return ret;
		}
		ret = 1;
	}
	if (t && len < COMM_MAX) {
		memcpy(t->comm, comm, len + 1);
		t->pid = pid;
		t->node0 = *node;
		t->wanted = (uint8_t)ret;
		t->have_node = 1;
	}
	return ret;
}

/* The waker's process frame name id (cached per task). */
static int waker_id(struct tk_evfold *e, uint32_t tid, uint32_t *id)
{
	const char *comm = comm_of(e, tid);
	uint32_t pid = tid ? pid_of(e, tid) : 0;
	size_t len = strlen(comm);
	struct task *t = tid ? task_get(e, tid) : NULL;
	int ret;

	if (tid && !t)
		return nomem(e);
	if (t && t->have_wproc && t->wpid == pid && !strcmp(t->wcomm, comm)) {
		*id = t->wproc;
		return 0;
	}
	ret = tk_fold_proc_id(e->fold, comm, pid ? (int64_t)pid : -1, tid, id, &e->err);
	if (ret < 0)
		return ret;
	if (t && len < COMM_MAX) {
		memcpy(t->wcomm, comm, len + 1);
		t->wpid = pid;
		t->wproc = *id;
		t->have_wproc = 1;
	}
	return 0;
}

static int grow_ids(struct tk_evfold *e, size_t need)
{
	uint32_t *p;

	if (e->nids + need <= e->ids_cap)
		return 0;
	p = realloc(e->ids, (e->nids + need + 256) * sizeof(*p));
	if (!p)
		return nomem(e);
	e->ids = p;
	e->ids_cap = e->nids + need + 256;
	return 0;
}

/* Append the frame ids of one address (default namer). */
static int ip_ids(struct tk_evfold *e, uint64_t ip, bool user)
{
	uint64_t h = (ip * 0x9e3779b97f4a7c15ull) ^ user;
	struct ic_ent *slot = NULL;
	struct tk_fold_frame fr;
	const char *sym = NULL;
	char pc[24];
	int i, n;

	h ^= h >> 31;
	for (i = 0; i < IC_PROBE; i++) {
		struct ic_ent *x = &e->ic[(h + (uint64_t)i) & ((1u << IC_BITS) - 1)];

		if (x->used && x->ip == ip && x->user == user) {
			if (grow_ids(e, x->n) < 0)
				return -TK_ENOMEM;
			if (x->n)
				memcpy(e->ids + e->nids, x->ids, x->n * sizeof(*x->ids));
			e->nids += x->n;
			return 0;
		}
		if (!x->used && !slot)
			slot = x;
	}
	if (!slot)
		slot = &e->ic[h & ((1u << IC_BITS) - 1)];
	if (!user && e->sch && e->sch->ops->ksym)
		sym = e->sch->ops->ksym(e->sch->arg, ip, NULL);
	snprintf(pc, sizeof(pc), "%" PRIx64, ip);
	fr.pc = pc;
	fr.sym = sym && *sym ? sym : "[unknown]";
	fr.dso = user ? "[unknown]" : "[kernel.kallsyms]";
	/* a name of L bytes splits into at most L / 2 + 1 "->" parts */
	if (grow_ids(e, strlen(fr.sym) / 2 + 1) < 0)
		return -TK_ENOMEM;
	n = tk_fold_line_ids(e->fold, &fr, false, e->ids + e->nids, strlen(fr.sym) / 2 + 1,
			     &e->err);
	if (n < 0)
		return n;
	if (n <= IC_IDS) {
		slot->used = true;
		slot->ip = ip;
		slot->user = user;
		slot->n = (uint8_t)n;
		memcpy(slot->ids, e->ids + e->nids, (size_t)n * sizeof(*slot->ids));
	}
	e->nids += (size_t)n;
	return 0;
}

static uint64_t chain_hash(uint32_t node, const struct tk_evfold_stack *st)
{
	uint64_t h = 0xcbf29ce484222325ull ^ ((uint64_t)node << 32 | st->nk);
	uint32_t i;

	for (i = 0; i < st->nk; i++)
		h = (h ^ st->kips[i]) * 0x100000001b3ull;
	h ^= (uint64_t)st->nu << 40;
	for (i = 0; i < st->nu; i++)
		h = (h ^ st->uips[i]) * 0x100000001b3ull;
	return h ^ (h >> 29);
}

/* The default namer: the schema's kernel symbols; kernel names never change. */
static int default_extend(void *arg, struct tk_fold *fold, uint32_t *node,
			  const struct tk_evfold_stack *st, struct tk_err *err)
{
	struct tk_evfold *e = arg;
	struct cc_ent *c = NULL;
	uint64_t h = 0;
	uint32_t i;
	int ret;

	(void)err;
	if (st->nk + st->nu <= CC_MAX) {
		h = chain_hash(*node, st);
		c = &e->cc[h >> (64 - CC_BITS)];
		if (c->used && c->hash == h && c->node0 == *node && c->nk == st->nk &&
		    c->nu == st->nu && (!st->nk || !memcmp(c->ips, st->kips, st->nk * 8)) &&
		    (!st->nu || !memcmp(c->ips + st->nk, st->uips, st->nu * 8))) {
			*node = c->leaf;
			return 0;
		}
	}
	e->nids = 0;
	for (i = st->nu; i-- > 0;)
		if ((ret = ip_ids(e, st->uips[i], true)) < 0)
			return ret;
	for (i = st->nk; i-- > 0;)
		if ((ret = ip_ids(e, st->kips[i], false)) < 0)
			return ret;
	if (c) {
		c->used = true;
		c->hash = h;
		c->node0 = *node;
		c->nk = st->nk;
		c->nu = st->nu;
		if (st->nk)
			memcpy(c->ips, st->kips, st->nk * sizeof(*st->kips));
		if (st->nu)
			memcpy(c->ips + st->nk, st->uips, st->nu * sizeof(*st->uips));
	}
	ret = tk_fold_extend(fold, node, e->ids, e->nids, &e->err);
	if (ret < 0)
		return ret;
	if (c)
		c->leaf = *node;
	return 0;
}

/* ---- pending stacks, per CPU ---- */

static struct pend *pend_of(struct tk_evfold *e, uint16_t cpu)
{
	if (cpu >= e->npend) {
		size_t n = (size_t)cpu + 1 > e->npend * 2 ? (size_t)cpu + 1 : e->npend * 2;
		struct pend *p = realloc(e->pend, n * sizeof(*p));

		if (!p)
			return NULL;
		memset(p + e->npend, 0, (n - e->npend) * sizeof(*p));
		e->pend = p;
		e->npend = n;
	}
	return &e->pend[cpu];
}

static bool cpu_wanted(const struct tk_evfold *e, uint16_t cpu)
{
	if (!e->o.cpus)
		return true;
	return cpu < e->o.ncpubits && (e->o.cpus[cpu / 64] >> (cpu % 64) & 1);
}

static uint64_t end_of(const struct tk_evfold *e)
{
	return e->o.to ? e->o.to : UINT64_MAX;
}

/* The part of [a, b) inside the window. */
static uint64_t clip(const struct tk_evfold *e, uint64_t a, uint64_t b)
{
	uint64_t lo = a > e->o.from ? a : e->o.from, hi = b < end_of(e) ? b : end_of(e);

	return hi > lo ? hi - lo : 0;
}

/* Node for a pending stack below *node. */
static int extend_pend(struct tk_evfold *e, const struct pend *p, uint32_t *node)
{
	struct tk_evfold_stack st = {
		.tid = p->tid,
		.pid = p->tid ? pid_of(e, p->tid) : 0,
		.kips = p->k,
		.nk = p->has_k ? p->nk : 0,
		.uips = p->u,
		.nu = p->has_u ? p->nu : 0,
	};

	if (!st.nk && !st.nu)
		return 0;
	st.comm = comm_of(e, p->tid);
	if (e->o.extend)
		return e->o.extend(e->o.extend_arg, e->fold, node, &st, &e->err);
	return default_extend(e, e->fold, node, &st, &e->err);
}

static void add(struct tk_evfold *e, uint32_t node, uint64_t w, bool stackless)
{
	if (node == TK_STACKS_ROOT || !w)
		return;
	tk_fold_add_weight(e->fold, node, w);
	e->counts.kept++;
	e->counts.weight += w;
	if (stackless)
		e->counts.no_stack++;
}

/* The CPU's event has all its stacks: fold them. */
static int complete(struct tk_evfold *e, struct pend *p)
{
	bool stackless = !(p->has_k || p->has_u);
	uint32_t node, id;
	struct task *t;
	int ret = 0;

	switch (p->kind) {
	case P_ONCPU:
		if (stackless)
			break;
		ret = proc_node(e, p->tid, comm_of(e, p->tid), pid_of(e, p->tid), &node);
		if (ret <= 0)
			break;
		ret = extend_pend(e, p, &node);
		if (ret >= 0)
			add(e, node, 1, false);
		break;
	case P_OFF:
		t = task_find(e, p->tid);
		if (!t || !t->open || t->have_leaf)
			break;
		node = t->node0;	/* made at the switch-out */
		ret = extend_pend(e, p, &node);
		if (ret < 0)
			break;
		t = task_find(e, p->tid);
		t->leaf = node;
		t->have_leaf = 1;
		break;
	case P_WAKE:
		t = task_find(e, p->target);
		if (!t || !t->wanted)
			break;
		node = t->node0;
		ret = waker_id(e, p->tid, &id);
		if (ret >= 0)
			ret = tk_fold_extend(e->fold, &node, &id, 1, &e->err);
		if (ret >= 0)
			ret = extend_pend(e, p, &node);
		if (ret >= 0)
			add(e, node, p->weight, stackless);
		break;
	}
	p->kind = P_NONE;
	p->has_k = p->has_u = false;
	return ret < 0 ? ret : 0;
}

static int take_stack(struct tk_evfold *e, struct pend *p, const struct tk_event *ev)
{
	uint64_t **dst = ev->u.stack.user ? &p->u : &p->k;
	uint32_t *cap = ev->u.stack.user ? &p->capu : &p->capk;
	uint32_t n = ev->u.stack.n < MAX_IPS ? ev->u.stack.n : MAX_IPS;

	e->counts.stacks++;
	if (p->kind == P_NONE || p->tid != ev->tid || (ev->u.stack.user ? p->has_u : p->has_k))
		return 0;	/* not the stack of the CPU's last event */
	if (n > *cap) {
		uint64_t *q = realloc(*dst, n * sizeof(*q));

		if (!q)
			return nomem(e);
		*dst = q;
		*cap = n;
	}
	if (n)
		memcpy(*dst, ev->u.stack.ips, n * sizeof(**dst));
	if (ev->u.stack.user) {
		p->nu = n;
		p->has_u = true;
	} else {
		p->nk = n;
		p->has_k = true;
	}
	return e->o.one_stack ? complete(e, p) : 0;
}

static bool event_wanted(const struct tk_evfold *e, const struct tk_event *ev,
			 const struct tk_payload *pl)
{
	uint32_t id;
	size_t i;

	if (!e->o.events)
		return true;
	if (ev->kind == TK_EV_GENERIC)
		id = ev->u.generic.event_id;
	else if (pl)
		id = pl->event_id;
	else
		return false;
	for (i = 0; i < e->o.nevents; i++)
		if (e->o.events[i] == id)
			return true;
	return false;
}

static bool state_wanted(const struct tk_evfold *e, uint16_t state)
{
	if (!e->o.states)
		return true;
	return state ? (e->o.states & state) != 0 : (e->o.states & TK_EVFOLD_STATE_R) != 0;
}

static int switch_out(struct tk_evfold *e, const struct tk_event *ev, struct pend *p)
{
	const char *comm = NULL;
	uint32_t node, pid;
	struct task *t;
	int ret;

	if (!ev->tid)
		return 0;
	if (ev->u.sw.prev_comm != TK_NOSTR && e->sch && e->sch->ops->str)
		comm = e->sch->ops->str(e->sch->arg, ev->u.sw.prev_comm);
	if (!comm)
		comm = comm_of(e, ev->tid);
	pid = pid_of(e, ev->tid);
	ret = proc_node(e, ev->tid, comm, pid, &node);
	if (ret < 0)
		return ret;
	t = task_get(e, ev->tid);
	if (!t)
		return nomem(e);
	t->open = 1;
	t->woken = 0;
	t->have_leaf = 0;
	t->out_ts = ev->ts;
	t->cpu = ev->cpu;
	/* proc_node did not cache an over-long comm: keep what it made */
	t->node0 = node;
	t->wanted = (uint8_t)ret;
	t->counted = ret && state_wanted(e, ev->u.sw.prev_state) && ev->ts < end_of(e) &&
		     (e->o.mode != TK_EVFOLD_OFFCPU || cpu_wanted(e, ev->cpu));
	if (e->o.mode == TK_EVFOLD_OFFCPU && t->counted) {
		p->kind = P_OFF;
		p->tid = ev->tid;
	}
	return 0;
}

static int switch_in(struct tk_evfold *e, const struct tk_event *ev)
{
	struct task *t = task_find(e, ev->u.sw.next_tid);
	uint64_t w;
	int ret;

	if (!t || !t->open)
		return 0;
	if (e->o.mode == TK_EVFOLD_OFFCPU && t->counted) {
		if (!t->have_leaf && t->cpu < e->npend && e->pend[t->cpu].kind == P_OFF &&
		    e->pend[t->cpu].tid == t->tid) {
			/* switched in before its stack's CPU moved on */
			ret = complete(e, &e->pend[t->cpu]);
			if (ret < 0)
				return ret;
			t = task_find(e, ev->u.sw.next_tid);
		}
		w = clip(e, t->out_ts, ev->ts);
		add(e, t->have_leaf ? t->leaf : t->node0, w, !t->have_leaf || t->leaf == t->node0);
	}
	t->open = 0;
	return 0;
}

static int wakeup(struct tk_evfold *e, const struct tk_event *ev, struct pend *p)
{
	struct task *t;
	bool waking = (ev->flags & TK_EVF_WAKING) != 0;

	if (ev->flags & TK_EVF_WAKE_NEW || waking != e->o.use_waking)
		return 0;
	e->counts.wakeups++;
	if (e->o.mode != TK_EVFOLD_WAKEUP)
		return 0;
	t = task_find(e, ev->u.wake.target_tid);
	if (!t || !t->open || t->woken || !t->wanted)
		return 0;
	t->woken = 1;
	/* --cpu is the waker's CPU, where its stack is taken */
	if (!t->counted || !cpu_wanted(e, ev->cpu))
		return 0;
	p->kind = P_WAKE;
	p->tid = ev->tid;
	p->target = t->tid;
	p->weight = clip(e, t->out_ts, ev->ts);
	return 0;
}

int tk_evfold_event(struct tk_evfold *e, const struct tk_event *ev, const struct tk_payload *pl)
{
	struct pend *p = pend_of(e, ev->cpu);
	int ret;

	if (!p)
		return nomem(e);
	if (ev->kind == TK_EV_STACK)
		return take_stack(e, p, ev);
	e->counts.events++;
	if (p->kind != P_NONE && (ret = complete(e, p)) < 0)
		return ret;
	switch (ev->kind) {
	case TK_EV_LOST:
		e->counts.lost++;
		return 0;
	case TK_EV_SWITCH:
		e->counts.switches++;
		break;
	default:
		break;
	}
	if (e->o.mode == TK_EVFOLD_ONCPU) {
		if (event_wanted(e, ev, pl) && cpu_wanted(e, ev->cpu) && ev->ts >= e->o.from &&
		    ev->ts <= end_of(e)) {
			p->kind = P_ONCPU;
			p->tid = ev->tid;
		}
		return 0;
	}
	if (ev->kind == TK_EV_WAKEUP)
		return wakeup(e, ev, p);
	if (ev->kind != TK_EV_SWITCH)
		return 0;
	/* the next task first: its slot is not disturbed by the prev task's */
	ret = switch_in(e, ev);
	if (ret < 0)
		return ret;
	return switch_out(e, ev, p);
}

int tk_evfold_finish(struct tk_evfold *e)
{
	size_t i;
	int ret;

	for (i = 0; i < e->npend; i++)
		if (e->pend[i].kind != P_NONE && (ret = complete(e, &e->pend[i])) < 0)
			return ret;
	for (i = 0; i < e->captasks; i++)
		if (e->tasks[i].tid && e->tasks[i].open && e->tasks[i].counted)
			e->counts.open_at_end++;
	return 0;
}

struct tk_evfold *tk_evfold_create(struct tk_fold *fold, const struct tk_evfold_opts *opts,
				   struct tk_err *err)
{
	struct tk_evfold *e = calloc(1, sizeof(*e));

	if (!e)
		goto nomem;
	e->o = *opts;
	e->fold = fold;
	e->sch = opts->schema;
	tk_err_clear(&e->err);
	if (!opts->extend) {
		e->ic = calloc((size_t)1 << IC_BITS, sizeof(*e->ic));
		e->cc = calloc((size_t)1 << CC_BITS, sizeof(*e->cc));
		if (!e->ic || !e->cc)
			goto nomem;
	}
	return e;
nomem:
	tk_evfold_destroy(e);
	tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	return NULL;
}

void tk_evfold_destroy(struct tk_evfold *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < e->npend; i++) {
		free(e->pend[i].k);
		free(e->pend[i].u);
	}
	free(e->pend);
	free(e->tasks);
	free(e->ic);
	free(e->cc);
	free(e->ids);
	free(e);
}

const struct tk_evfold_counts *tk_evfold_get_counts(const struct tk_evfold *e)
{
	return &e->counts;
}

const struct tk_err *tk_evfold_get_err(const struct tk_evfold *e)
{
	return &e->err;
}
