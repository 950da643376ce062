/* SPDX-License-Identifier: MIT */
/*
 * Chrome Trace Event JSON, streamed (formats/chrome.h, docs/convert.md).
 * State kept: one slot per CPU (who runs since when) and one per task
 * (last comm, the pid its events went under), nothing per event.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "formats/chrome.h"

struct cpu_slot {
	uint64_t since;		/* start of the running slice */
	bool seen;		/* an event came from this CPU */
};

struct task {
	uint32_t key;		/* tid + 1; 0 = empty slot */
	uint32_t comm;		/* string id, TK_NOSTR unknown */
	uint32_t pid;		/* what its events use as pid; 0 until first used */
};

struct tk_chrome {
	FILE *out;
	const struct tk_schema *schema;
	struct tk_err err;
	struct tk_chrome_stats stats;
	bool first;		/* no event written yet (no comma before the next) */
	struct cpu_slot *cpus;
	size_t ncpus;
	struct task *tasks;	/* open addressing, power of two */
	size_t tcap, tcount;
};

/* ---- JSON text ---- */

static void put_hex_byte(FILE *out, unsigned char b)
{
	static const char hex[] = "0123456789abcdef";

	fputs("\\u00", out);
	fputc(hex[b >> 4], out);
	fputc(hex[b & 15], out);
}

/* Length of the valid UTF-8 sequence at s (RFC 3629 table), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t left)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	/* Overlongs, surrogates and code points above U+10FFFF are invalid. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (left < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void tk_chrome_escape(FILE *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;

	while (i < len) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
		} else if (c == '\n') {
			fputs("\\n", out);
		} else if (c == '\t') {
			fputs("\\t", out);
		} else if (c == '\r') {
			fputs("\\r", out);
		} else if (c < 0x20) {
			put_hex_byte(out, c);
		} else if (c < 0x80) {
			fputc(c, out);
		} else if ((n = utf8_len(s + i, len - i)) > 0) {
			fwrite(s + i, 1, n, out);
			i += n;
			continue;
		} else {
			/* Shown as the Latin-1 character of the byte: lossy but valid. */
			put_hex_byte(out, c);
		}
		i++;
	}
}

static void put_str(FILE *out, const char *s)
{
	fputc('"', out);
	tk_chrome_escape(out, s, strlen(s));
	fputc('"', out);
}

/* Integer ns as microseconds with exactly three decimals. */
static void put_us(FILE *out, uint64_t ns)
{
	fprintf(out, "%" PRIu64 ".%03u", ns / 1000, (unsigned)(ns % 1000));
}

/* Starts one element of traceEvents. */
static void begin(struct tk_chrome *c)
{
	fputs(c->first ? "\n{" : ",\n{", c->out);
	c->first = false;
}

/* ---- tasks and CPUs ---- */

static struct task *task_find(const struct tk_chrome *c, uint32_t tid)
{
	size_t mask = c->tcap - 1, i = ((uint64_t)tid * 0x9e3779b97f4a7c15ull >> 32) & mask;

	while (c->tasks[i].key && c->tasks[i].key != tid + 1)
		i = (i + 1) & mask;
	return &c->tasks[i];
}

static struct task *task_get(struct tk_chrome *c, uint32_t tid)
{
	struct task *t;

	if ((c->tcount + 1) * 2 > c->tcap) {
		struct task *old = c->tasks;
		size_t oldcap = c->tcap, i;

		c->tasks = calloc(oldcap * 2, sizeof(*c->tasks));
		if (!c->tasks) {
			c->tasks = old;
			tk_err_set(&c->err, TK_ENOMEM, -1, "out of memory for %zu tasks", c->tcount);
			return NULL;
		}
		c->tcap = oldcap * 2;
		for (i = 0; i < oldcap; i++)
			if (old[i].key)
				*task_find(c, old[i].key - 1) = old[i];
		free(old);
	}
	t = task_find(c, tid);
	if (!t->key) {
		t->key = tid + 1;
		t->comm = TK_NOSTR;
		t->pid = 0;
		c->tcount++;
	}
	return t;
}

static int set_comm(struct tk_chrome *c, uint32_t tid, uint32_t comm)
{
	struct task *t;

	if (!tid || comm == TK_NOSTR)
		return 0;
	t = task_get(c, tid);
	if (!t)
		return -TK_ENOMEM;
	t->comm = comm;
	return 0;
}

/*
 * The pid a task's events go under, fixed at first use so a thread never
 * moves between processes when its thread group is learnt later.
 */
