/* SPDX-License-Identifier: MIT */
/*
 * The event source: both readers behind one stream of tk_events. Field
 * offsets of the modelled tracepoints are looked up once per event id, so
 * the per-record path does no string lookups (DESIGN.md 7).
 */
#include "formats/evsrc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "core/strtab.h"
#include "formats/pdat.h"
#include "formats/tdat.h"

#define MAX_FIELDS 8
#define NIDS 65536		/* common_type is 16 bits in both formats */
#define QLEN 4

enum { K_UNSEEN = 0xff, K_STACK_K = 0xfe, K_STACK_U = 0xfd };

struct tpent {
	uint8_t kind;		/* TK_EV_*, K_STACK_*, or TK_EV_GENERIC */
	uint8_t flags;		/* TK_EVF_* the event always has */
	uint8_t have;		/* bit i: f[i] exists */
	struct tk_field f[MAX_FIELDS];
};

struct task {
	uint32_t tid;		/* 0 = empty slot (tid 0 is kept aside) */
	uint32_t comm;
	uint32_t tgid;
};

struct qent {
	struct tk_event ev;
	const struct tk_payload *pl;
	struct tk_evmeta meta;
};

struct tk_evsrc {
	enum tk_evsrc_type type;
	struct tk_tdat_reader *tdat;
	struct tk_pdat_reader *pdat;
	struct tep_handle *tep;
	struct tk_evsrc_opts opts;
	struct tk_schema schema;
	struct tk_strtab *strs;
	uint16_t *idx;			/* event id -> ents index + 1 (0 unseen) */
	struct tpent *ents;
	size_t nents, capents;
	uint32_t *names;		/* event id -> "sys:name" string id + 1 */
	struct task *tasks;
	size_t ntasks, captasks;	/* power of two */
	struct task task0;
	uint64_t *ips;
	size_t capips;
	struct tk_payload pl;
	struct qent q[QLEN];
	int qhead, qlen;
	struct tk_evmeta meta;		/* of the event returned last */
	uint64_t last_ts;
	struct tk_err err;
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

static struct task *task_find(struct tk_evsrc *s, uint32_t tid)
{
	size_t i, mask;

	if (tid == 0)
		return &s->task0;
	if (!s->captasks)
		return NULL;
	mask = s->captasks - 1;
	for (i = hash32(tid) & mask;; i = (i + 1) & mask) {
		if (s->tasks[i].tid == tid)
			return &s->tasks[i];
		if (s->tasks[i].tid == 0)
			return NULL;
	}
}

static struct task *task_get(struct tk_evsrc *s, uint32_t tid)
{
	struct task *t = task_find(s, tid);
	size_t i, mask;

	if (t)
		return t;
	if ((s->ntasks + 1) * 4 >= s->captasks * 3) {
		size_t ncap = s->captasks ? s->captasks * 2 : 1024, j;
		struct task *nt = calloc(ncap, sizeof(*nt));

		if (!nt)
			return NULL;
		for (j = 0; j < s->captasks; j++) {
			if (!s->tasks[j].tid)
				continue;
			for (i = hash32(s->tasks[j].tid) & (ncap - 1); nt[i].tid;
			     i = (i + 1) & (ncap - 1))
				;
			nt[i] = s->tasks[j];
		}
		free(s->tasks);
		s->tasks = nt;
		s->captasks = ncap;
	}
	mask = s->captasks - 1;
	for (i = hash32(tid) & mask; s->tasks[i].tid; i = (i + 1) & mask)
		;
	s->tasks[i].tid = tid;
	s->tasks[i].comm = TK_NOSTR;
	s->tasks[i].tgid = 0;
	s->ntasks++;
	return &s->tasks[i];
}

static int set_comm(struct tk_evsrc *s, uint32_t tid, uint32_t comm)
{
	struct task *t;

	if (comm == TK_NOSTR)
		return 0;
	t = task_get(s, tid);
	if (!t)
		return tk_err_set(&s->err, TK_ENOMEM, -1, "out of memory for tasks");
	t->comm = comm;
	return 0;
}

static int set_tgid(struct tk_evsrc *s, uint32_t tid, uint32_t tgid)
{
	struct task *t;

	if (!tgid)
		return 0;
	t = task_get(s, tid);
	if (!t)
		return tk_err_set(&s->err, TK_ENOMEM, -1, "out of memory for tasks");
	t->tgid = tgid;
	return 0;
}

uint32_t tk_evsrc_intern(struct tk_evsrc *s, const char *str, size_t len)
{
	uint32_t id;

	if (tk_strtab_intern(s->strs, str, len, &id) < 0)
		return TK_NOSTR;
	return id;
}

/* ---- schema ---- */

static struct tep_event *find_tep_event(struct tep_handle *tep, const char *name)
{
	const char *colon = strchr(name, ':');
	char sys[256];
	size_t n;

	if (!tep)
		return NULL;
	if (!colon)
		return tep_find_event_by_name(tep, NULL, name);
	n = (size_t)(colon - name);
	if (n >= sizeof(sys))
		return NULL;
	memcpy(sys, name, n);
	sys[n] = 0;
	return tep_find_event_by_name(tep, sys, colon + 1);
}

static int sch_find_event(void *arg, const char *name, uint32_t *id)
{
	struct tk_evsrc *s = arg;
	struct tep_event *e = find_tep_event(s->tep, name);

	if (!e)
		return 0;
	*id = (uint32_t)e->id;
	return 1;
}

static const char *sch_event_name(void *arg, uint32_t id)
{
	struct tk_evsrc *s = arg;
	struct tep_event *e;
	char buf[512];
	int n;

	if (id >= NIDS || !s->tep)
		return NULL;
	if (s->names[id])
		return tk_strtab_get(s->strs, s->names[id] - 1);
	e = tep_find_event(s->tep, (int)id);
	if (!e)
		return NULL;
	n = snprintf(buf, sizeof(buf), "%s:%s", e->system, e->name);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return NULL;
	if (tk_strtab_intern(s->strs, buf, (size_t)n, &s->names[id]) < 0)
		return NULL;
	s->names[id]++;
	return buf[0] ? tk_strtab_get(s->strs, s->names[id] - 1) : NULL;
}

static void to_field(struct tk_evsrc *s, const struct tep_format_field *tf, struct tk_field *f)
{
	memset(f, 0, sizeof(*f));
	f->offset = (uint32_t)tf->offset;
	f->size = (uint32_t)tf->size;
	f->elem_size = f->size;
	if (tf->flags & TEP_FIELD_IS_SIGNED)
		f->flags |= TK_FIELD_SIGNED;
	if (tf->flags & TEP_FIELD_IS_STRING)
		f->flags |= TK_FIELD_STRING;
	if (tf->flags & TEP_FIELD_IS_DYNAMIC)
		f->flags |= TK_FIELD_DYNAMIC;
	if (tf->flags & (TEP_FIELD_IS_LONG | TEP_FIELD_IS_POINTER))
		f->flags |= TK_FIELD_LONG;
	if ((tf->flags & TEP_FIELD_IS_ARRAY) && !(tf->flags & TEP_FIELD_IS_DYNAMIC)) {
		f->flags |= TK_FIELD_ARRAY;
		if (tf->arraylen > 0 && tf->size > 0)
			f->elem_size = (uint32_t)tf->size / (uint32_t)tf->arraylen;
		if (tf->flags & TEP_FIELD_IS_STRING)
			f->elem_size = 1;
	}
	if (s->tep && tep_is_file_bigendian(s->tep))
		f->flags |= TK_FIELD_BIGENDIAN;
}

static int sch_find_field(void *arg, uint32_t id, const char *name, struct tk_field *out)
{
	struct tk_evsrc *s = arg;
	struct tep_event *e;
	struct tep_format_field *tf;

	if (!s->tep || id >= NIDS)
		return 0;
	e = tep_find_event(s->tep, (int)id);
	if (!e)
		return 0;
	tf = tep_find_any_field(e, name);
	if (!tf)
		return 0;
	to_field(s, tf, out);
	return 1;
}

static const char *sch_field_name(void *arg, uint32_t id, int i)
{
	struct tk_evsrc *s = arg;
	struct tep_event *e;
	struct tep_format_field *tf;

	if (!s->tep || id >= NIDS || i < 0)
		return NULL;
	e = tep_find_event(s->tep, (int)id);
	if (!e)
		return NULL;
	for (tf = e->format.common_fields; tf; tf = tf->next)
		if (i-- == 0)
			return tf->name;
	for (tf = e->format.fields; tf; tf = tf->next)
		if (i-- == 0)
			return tf->name;
	return NULL;
}

static const char *sch_str(void *arg, uint32_t id)
{
	struct tk_evsrc *s = arg;

	if (id == TK_NOSTR || id >= tk_strtab_count(s->strs))
		return NULL;
	return tk_strtab_get(s->strs, id);
}

static const char *sch_comm(void *arg, uint32_t tid)
{
	struct tk_evsrc *s = arg;
	const struct task *t = task_find(s, tid);
	const char *c;

	if (t && t->comm != TK_NOSTR)
		return tk_strtab_get(s->strs, t->comm);
	if (s->type == TK_EVSRC_TDAT && s->tep && tep_is_pid_registered(s->tep, (int)tid)) {
		c = tep_data_comm_from_pid(s->tep, (int)tid);
		return c;
	}
	return NULL;
}

static uint32_t sch_tgid(void *arg, uint32_t tid)
{
	const struct task *t = task_find(arg, tid);

	return t ? t->tgid : 0;
}

static const char *sch_ksym(void *arg, uint64_t addr, uint64_t *off)
{
	struct tk_evsrc *s = arg;
	const char *name;

	if (!s->tep)
		return NULL;
	name = tep_find_function(s->tep, addr);
	if (name && off)
		*off = addr - tep_find_function_address(s->tep, addr);
	return name;
}

static const struct tk_schema_ops schema_ops = {
	.find_event = sch_find_event,
	.event_name = sch_event_name,
	.find_field = sch_find_field,
	.field_name = sch_field_name,
	.str = sch_str,
	.comm = sch_comm,
	.tgid = sch_tgid,
	.ksym = sch_ksym,
};

/* ---- decoding ---- */

static const char *const switch_f[] = { "prev_comm", "prev_pid", "prev_prio", "prev_state",
					"next_comm", "next_pid", "next_prio", NULL };
static const char *const wake_f[] = { "comm", "pid", "prio", "success", "target_cpu", NULL };
static const char *const mig_f[] = { "comm", "pid", "prio", "orig_cpu", "dest_cpu", NULL };
static const char *const fork_f[] = { "parent_comm", "parent_pid", "child_comm", "child_pid",
				      NULL };
static const char *const exec_f[] = { "filename", "pid", "old_pid", NULL };
static const char *const exit_f[] = { "comm", "pid", "prio", NULL };
static const char *const rt_f[] = { "comm", "pid", "runtime", NULL };
static const char *const rename_f[] = { "pid", "newcomm", NULL };
static const char *const kstack_f[] = { "size", "caller", NULL };
static const char *const ustack_f[] = { "tgid", "caller", NULL };

static void classify(struct tep_event *e, uint8_t *kind, uint8_t *flags,
		     const char *const **fields)
{
	static const struct {
		const char *sys, *name;
		uint8_t kind, flags;
		const char *const *fields;
	} tab[] = {
		{ "sched", "sched_switch", TK_EV_SWITCH, 0, switch_f },
		{ "sched", "sched_wakeup", TK_EV_WAKEUP, 0, wake_f },
		{ "sched", "sched_wakeup_new", TK_EV_WAKEUP, TK_EVF_WAKE_NEW, wake_f },
		{ "sched", "sched_waking", TK_EV_WAKEUP, TK_EVF_WAKING, wake_f },
		{ "sched", "sched_migrate_task", TK_EV_MIGRATE, 0, mig_f },
		{ "sched", "sched_process_fork", TK_EV_FORK, 0, fork_f },
		{ "sched", "sched_process_exec", TK_EV_EXEC, 0, exec_f },
		{ "sched", "sched_process_exit", TK_EV_EXIT, 0, exit_f },
		{ "sched", "sched_stat_runtime", TK_EV_RUNTIME, 0, rt_f },
		{ "task", "task_rename", TK_EV_COMM, 0, rename_f },
		{ "ftrace", "kernel_stack", K_STACK_K, 0, kstack_f },
		{ "ftrace", "user_stack", K_STACK_U, 0, ustack_f },
	};
	size_t i;

	*kind = TK_EV_GENERIC;
	*flags = 0;
	*fields = NULL;
	if (!e || !e->system || !e->name)
		return;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strcmp(e->system, tab[i].sys) || strcmp(e->name, tab[i].name))
			continue;
		*kind = tab[i].kind;
		*flags = tab[i].flags;
		*fields = tab[i].fields;
		return;
	}
}