static int task_pid(struct tk_chrome *c, uint32_t tid, uint32_t *pid)
{
	struct task *t = task_get(c, tid);

	if (!t)
		return -TK_ENOMEM;
	if (!t->pid) {
		uint32_t g = c->schema->ops->tgid ? c->schema->ops->tgid(c->schema->arg, tid) : 0;

		t->pid = g ? g : tid;
	}
	*pid = t->pid;
	return 0;
}

static struct cpu_slot *cpu_get(struct tk_chrome *c, uint16_t cpu)
{
	if (cpu >= c->ncpus) {
		size_t n = (size_t)cpu + 1 > c->ncpus * 2 ? (size_t)cpu + 1 : c->ncpus * 2;
		struct cpu_slot *p = realloc(c->cpus, n * sizeof(*p));

		if (!p) {
			tk_err_set(&c->err, TK_ENOMEM, -1, "out of memory for %zu CPUs", n);
			return NULL;
		}
		memset(p + c->ncpus, 0, (n - c->ncpus) * sizeof(*p));
		c->cpus = p;
		c->ncpus = n;
	}
	return &c->cpus[cpu];
}

static const char *str_of(const struct tk_chrome *c, uint32_t id)
{
	const char *s = NULL;

	if (id != TK_NOSTR && c->schema->ops->str)
		s = c->schema->ops->str(c->schema->arg, id);
	return s;
}

static const char *comm_of(const struct tk_chrome *c, uint32_t tid)
{
	const struct task *t;
	const char *s = NULL;

	if (c->tcap) {
		t = task_find(c, tid);
		if (t->key)
			s = str_of(c, t->comm);
	}
	if (!s && c->schema->ops->comm)
		s = c->schema->ops->comm(c->schema->arg, tid);
	return s;
}

/* ---- events ---- */

struct tk_chrome *tk_chrome_create(FILE *out, const struct tk_schema *schema, struct tk_err *err)
{
	struct tk_chrome *c = calloc(1, sizeof(*c));

	if (!c || !(c->tasks = calloc(256, sizeof(*c->tasks)))) {
		free(c);
		tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		return NULL;
	}
	c->tcap = 256;
	c->out = out;
	c->schema = schema;
	c->first = true;
	tk_err_clear(&c->err);
	fputs("{\"traceEvents\":[", out);
	return c;
}

void tk_chrome_destroy(struct tk_chrome *c)
{
	if (!c)
		return;
	free(c->tasks);
	free(c->cpus);
	free(c);
}

/* prev_state as the letters of sched_switch's print format ("R" for 0). */
static void put_state(FILE *out, uint16_t st, bool preempt)
{
	static const char letters[] = "SDTtXZPI";
	int i;

	fputc('"', out);
	if (!st)
		fputc('R', out);
	for (i = 0; i < 8; i++)
		if (st & (1u << i))
			fputc(letters[i], out);
	if (preempt)
		fputc('+', out);
	fputc('"', out);
}

static int on_switch(struct tk_chrome *c, const struct tk_event *ev, struct cpu_slot *cs)
{
	const char *name = str_of(c, ev->u.sw.prev_comm);
	uint64_t start = cs->since;
	uint32_t pid;

	if (!name)
		name = comm_of(c, ev->tid);
	if (!name)
		name = "?";
	if (set_comm(c, ev->tid, ev->u.sw.prev_comm) < 0 ||
	    set_comm(c, ev->u.sw.next_tid, ev->u.sw.next_comm) < 0)
		return -TK_ENOMEM;
	begin(c);
	fputs("\"name\":", c->out);
	put_str(c->out, name);
	fprintf(c->out, ",\"cat\":\"sched\",\"ph\":\"X\",\"pid\":%u,\"tid\":%u,\"ts\":",
		TK_CHROME_CPU_PID, ev->cpu);
	put_us(c->out, start);
	fputs(",\"dur\":", c->out);
	put_us(c->out, ev->ts - start);
	fprintf(c->out, ",\"args\":{\"tid\":%" PRIu32 ",\"prio\":%u,\"end_state\":", ev->tid,
		ev->u.sw.prev_prio);
	put_state(c->out, ev->u.sw.prev_state, ev->flags & TK_EVF_PREEMPT);
	fputs("}}", c->out);
	c->stats.cpu_slices++;
	/* The idle task (tid 0 on every CPU) has no thread of its own. */
	if (ev->tid) {
		if (task_pid(c, ev->tid, &pid) < 0)
			return -TK_ENOMEM;
		begin(c);
		fputs("\"name\":\"running\",\"cat\":\"sched\",\"ph\":\"X\"", c->out);
		fprintf(c->out, ",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32 ",\"ts\":", pid, ev->tid);
		put_us(c->out, start);
		fputs(",\"dur\":", c->out);
		put_us(c->out, ev->ts - start);
		fprintf(c->out, ",\"args\":{\"cpu\":%u,\"end_state\":", ev->cpu);
		put_state(c->out, ev->u.sw.prev_state, ev->flags & TK_EVF_PREEMPT);
		fputs("}}", c->out);
		c->stats.task_slices++;
	}
	cs->since = ev->ts;
	return 0;
}