/* Entry for an event id, resolved on first sight; NULL only without memory. */
static const struct tpent *lookup(struct tk_evsrc *s, uint32_t id)
{
	struct tpent *t;
	const char *const *names;
	struct tep_event *e;
	int i;

	if (id >= NIDS)
		return NULL;
	if (s->idx[id])
		return &s->ents[s->idx[id] - 1];
	if (s->nents == s->capents) {
		size_t ncap = s->capents ? s->capents * 2 : 64;
		struct tpent *n = realloc(s->ents, ncap * sizeof(*n));

		if (!n)
			return NULL;
		s->ents = n;
		s->capents = ncap;
	}
	t = &s->ents[s->nents];
	memset(t, 0, sizeof(*t));
	e = s->tep ? tep_find_event(s->tep, (int)id) : NULL;
	classify(e, &t->kind, &t->flags, &names);
	for (i = 0; names && names[i] && i < MAX_FIELDS; i++) {
		struct tep_format_field *tf = tep_find_field(e, names[i]);

		if (!tf)
			continue;
		to_field(s, tf, &t->f[i]);
		t->have |= (uint8_t)(1u << i);
	}
	/* A modelled event without its key fields is left generic. */
	if (t->kind != TK_EV_GENERIC && !(t->have & 0x3))
		t->kind = TK_EV_GENERIC;
	if (t->kind == TK_EV_SWITCH && (t->have & 0x7f) != 0x7f)
		t->kind = TK_EV_GENERIC;
	s->idx[id] = (uint16_t)(++s->nents);
	return t;
}

static uint32_t fnum(const struct tpent *t, int i, const struct tk_payload *p)
{
	return (t->have & (1u << i)) ? (uint32_t)tk_field_u64(&t->f[i], p) : 0;
}

static uint32_t fcomm(struct tk_evsrc *s, const struct tpent *t, int i,
		      const struct tk_payload *p)
{
	const char *str;
	size_t len;

	if (!(t->have & (1u << i)))
		return TK_NOSTR;
	str = tk_field_str(&t->f[i], p, &len);
	return tk_evsrc_intern(s, str, len);
}

/* Task state as sched_switch reports it (TASK_REPORT bits, preempt above). */
static void switch_state(uint64_t v, struct tk_event *ev)
{
	ev->u.sw.prev_state = (uint16_t)(v & 0xff);
	if (v & 0x100)
		ev->flags |= TK_EVF_PREEMPT;
}

static int fill_stack(struct tk_evsrc *s, const struct tpent *t, const struct tk_payload *p,
		      struct tk_event *ev, bool user)
{
	const struct tk_field *cf = &t->f[1];
	uint32_t n, i, es = cf->elem_size ? cf->elem_size : 8;

	if (!(t->have & 2) || cf->offset > p->size)
		return 0;
	n = (p->size - cf->offset) / es;
	if (!user && (t->have & 1)) {
		uint32_t sz = (uint32_t)tk_field_u64(&t->f[0], p);

		if (sz < n)
			n = sz;
	}
	if (n > s->capips) {
		uint64_t *ni = realloc(s->ips, n * sizeof(*ni));

		if (!ni)
			return tk_err_set(&s->err, TK_ENOMEM, -1, "out of memory for a stack");
		s->ips = ni;
		s->capips = n;
	}
	for (i = 0; i < n; i++) {
		uint64_t ip = tk_field_elem(cf, p, i);

		/* ftrace ends short user stacks with ULONG_MAX or 0 */
		if (ip == 0 || ip == UINT64_MAX || (es == 4 && ip == UINT32_MAX))
			break;
		s->ips[i] = ip;
	}
	ev->kind = TK_EV_STACK;
	ev->u.stack.ips = s->ips;
	ev->u.stack.n = i;
	ev->u.stack.user = user;
	if (user && (t->have & 1))
		return set_tgid(s, ev->tid, fnum(t, 0, p));
	return 0;
}