/* Integers past 2^53 (pointers mostly) lose digits as JSON numbers in JS. */
static void put_uint(FILE *out, uint64_t v, bool is_signed)
{
	if (is_signed)
		fprintf(out, "%" PRId64, (int64_t)v);
	else if (v > (1ull << 53))
		fprintf(out, "\"0x%" PRIx64 "\"", v);
	else
		fprintf(out, "%" PRIu64, v);
}

static void put_fields(struct tk_chrome *c, const struct tk_payload *pl)
{
	const struct tk_schema_ops *ops = c->schema->ops;
	const char *fname;
	int i;

	if (!ops->field_name || !ops->find_field)
		return;
	for (i = 0; (fname = ops->field_name(c->schema->arg, pl->event_id, i)); i++) {
		struct tk_field f;

		if (!strncmp(fname, "common_", 7) ||
		    ops->find_field(c->schema->arg, pl->event_id, fname, &f) != 1)
			continue;
		fputc(',', c->out);
		put_str(c->out, fname);
		fputc(':', c->out);
		if (f.flags & TK_FIELD_STRING) {
			size_t len;
			const char *s = tk_field_str(&f, pl, &len);

			fputc('"', c->out);
			tk_chrome_escape(c->out, s, len);
			fputc('"', c->out);
		} else if (f.flags & TK_FIELD_DYNAMIC) {
			/* A __data_loc array of numbers: its length only, for now. */
			fputs("\"(dynamic)\"", c->out);
		} else if ((f.flags & TK_FIELD_ARRAY) && f.elem_size) {
			uint32_t k, n = f.size / f.elem_size;

			fputc('[', c->out);
			for (k = 0; k < n; k++) {
				if (k)
					fputc(',', c->out);
				put_uint(c->out, tk_field_elem(&f, pl, k), f.flags & TK_FIELD_SIGNED);
			}
			fputc(']', c->out);
		} else {
			put_uint(c->out, tk_field_u64(&f, pl), f.flags & TK_FIELD_SIGNED);
		}
	}
}

static int on_instant(struct tk_chrome *c, const struct tk_event *ev, const struct tk_payload *pl)
{
	const char *full = NULL, *name, *colon;
	uint32_t pid = TK_CHROME_CPU_PID, tid = ev->cpu;

	if (c->schema->ops->event_name)
		full = c->schema->ops->event_name(c->schema->arg, pl->event_id);
	if (!full)
		full = "unknown";
	colon = strchr(full, ':');
	name = colon ? colon + 1 : full;
	/* What the idle task does (wakeups from interrupts) shows on its CPU. */
	if (ev->tid) {
		if (task_pid(c, ev->tid, &pid) < 0)
			return -TK_ENOMEM;
		tid = ev->tid;
	}
	begin(c);
	fputs("\"name\":", c->out);
	put_str(c->out, name);
	fputs(",\"cat\":\"", c->out);
	tk_chrome_escape(c->out, full, colon ? (size_t)(colon - full) : strlen(full));
	fprintf(c->out, "\",\"ph\":\"i\",\"s\":\"t\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32 ",\"ts\":",
		pid, tid);
	put_us(c->out, ev->ts);
	fprintf(c->out, ",\"args\":{\"cpu\":%u", ev->cpu);
	put_fields(c, pl);
	fputs("}}", c->out);
	c->stats.instants++;
	return 0;
}

static int on_lost(struct tk_chrome *c, const struct tk_event *ev)
{
	begin(c);
	fprintf(c->out, "\"name\":\"lost events\",\"cat\":\"tracekit\",\"ph\":\"i\",\"s\":\"t\""
			",\"pid\":%u,\"tid\":%u,\"ts\":",
		TK_CHROME_CPU_PID, ev->cpu);
	put_us(c->out, ev->ts);
	if (ev->flags & TK_EVF_LOST_UNKNOWN)
		fputs(",\"args\":{\"count\":\"unknown\"}}", c->out);
	else
		fprintf(c->out, ",\"args\":{\"count\":%" PRIu64 "}}", ev->u.lost.count);
	c->stats.lost++;
	return 0;
}

/* Task names the event carries, so metadata gets each task's last comm. */
static int note_comms(struct tk_chrome *c, const struct tk_event *ev)
{
	switch (ev->kind) {
	case TK_EV_WAKEUP:
		return set_comm(c, ev->u.wake.target_tid, ev->u.wake.target_comm);
	case TK_EV_FORK:
		return set_comm(c, ev->u.fork.child_tid, ev->u.fork.child_comm);
	case TK_EV_EXEC:
		return set_comm(c, ev->tid, ev->u.exec.comm);
	case TK_EV_COMM:
		return set_comm(c, ev->tid, ev->u.comm.comm);
	default:
		return 0;
	}
}