/* Turn a payload into ev (ts, cpu already set). */
static int decode(struct tk_evsrc *s, const struct tk_payload *p, struct tk_event *ev)
{
	const struct tpent *t = lookup(s, p->event_id);
	int rc = 0;

	ev->kind = TK_EV_GENERIC;
	ev->u.generic.event_id = p->event_id;
	ev->u.generic.size = p->size;
	if (!t)
		return tk_err_set(&s->err, TK_ENOMEM, -1, "out of memory for event formats");
	if (t->kind == TK_EV_GENERIC)
		return 0;
	memset(&ev->u, 0, sizeof(ev->u));
	ev->flags |= t->flags;
	switch (t->kind) {
	case TK_EV_SWITCH:
		ev->kind = TK_EV_SWITCH;
		ev->tid = fnum(t, 1, p);
		ev->u.sw.prev_comm = fcomm(s, t, 0, p);
		ev->u.sw.prev_prio = (uint8_t)fnum(t, 2, p);
		switch_state(tk_field_u64(&t->f[3], p), ev);
		ev->u.sw.next_comm = fcomm(s, t, 4, p);
		ev->u.sw.next_tid = fnum(t, 5, p);
		ev->u.sw.next_prio = (uint8_t)fnum(t, 6, p);
		if ((rc = set_comm(s, ev->tid, ev->u.sw.prev_comm)) < 0)
			return rc;
		return set_comm(s, ev->u.sw.next_tid, ev->u.sw.next_comm);
	case TK_EV_WAKEUP:
		ev->kind = TK_EV_WAKEUP;
		ev->u.wake.target_comm = fcomm(s, t, 0, p);
		ev->u.wake.target_tid = fnum(t, 1, p);
		ev->u.wake.prio = (uint8_t)fnum(t, 2, p);
		ev->u.wake.success = (t->have & 8) ? (uint8_t)(fnum(t, 3, p) != 0) : 1;
		ev->u.wake.target_cpu = (uint16_t)fnum(t, 4, p);
		return set_comm(s, ev->u.wake.target_tid, ev->u.wake.target_comm);
	case TK_EV_MIGRATE:
		ev->kind = TK_EV_MIGRATE;
		ev->u.mig.target_comm = fcomm(s, t, 0, p);
		ev->u.mig.target_tid = fnum(t, 1, p);
		ev->u.mig.prio = (uint8_t)fnum(t, 2, p);
		ev->u.mig.orig_cpu = (uint16_t)fnum(t, 3, p);
		ev->u.mig.dest_cpu = (uint16_t)fnum(t, 4, p);
		return set_comm(s, ev->u.mig.target_tid, ev->u.mig.target_comm);
	case TK_EV_FORK:
		ev->kind = TK_EV_FORK;
		ev->u.fork.parent_tid = fnum(t, 1, p);
		ev->u.fork.child_comm = fcomm(s, t, 2, p);
		ev->u.fork.child_tid = fnum(t, 3, p);
		return set_comm(s, ev->u.fork.child_tid, ev->u.fork.child_comm);
	case TK_EV_EXEC: {
		size_t len;
		const char *fn = tk_field_str(&t->f[0], p, &len);
		const char *base = fn;
		size_t i;

		/* The kernel names the task after the file's base name, 15 bytes. */
		for (i = 0; i < len; i++)
			if (fn[i] == '/')
				base = fn + i + 1;
		len -= (size_t)(base - fn);
		if (len > 15)
			len = 15;
		ev->kind = TK_EV_EXEC;
		ev->tid = fnum(t, 1, p);
		ev->u.exec.old_tid = fnum(t, 2, p);
		ev->u.exec.comm = (t->have & 1) ? tk_evsrc_intern(s, base, len) : TK_NOSTR;
		return set_comm(s, ev->tid, ev->u.exec.comm);
	}
	case TK_EV_EXIT:
		ev->kind = TK_EV_EXIT;
		ev->u.exit.comm = fcomm(s, t, 0, p);
		ev->tid = fnum(t, 1, p);
		ev->u.exit.prio = (uint8_t)fnum(t, 2, p);
		return 0;
	case TK_EV_RUNTIME:
		ev->kind = TK_EV_RUNTIME;
		ev->u.rt.target_comm = fcomm(s, t, 0, p);
		ev->u.rt.target_tid = fnum(t, 1, p);
		ev->u.rt.runtime = (t->have & 4) ? tk_field_u64(&t->f[2], p) : 0;
		return 0;
	case TK_EV_COMM:
		ev->kind = TK_EV_COMM;
		ev->tid = fnum(t, 0, p);
		ev->u.comm.comm = fcomm(s, t, 1, p);
		return set_comm(s, ev->tid, ev->u.comm.comm);
	case K_STACK_K:
		return fill_stack(s, t, p, ev, false);
	case K_STACK_U:
		return fill_stack(s, t, p, ev, true);
	}
	return 0;
}

/* ---- queue of events made from one record ---- */

static struct qent *push(struct tk_evsrc *s)
{
	struct qent *q = &s->q[(s->qhead + s->qlen) % QLEN];

	s->qlen++;
	memset(q, 0, sizeof(*q));
	q->meta.pid = q->meta.tid = q->meta.ppid = q->meta.ptid = -1;
	return q;
}

static uint32_t common_pid(struct tk_evsrc *s, const struct tk_payload *p)
{
	struct tk_field f = { .offset = 4, .size = 4, .elem_size = 4, .flags = TK_FIELD_SIGNED };

	if (s->tep && tep_is_file_bigendian(s->tep))
		f.flags |= TK_FIELD_BIGENDIAN;
	return (uint32_t)tk_field_u64(&f, p);
}

static int fill_tdat(struct tk_evsrc *s)
{
	struct tk_tdat_rec tr;
	struct qent *q;
	struct tep_record *rec;
	int rc = tk_tdat_next(s->tdat, &tr);

	if (rc < 0)
		return tk_err_set(&s->err, tk_tdat_get_err(s->tdat)->code, -1, "reader failed");
	if (rc == 0)
		return 0;
	rec = tr.rec;
	if (rec->missed_events) {
		q = push(s);
		q->ev.ts = rec->ts;
		q->ev.cpu = (uint16_t)tr.cpu;
		q->ev.kind = TK_EV_LOST;
		if (rec->missed_events < 0)
			q->ev.flags = TK_EVF_LOST_UNKNOWN;
		else
			q->ev.u.lost.count = (uint64_t)rec->missed_events;
	}
	q = push(s);
	q->ev.ts = rec->ts;
	q->ev.cpu = (uint16_t)tr.cpu;
	s->pl.data = rec->data;
	s->pl.size = rec->size > 0 ? (uint32_t)rec->size : 0;
	s->pl.event_id = s->pl.size >= 2 ? (uint32_t)tep_data_type(s->tep, rec) : 0;
	q->ev.tid = s->pl.size >= 8 ? common_pid(s, &s->pl) : 0;
	q->meta.tid = (int32_t)q->ev.tid;
	q->pl = &s->pl;
	s->last_ts = rec->ts;
	return decode(s, &s->pl, &q->ev) < 0 ? -s->err.code : 1;
}