int tk_chrome_event(struct tk_chrome *c, const struct tk_event *ev, const struct tk_payload *pl)
{
	struct cpu_slot *cs;
	int ret = 0;

	if (c->err.code)
		return -c->err.code;
	cs = cpu_get(c, ev->cpu);
	if (!cs)
		return -TK_ENOMEM;
	if (!cs->seen) {
		/* Who ran before the CPU's first event is unknown: slices start there. */
		cs->seen = true;
		cs->since = ev->ts;
	}
	if (ev->kind == TK_EV_SWITCH)
		ret = on_switch(c, ev, cs);
	else if (ev->kind == TK_EV_LOST)
		ret = on_lost(c, ev);
	else if (pl && ev->kind != TK_EV_STACK)
		ret = on_instant(c, ev, pl);
	if (ret == 0 && ev->kind != TK_EV_SWITCH)
		ret = note_comms(c, ev);
	if (ret == 0 && ferror(c->out))
		ret = tk_err_sys(&c->err, errno, -1, "writing the JSON");
	return ret;
}

/* ---- metadata ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void meta(struct tk_chrome *c, const char *what, uint32_t pid, const uint32_t *tid,
		 const char *name)
{
	begin(c);
	fprintf(c->out, "\"name\":\"%s\",\"ph\":\"M\",\"pid\":%" PRIu32, what, pid);
	if (tid)
		fprintf(c->out, ",\"tid\":%" PRIu32, *tid);
	fputs(",\"args\":{\"name\":", c->out);
	put_str(c->out, name);
	fputs("}}", c->out);
	c->stats.metadata++;
}

int tk_chrome_finish(struct tk_chrome *c)
{
	uint32_t *tids = NULL, *pids = NULL, cpu;
	size_t i, n = 0, np = 0;
	char buf[32];

	if (c->err.code)
		return -c->err.code;
	if (c->tcount) {
		tids = malloc(c->tcount * sizeof(*tids));
		pids = malloc(c->tcount * sizeof(*pids));
		if (!tids || !pids) {
			free(tids);
			free(pids);
			return tk_err_set(&c->err, TK_ENOMEM, -1, "out of memory");
		}
	}
	/* Sorted, so the output does not depend on the hash table's layout. */
	for (i = 0; i < c->tcap; i++)
		if (c->tasks[i].key && c->tasks[i].pid)
			tids[n++] = c->tasks[i].key - 1;
	qsort(tids, n, sizeof(*tids), cmp_u32);
	meta(c, "process_name", TK_CHROME_CPU_PID, NULL, "CPUs");
	begin(c);
	fprintf(c->out, "\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":%u"
			",\"args\":{\"sort_index\":-1}}",
		TK_CHROME_CPU_PID);
	c->stats.metadata++;
	for (cpu = 0; cpu < c->ncpus; cpu++) {
		if (!c->cpus[cpu].seen)
			continue;
		snprintf(buf, sizeof(buf), "CPU %" PRIu32, cpu);
		meta(c, "thread_name", TK_CHROME_CPU_PID, &cpu, buf);
		begin(c);
		fprintf(c->out, "\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":%u,\"tid\":%" PRIu32
				",\"args\":{\"sort_index\":%" PRIu32 "}}",
			TK_CHROME_CPU_PID, cpu, cpu);
		c->stats.metadata++;
	}
	for (i = 0; i < n; i++) {
		const struct task *t = task_find(c, tids[i]);
		const char *name = comm_of(c, tids[i]);

		pids[np++] = t->pid;
		if (name)
			meta(c, "thread_name", t->pid, &tids[i], name);
	}
	qsort(pids, np, sizeof(*pids), cmp_u32);
	for (i = 0; i < np; i++) {
		const char *name;

		if (i && pids[i] == pids[i - 1])
			continue;
		name = comm_of(c, pids[i]);
		if (name)
			meta(c, "process_name", pids[i], NULL, name);
	}
	free(tids);
	free(pids);
	fputs("\n],\"displayTimeUnit\":\"ns\"}\n", c->out);
	if (ferror(c->out) || fflush(c->out))
		return tk_err_sys(&c->err, errno, -1, "writing the JSON");
	return 0;
}

const struct tk_chrome_stats *tk_chrome_get_stats(const struct tk_chrome *c)
{
	return &c->stats;
}

const struct tk_err *tk_chrome_get_err(const struct tk_chrome *c)
{
	return &c->err;
}