static int fill_pdat(struct tk_evsrc *s)
{
	struct tk_pdat_rec rec;
	const struct tk_pdat_attr *a;
	const struct tk_pdat_sample *sm;
	struct qent *q;
	int rc;

	for (;;) {
		rc = tk_pdat_next(s->pdat, &rec);
		if (rc < 0)
			return tk_err_set(&s->err, tk_pdat_get_err(s->pdat)->code, -1,
					  "reader failed");
		if (rc == 0)
			return 0;
		if (s->opts.pdat_hook && (rc = s->opts.pdat_hook(s->opts.pdat_arg, s->pdat, &rec)) < 0)
			return rc;
		if (rec.time != (uint64_t)-1)
			s->last_ts = rec.time;
		switch (rec.type) {
		case TK_PDAT_SAMPLE:
			sm = &rec.u.sample;
			if (set_tgid(s, sm->tid, sm->pid) < 0)
				return -s->err.code;
			a = rec.attr >= 0 ? tk_pdat_get_attr(s->pdat, rec.attr) : NULL;
			q = push(s);
			q->ev.ts = s->last_ts;
			q->ev.cpu = (uint16_t)sm->cpu;
			q->ev.tid = sm->tid;
			q->meta.pid = (int32_t)sm->pid;
			q->meta.tid = (int32_t)sm->tid;
			if (a && a->type == 2 && sm->raw && sm->raw_size >= 8) {
				s->pl.data = sm->raw;
				s->pl.size = sm->raw_size;
				s->pl.event_id = (uint32_t)(a->tp ? a->tp->id : (int)(a->config & 0xffff));
				q->pl = &s->pl;
				if (decode(s, &s->pl, &q->ev) < 0)
					return -s->err.code;
			} else {
				q->ev.kind = TK_EV_SAMPLE;
				q->ev.u.sample.period = sm->period;
				q->ev.u.sample.pid = sm->pid;
				q->ev.u.sample.attr = rec.attr >= 0 ? (uint32_t)rec.attr : UINT32_MAX;
			}
			if (sm->callchain && sm->nr) {
				q = push(s);
				q->ev.ts = s->last_ts;
				q->ev.cpu = (uint16_t)sm->cpu;
				q->ev.tid = sm->tid;
				q->meta.pid = (int32_t)sm->pid;
				q->meta.tid = (int32_t)sm->tid;
				q->ev.kind = TK_EV_STACK;
				q->ev.u.stack.ips = sm->callchain;
				q->ev.u.stack.n = (uint32_t)sm->nr;
			}
			return 1;
		case TK_PDAT_COMM:
			q = push(s);
			q->ev.ts = s->last_ts;
			q->ev.cpu = (uint16_t)rec.sid.cpu;
			q->ev.tid = rec.u.comm.tid;
			q->meta.pid = (int32_t)rec.u.comm.pid;
			q->meta.tid = (int32_t)rec.u.comm.tid;
			q->ev.kind = TK_EV_COMM;
			q->ev.flags = rec.u.comm.exec ? TK_EVF_COMM_EXEC : 0;
			q->ev.u.comm.comm = tk_evsrc_intern(s, rec.u.comm.comm, strlen(rec.u.comm.comm));
			q->ev.u.comm.pid = rec.u.comm.pid;
			if (set_comm(s, rec.u.comm.tid, q->ev.u.comm.comm) < 0 ||
			    set_tgid(s, rec.u.comm.tid, rec.u.comm.pid) < 0)
				return -s->err.code;
			return 1;
		case TK_PDAT_FORK:
		case TK_PDAT_EXIT:
			q = push(s);
			q->ev.ts = rec.u.fork.time ? rec.u.fork.time : s->last_ts;
			q->ev.cpu = (uint16_t)rec.sid.cpu;
			q->meta.pid = (int32_t)rec.u.fork.pid;
			q->meta.tid = (int32_t)rec.u.fork.tid;
			q->meta.ppid = (int32_t)rec.u.fork.ppid;
			q->meta.ptid = (int32_t)rec.u.fork.ptid;
			if (rec.type == TK_PDAT_FORK) {
				q->ev.kind = TK_EV_FORK;
				q->ev.tid = rec.u.fork.ptid;
				q->ev.u.fork.parent_tid = rec.u.fork.ptid;
				q->ev.u.fork.child_tid = rec.u.fork.tid;
				q->ev.u.fork.child_comm = TK_NOSTR;
				q->ev.u.fork.child_pid = rec.u.fork.pid;
				if (set_tgid(s, rec.u.fork.tid, rec.u.fork.pid) < 0)
					return -s->err.code;
				/* a new thread starts with its parent's name */
				{
					const struct task *pt = task_find(s, rec.u.fork.ptid);

					if (pt && set_comm(s, rec.u.fork.tid, pt->comm) < 0)
						return -s->err.code;
				}
			} else {
				q->ev.kind = TK_EV_EXIT;
				q->ev.tid = rec.u.fork.tid;
				q->ev.u.exit.pid = rec.u.fork.pid;
				q->ev.u.exit.comm = TK_NOSTR;
			}
			return 1;
		case TK_PDAT_LOST:
		case TK_PDAT_LOST_SAMPLES:
			q = push(s);
			q->ev.ts = s->last_ts;
			q->ev.cpu = (uint16_t)rec.sid.cpu;
			q->ev.kind = TK_EV_LOST;
			q->ev.u.lost.count = rec.u.lost.lost;
			return 1;
		default:
			break;
		}
	}
}

int tk_evsrc_next(struct tk_evsrc *s, struct tk_event *ev, const struct tk_payload **pl)
{
	int rc;

	if (!s->qlen) {
		s->qhead = 0;
		rc = s->type == TK_EVSRC_TDAT ? fill_tdat(s) : fill_pdat(s);
		if (rc <= 0)
			return rc;
		/*
		 * A trace.dat stack record follows its event as a record of
		 * its own; it is already a TK_EV_STACK of that task.
		 */
	}
	*ev = s->q[s->qhead].ev;
	s->meta = s->q[s->qhead].meta;
	if (pl)
		*pl = s->q[s->qhead].pl;
	s->qhead = (s->qhead + 1) % QLEN;
	s->qlen--;
	return 1;
}

/* ---- open/close ---- */

static int sniff(const char *path, struct tk_err *err, bool *is_pdat)
{
	unsigned char buf[10];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return tk_err_sys(err, errno, -1, "cannot open");
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return tk_err_sys(err, errno, 0, "cannot read");
	*is_pdat = tk_pdat_is_magic(buf, (size_t)n);
	return 0;
}

int tk_evsrc_open(const char *path, const struct tk_evsrc_opts *opts, struct tk_evsrc **out,
		  struct tk_err *err)
{
	struct tk_evsrc *s;
	bool is_pdat = false;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	if (opts)
		s->opts = *opts;
	s->strs = tk_strtab_create(0);
	s->idx = calloc(NIDS, sizeof(*s->idx));
	s->names = calloc(NIDS, sizeof(*s->names));
	s->task0.comm = TK_NOSTR;
	if (!s->strs || !s->idx || !s->names) {
		tk_evsrc_close(s);
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	}
	tk_err_set_file(&s->err, path);
	if (strcmp(path, "-") == 0) {
		struct tk_pdat_opts po = { .no_plugins = s->opts.no_plugins };

		is_pdat = true;
		rc = tk_pdat_open_fd(s->opts.stdin_fd, "-", &po, &s->pdat, err);
	} else if ((rc = sniff(path, err, &is_pdat)) == 0) {
		if (is_pdat) {
			struct tk_pdat_opts po = { .no_plugins = s->opts.no_plugins };

			rc = tk_pdat_open(path, &po, &s->pdat, err);
		} else {
			struct tk_tdat_opts to = { .no_plugins = s->opts.no_plugins };

			rc = tk_tdat_open(path, &to, &s->tdat, err);
		}
	}
	if (rc < 0) {
		tk_evsrc_close(s);
		return rc;
	}
	s->type = is_pdat ? TK_EVSRC_PDAT : TK_EVSRC_TDAT;
	s->tep = is_pdat ? tk_pdat_get_tep(s->pdat) : tk_tdat_get_tep(s->tdat);
	s->schema.ops = &schema_ops;
	s->schema.arg = s;
	*out = s;
	return 0;
}

void tk_evsrc_close(struct tk_evsrc *s)
{
	if (!s)
		return;
	if (s->tdat)
		tk_tdat_close(s->tdat);
	if (s->pdat)
		tk_pdat_close(s->pdat);
	tk_strtab_destroy(s->strs);
	free(s->idx);
	free(s->names);
	free(s->ents);
	free(s->tasks);
	free(s->ips);
	free(s);
}

const struct tk_evmeta *tk_evsrc_get_meta(const struct tk_evsrc *s)
{
	return &s->meta;
}

const struct tk_schema *tk_evsrc_get_schema(const struct tk_evsrc *s)
{
	return &s->schema;
}

enum tk_evsrc_type tk_evsrc_get_type(const struct tk_evsrc *s)
{
	return s->type;
}

struct tk_tdat_reader *tk_evsrc_get_tdat(const struct tk_evsrc *s)
{
	return s->tdat;
}

struct tk_pdat_reader *tk_evsrc_get_pdat(const struct tk_evsrc *s)
{
	return s->pdat;
}

uint64_t tk_evsrc_bytes_read(const struct tk_evsrc *s)
{
	return s->tdat ? tk_tdat_bytes_read(s->tdat) : tk_pdat_bytes_read(s->pdat);
}

uint64_t tk_evsrc_file_size(const struct tk_evsrc *s)
{
	return s->tdat ? tk_tdat_get_info(s->tdat)->file_size : tk_pdat_get_info(s->pdat)->file_size;
}

int tk_evsrc_ncpus(const struct tk_evsrc *s)
{
	if (s->tdat)
		return tk_tdat_get_info(s->tdat)->ncpus;
	return (int)tk_pdat_get_info(s->pdat)->nr_cpus_avail;
}

const struct tk_err *tk_evsrc_get_err(const struct tk_evsrc *s)
{
	if (s->tdat && tk_tdat_get_err(s->tdat)->code)
		return tk_tdat_get_err(s->tdat);
	if (s->pdat && tk_pdat_get_err(s->pdat)->code)
		return tk_pdat_get_err(s->pdat);
	return &s->err;
}

struct tk_err *tk_evsrc_err(struct tk_evsrc *s)
{
	return &s->err;
}
