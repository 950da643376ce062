/* SPDX-License-Identifier: MIT */
/*
 * tracekit collapse on perf.data. Each sample is printed into memory the
 * way `perf script` prints it by default (the layout cli/report-perf.c
 * reproduces and tests/oracle/pdat-report.sh checks) and read back by the
 * perf script parser. Folding text and folding perf.data then cannot drift
 * apart, down to stackcollapse-perf.pl's quirks (a one-letter comm, a pid
 * of -1, a "(deleted)" DSO), at the cost of formatting a few lines per
 * sample -- which perf script does too.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "analyze/evfold.h"
#include "analyze/fold.h"
#include "cli/cli.h"
#include "cli/collapse.h"
#include "cli/pdat-common.h"
#include "cli/report-perf.h"
#include "formats/machine.h"
#include "formats/pdat.h"
#include "formats/pscript.h"

const bool cli_collapse_has_pdat = true;

/*
 * Callchain lines repeat: the same address in the same map prints the same
 * line, so its frame ids are remembered, keyed by what the line is made of
 * (the machine's symbol and DSO strings live as long as it does). A
 * direct-mapped cache with short probing; a miss just redoes the work.
 */
#define FC_BITS 16
#define FC_PROBE 4
#define FC_IDS 4

struct fc_ent {
	const char *sym, *dso;
	uint64_t addr;
	bool used, java;
	uint8_t n;
	uint32_t ids[FC_IDS];
};

/*
 * A sample's header line folds to the same comm, pid, tid, event and
 * period whatever its CPU and time, which are the fields that change from
 * one sample of a thread to the next (when its ids print as numbers: the
 * header pattern then ends at them); what the parser made of the last
 * header of a thread is kept, keyed by everything else the line holds.
 * (Tracepoint headers carry their payload and are always parsed.)
 */
#define HC_BITS 12

struct hc_ent {
	bool used, shown, has_event;
	uint32_t tid, pid;
	int attr, name_width;
	uint64_t period;
	char comm[32];			/* the machine's comm (key) */
	char pcomm[48];			/* the parsed one */
	int64_t ppid, ptid;
	uint64_t pperiod;
	char event[128];
};

/*
 * Whole callchains repeat too: the same ips of the same thread under the
 * same process frame lead to the same trie node, as long as nothing that
 * resolves them changed: the process's maps (a generation per pid, bumped
 * by its MMAP, FORK, EXIT and exec COMM records), the kernel's (KSYMBOL,
 * kernel MMAP) or the build ids known. Chains deeper than CC_MAX entries
 * are not remembered.
 */
#define CC_BITS 14
#define CC_MAX 64
#define PG_BITS 12

struct cc_ent {
	bool used, java;
	uint16_t nr;
	uint32_t node0, leaf, tid, pid, gen, kgen, allgen;
	uint64_t hash;
	uint64_t ips[CC_MAX];
};

struct pg_ent {
	bool used;
	uint32_t pid, gen;
};

/* Deepest callchain perf script resolves (PERF_MAX_STACK_DEPTH). */
#define MAX_STACK 127
/* A printed line (tracepoint payloads are the long ones). */
#define MAX_LINE (1u << 20)

struct cp {
	struct tk_pdat_reader *r;
	struct tk_machine *m;
	struct tk_pscript_reader *ps;
	struct tk_fold *fold;
	struct cli_collapse_conv conv;
	struct tk_err err;
	bool pid_tid;
	int name_width, nattrs_seen;
	struct trace_seq seq;
	char *line;
	size_t len, cap;
	bool too_long, no_mem;
	struct tk_frame frames[MAX_STACK + 1];
	struct fc_ent *fc;		/* 1 << FC_BITS entries */
	uint32_t *ids;			/* one sample's frame ids, root first */
	size_t nids, ids_cap;
	char *parts;			/* a line's three parts, NUL-terminated */
	size_t parts_cap;
	struct hc_ent *hc;		/* 1 << HC_BITS entries, by tid */
	struct cc_ent *cc;		/* 1 << CC_BITS entries */
	struct pg_ent *pg;		/* 1 << PG_BITS: pid -> maps generation */
	size_t npg;
	uint32_t kgen, allgen;
	int nbuild;			/* build ids given to the machine */
	bool borrowed_r;		/* r is the event source's (the namer) */
	bool failed;			/* the hook's machine call failed */
};

/* printf onto the line being built; an over-long line is flagged, not grown. */
static void __attribute__((format(printf, 2, 3))) add(struct cp *c, const char *fmt, ...)
{
	va_list ap;
	char *nl;
	int n;

	if (c->no_mem || c->too_long)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(c->line + c->len, c->cap - c->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < c->cap - c->len) {
			c->len += (size_t)n;
			return;
		}
		if (c->cap >= MAX_LINE) {
			c->too_long = true;
			return;
		}
		nl = realloc(c->line, c->cap * 2);
		if (!nl) {
			c->no_mem = true;
			return;
		}
		c->line = nl;
		c->cap *= 2;
	}
}

/* Hand the line to the parser and start a new one; 0 or < 0. */
static int flush_line(struct cp *c)
{
	struct tk_pscript_sample s;
	int ret;

	if (c->no_mem)
		return tk_err_set(&c->err, TK_ENOMEM, -1, "out of memory");
	if (c->too_long)
		return tk_err_set(&c->err, TK_ELIMIT, -1,
				  "a sample prints as a line longer than %u bytes", MAX_LINE);
	ret = tk_pscript_push(c->ps, c->line, c->len, &s);
	c->len = 0;
	if (ret < 0) {
		c->err = *tk_pscript_get_err(c->ps);
		return ret;
	}
	if (ret == 0)
		return 0;
	return cli_collapse_add(c->fold, &c->conv, &s, &c->err);
}


/* " sym+0xoff (dso)" as perf script writes a resolved address. */
static void add_sym(struct cp *c, const struct tk_frame *fr)
{
	if (fr->sym)
		add(c, " %s+0x%" PRIx64, fr->sym, fr->sym_off);
	else
		add(c, " [unknown]");
	add(c, " (%s)", fr->dso ? fr->dso : "[unknown]");
}

static int grow_ids(struct cp *c, size_t need)
{
	uint32_t *p;

	if (c->nids + need <= c->ids_cap)
		return 0;
	p = realloc(c->ids, (c->nids + need + 256) * sizeof(*p));
	if (!p)
		return tk_err_set(&c->err, TK_ENOMEM, -1, "out of memory");
	c->ids = p;
	c->ids_cap = c->nids + need + 256;
	return 0;
}

/*
 * Append the frame ids of one callchain entry: the ids of the line perf
 * script prints for it, split by the perf script parser and named by fold
 * as the text path names it, so both paths fold alike.
 */
static int frame_ids(struct cp *c, const struct tk_frame *fr, bool java)
{
	uint64_t h = ((uintptr_t)fr->sym * 0x9e3779b97f4a7c15ull) ^ ((uintptr_t)fr->dso * 31u) ^
		     (fr->addr * 0xff51afd7ed558ccdull) ^ java;
	struct fc_ent *e = NULL;
	size_t pc[2], sym[2], dso[2], need;
	struct tk_fold_frame ff;
	int n, i, k;

	h ^= h >> 29;
	for (i = 0; i < FC_PROBE; i++) {
		struct fc_ent *x = &c->fc[(h + (uint64_t)i) & ((1u << FC_BITS) - 1)];

		if (x->used && x->sym == fr->sym && x->dso == fr->dso && x->addr == fr->addr &&
		    x->java == java) {
			if (grow_ids(c, x->n) < 0)
				return -TK_ENOMEM;
			for (k = 0; k < x->n; k++)
				c->ids[c->nids++] = x->ids[k];
			return 0;
		}
		if (!x->used && !e)
			e = x;
	}
	if (!e)
		e = &c->fc[h & ((1u << FC_BITS) - 1)];	/* evict */

	c->len = 0;
	add(c, "\t%16" PRIx64, fr->addr);
	add_sym(c, fr);
	if (c->no_mem || c->too_long)
		return flush_line(c);	/* reports the error */
	n = 0;
	if (tk_pscript_split_frame(c->line, c->len, pc, sym, dso)) {
		need = pc[1] + sym[1] + dso[1] + 3;
		if (need > c->parts_cap) {
			char *p = realloc(c->parts, need);

			if (!p)
				return tk_err_set(&c->err, TK_ENOMEM, -1, "out of memory");
			c->parts = p;
			c->parts_cap = need;
		}
		memcpy(c->parts, c->line + pc[0], pc[1]);
		c->parts[pc[1]] = 0;
		memcpy(c->parts + pc[1] + 1, c->line + sym[0], sym[1]);
		c->parts[pc[1] + 1 + sym[1]] = 0;
		memcpy(c->parts + pc[1] + sym[1] + 2, c->line + dso[0], dso[1]);
		c->parts[pc[1] + sym[1] + 2 + dso[1]] = 0;
		ff.pc = c->parts;
		ff.sym = c->parts + pc[1] + 1;
		ff.dso = c->parts + pc[1] + sym[1] + 2;
		if (grow_ids(c, sym[1] / 2 + 1) < 0)
			return -TK_ENOMEM;
		n = tk_fold_line_ids(c->fold, &ff, java, c->ids + c->nids, sym[1] / 2 + 1, &c->err);
		if (n < 0)
			return n;
	}
	c->len = 0;
	if (n <= FC_IDS) {
		e->used = true;
		e->sym = fr->sym;
		e->dso = fr->dso;
		e->addr = fr->addr;
		e->java = java;
		e->n = (uint8_t)n;
		memcpy(e->ids, c->ids + c->nids, (size_t)n * sizeof(*e->ids));
	}
	c->nids += (size_t)n;
	return 0;
}

static struct pg_ent *pg_slot(struct cp *c, uint32_t pid, bool insert)
{
	uint32_t mask = (1u << PG_BITS) - 1, i = (pid * 2654435761u) & mask, k;

	for (k = 0; k <= mask; k++, i = (i + 1) & mask) {
		if (c->pg[i].used && c->pg[i].pid == pid)
			return &c->pg[i];
		if (!c->pg[i].used) {
			if (!insert)
				return NULL;
			if (c->npg * 4 >= (size_t)mask * 3) {
				/* full: forget every pid, and every chain with them */
				memset(c->pg, 0, ((size_t)1 << PG_BITS) * sizeof(*c->pg));
				c->npg = 0;
				c->allgen++;
				return pg_slot(c, pid, true);
			}
			c->pg[i].used = true;
			c->pg[i].pid = pid;
			c->pg[i].gen = 0;
			c->npg++;
			return &c->pg[i];
		}
	}
	return NULL;
}

static uint32_t pid_gen(struct cp *c, uint32_t pid)
{
	const struct pg_ent *e = pg_slot(c, pid, false);

	return e ? e->gen : 0;
}

/* What a record changes of how later callchains resolve. */
static void note_change(struct cp *c, const struct tk_pdat_rec *rec)
{
	struct pg_ent *e;
	uint32_t pid;

	switch (rec->type) {
	case TK_PDAT_MMAP:
	case TK_PDAT_MMAP2:
		if ((rec->misc & TK_PDAT_MISC_CPUMODE_MASK) == TK_PDAT_CPUMODE_KERNEL ||
		    rec->u.mmap.pid == UINT32_MAX) {
			c->kgen++;
			return;
		}
		pid = rec->u.mmap.pid;
		break;
	case TK_PDAT_FORK:
	case TK_PDAT_EXIT:
		pid = rec->u.fork.pid;
		break;
	case TK_PDAT_COMM:
		if (!rec->u.comm.exec)
			return;
		pid = rec->u.comm.pid;
		break;
	case TK_PDAT_KSYMBOL:
		c->kgen++;
		return;
	default:
		return;
	}
	e = pg_slot(c, pid, true);
	if (e)
		e->gen++;
	else
		c->allgen++;
}

static uint64_t chain_hash(const uint64_t *ips, uint64_t nr, uint32_t tid, uint32_t node0)
{
	uint64_t h = 0xcbf29ce484222325ull ^ ((uint64_t)tid << 32 | node0);
	uint64_t i;

	for (i = 0; i < nr; i++)
		h = (h ^ ips[i]) * 0x100000001b3ull;
	return h ^ (h >> 31);
}

/*
 * Extend *node by a callchain: the cached leaf when the same chain led
 * there before, else resolved by the machine and named line by line
 * (frame_ids). 0 or < 0 with c->err filled.
 */
static int chain_node(struct cp *c, uint32_t *node, uint32_t pid, uint32_t tid,
		      const uint64_t *ips, uint64_t nr, bool java)
{
	struct cc_ent *e = NULL;
	uint32_t node0 = *node;
	uint64_t h = 0;
	int ret, n, i;

	if (nr <= CC_MAX) {
		h = chain_hash(ips, nr, tid, node0);
		e = &c->cc[h >> (64 - CC_BITS)];
		if (e->used && e->hash == h && e->nr == nr && e->tid == tid && e->pid == pid &&
		    e->node0 == node0 && e->java == java && e->gen == pid_gen(c, pid) &&
		    e->kgen == c->kgen && e->allgen == c->allgen &&
		    !memcmp(e->ips, ips, nr * sizeof(*ips))) {
			*node = e->leaf;
			return 0;
		}
	}
	n = tk_machine_callchain(c->m, pid, tid, TK_PDAT_CPUMODE_USER, ips, nr, c->frames,
				 MAX_STACK);
	if (n < 0) {
		c->err = *tk_machine_get_err(c->m);
		return n;
	}
	c->nids = 0;
	for (i = n; i-- > 0;) {
		ret = frame_ids(c, &c->frames[i], java);
		if (ret < 0)
			return ret;
	}
	ret = tk_fold_extend(c->fold, node, c->ids, c->nids, &c->err);
	if (ret < 0)
		return ret;
	if (e) {
		e->used = true;
		e->hash = h;
		e->nr = (uint16_t)nr;
		e->tid = tid;
		e->pid = pid;
		e->node0 = node0;
		e->java = java;
		e->gen = pid_gen(c, pid);
		e->kgen = c->kgen;
		e->allgen = c->allgen;
		e->leaf = *node;
		memcpy(e->ips, ips, nr * sizeof(*ips));
	}
	return 0;
}

/* A sample's callchain to fold under the given header. */
static int fold_chain(struct cp *c, const struct tk_fold_sample *fs, int64_t offset,
		      const struct tk_pdat_sample *s)
{
	uint32_t node;
	int ret;

	ret = tk_fold_begin(c->fold, fs, &node, &c->err);
	if (ret > 0)
		ret = chain_node(c, &node, s->pid, s->tid, s->callchain, s->nr,
				 tk_fold_is_java(fs->comm));
	if (ret < 0) {
		c->err.offset = offset;
		return ret;
	}
	if (ret == 0)
		tk_fold_end(c->fold, fs, node);
	return 0;
}

static bool fits(const char *s, size_t size)
{
	return strlen(s) < size;
}

/*
 * End a sample whose header line went to the parser: its n callchain
 * entries go to fold as ids (what their printed lines would add); what
 * the parser made of the header goes to the cache entry hc, if any.
 */
static int end_with_frames(struct cp *c, const struct tk_pdat_sample *ps, struct hc_ent *hc)
{
	struct tk_pscript_sample s;
	struct tk_fold_sample fs;
	int ret;

	ret = tk_pscript_push(c->ps, "", 0, &s);	/* the blank line after a callchain */
	if (ret < 0) {
		c->err = *tk_pscript_get_err(c->ps);
		return ret;
	}
	if (ret == 0)
		return 0;	/* the header was not taken: its frames would be orphans */
	fs = (struct tk_fold_sample){
		.comm = s.comm,
		.pid = s.pid,
		.tid = s.tid,
		.event = s.event,
		.event_shown = s.event_shown,
		.period = s.period,
	};
	if (hc && fits(s.comm, sizeof(hc->pcomm)) && (!s.event || fits(s.event, sizeof(hc->event)))) {
		memcpy(hc->pcomm, s.comm, strlen(s.comm) + 1);
		hc->has_event = s.event != NULL;
		if (s.event)
			memcpy(hc->event, s.event, strlen(s.event) + 1);
		hc->ppid = s.pid;
		hc->ptid = s.tid;
		hc->shown = s.event_shown;
		hc->pperiod = s.period;
		hc->used = true;
	}
	return fold_chain(c, &fs, s.offset, ps);
}

static int sample(struct cp *c, const struct tk_pdat_rec *rec)
{
	const struct tk_pdat_sample *s = &rec->u.sample;
	const struct tk_pdat_attr *a;
	int mode = rec->misc & TK_PDAT_MISC_CPUMODE_MASK, attr = rec->attr, type;
	struct hc_ent *hc = NULL;
	uint64_t st, period;
	const char *comm;
	bool chain, ip;
	char t[48];

	if (attr < 0 && tk_pdat_nattrs(c->r) == 1)
		attr = 0;
	if (attr < 0)
		return 0;	/* perf script drops samples of an unknown id */
	a = tk_pdat_get_attr(c->r, attr);
	st = a->sample_type;
	type = (int)report_perf_type(a);
	/* perf script's default fields, less those the samples lack */
	chain = (st & TK_PS_CALLCHAIN) && s->callchain;
	ip = type != RP_TYPE_TRACE ? (st & (TK_PS_IP | TK_PS_CALLCHAIN)) != 0
			      : (st & TK_PS_CALLCHAIN) != 0;
	report_perf_name_width(c->r, &c->nattrs_seen, &c->name_width);
	comm = tk_machine_comm_of(c->m, s->tid);
	period = type != RP_TYPE_TRACE && (st & TK_PS_PERIOD) ? s->period : 0;
	/* A negative id prints as "-1", which the header pattern does not take
	 * for the tid: it then matches further on, time included. */
	if (ip && chain && type != RP_TYPE_TRACE && (st & TK_PS_TID) && (int)s->tid >= 0 &&
	    (int)s->pid >= 0 && fits(comm, sizeof(hc->comm))) {
		hc = &c->hc[s->tid & ((1u << HC_BITS) - 1)];
		if (hc->used && hc->tid == s->tid && hc->pid == s->pid && hc->attr == attr &&
		    hc->period == period && hc->name_width == c->name_width && !strcmp(hc->comm, comm)) {
			struct tk_fold_sample fs = {
				.comm = hc->pcomm,
				.pid = hc->ppid,
				.tid = hc->ptid,
				.event = hc->has_event ? hc->event : NULL,
				.event_shown = hc->shown,
				.period = hc->pperiod,
			};

			return fold_chain(c, &fs, (int64_t)rec->offset, s);
		}
		/* the line printed below refills the entry */
		hc->used = false;
		hc->tid = s->tid;
		hc->pid = s->pid;
		hc->attr = attr;
		hc->period = period;
		hc->name_width = c->name_width;
		memcpy(hc->comm, comm, strlen(comm) + 1);
	}
	add(c, ip && (st & TK_PS_CALLCHAIN) ? "%s " : "%16s ", comm);
	if (st & TK_PS_TID) {
		if (c->pid_tid || type == RP_TYPE_RAW)
			add(c, "%5d/%-5d ", (int)s->pid, (int)s->tid);
		else
			add(c, "%5d ", (int)s->tid);
	}
	if (st & TK_PS_CPU)
		add(c, "[%03d] ", (int)s->cpu);
	if (st & TK_PS_TIME) {
		snprintf(t, sizeof(t), "%" PRIu64 ".%06" PRIu64, s->time / 1000000000u,
			 s->time % 1000000000u / 1000u);
		add(c, "%12s: ", t);
	}
	if (type != RP_TYPE_TRACE && (st & TK_PS_PERIOD))
		add(c, "%10" PRIu64 " ", s->period);
	add(c, "%*s: ", c->name_width, a->name ? a->name : "[unknown]");
	if (type == RP_TYPE_TRACE && s->raw && a->tp) {
		struct tep_record tr;

		memset(&tr, 0, sizeof(tr));
		tr.cpu = (int)s->cpu;
		tr.size = (int)s->raw_size;
		tr.data = (void *)(uintptr_t)s->raw;
		trace_seq_reset(&c->seq);
		tep_print_event(tk_pdat_get_tep(c->r), &c->seq, &tr, "%s", TEP_PRINT_INFO);
		trace_seq_terminate(&c->seq);
		add(c, "%s", c->seq.buffer);
	}
	if (type == RP_TYPE_RAW && (st & TK_PS_ADDR))
		add(c, "%16" PRIx64, s->addr);
	if (!ip)
		return flush_line(c);
	if (!chain) {
		struct tk_frame fr;

		if (tk_machine_resolve(c->m, s->pid, s->tid, mode, s->ip, &fr) < 0)
			memset(&fr, 0, sizeof(fr));
		add(c, " %16" PRIx64, s->ip);
		add_sym(c, &fr);
		return flush_line(c);
	}
	if (flush_line(c) < 0)
		return -c->err.code;
	return end_with_frames(c, s, hc);
}

/* The parts of a cp both the sample path and the callchain namer use. */
static struct cp *cp_new(struct tk_fold *fold, const char *name)
{
	struct cp *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fold = fold;
	c->cap = 4096;
	c->line = malloc(c->cap);
	c->fc = calloc((size_t)1 << FC_BITS, sizeof(*c->fc));
	c->hc = calloc((size_t)1 << HC_BITS, sizeof(*c->hc));
	c->cc = calloc((size_t)1 << CC_BITS, sizeof(*c->cc));
	c->pg = calloc((size_t)1 << PG_BITS, sizeof(*c->pg));
	trace_seq_init(&c->seq);
	tk_err_clear(&c->err);
	tk_err_set_file(&c->err, name);
	return c;
}

static void cp_free(struct cp *c)
{
	if (!c)
		return;
	trace_seq_destroy(&c->seq);
	tk_pscript_close(c->ps);
	tk_machine_destroy(c->m);
	if (!c->borrowed_r)
		tk_pdat_close(c->r);
	free(c->conv.frames);
	free(c->line);
	free(c->fc);
	free(c->hc);
	free(c->cc);
	free(c->pg);
	free(c->ids);
	free(c->parts);
	free(c);
}

/* What a record does to the machine and to the callchain cache. */
static int feed(struct cp *c, const struct tk_pdat_rec *rec)
{
	int had = c->nbuild, ret;

	note_change(c, rec);
	ret = cli_pdat_feed(c->m, c->r, rec, &c->nbuild);
	if (c->nbuild != had)
		c->allgen++;	/* a DSO may now load another file */
	return ret;
}

static bool sample_wanted(const struct cli_collapse_filter *f, const struct tk_pdat_rec *rec)
{
	const struct tk_pdat_sample *s = &rec->u.sample;

	if (!f)
		return true;
	if (f->cpus && (s->cpu >= f->ncpubits || !(f->cpus[s->cpu / 64] >> (s->cpu % 64) & 1)))
		return false;
	return s->time >= f->from && (!f->to || s->time <= f->to);
}

int cli_collapse_pdat(const char *path, const char *name, int fd, struct tk_fold *fold,
		      const char *kallsyms, const char *symfs, bool pid_tid,
		      const struct cli_collapse_filter *flt)
{
	static const struct tk_pdat_opts popts = { .no_plugins = true };
	const struct tk_pscript_counts *pc;
	struct tk_pscript_sample s;
	struct tk_pdat_rec rec;
	struct cp *c = cp_new(fold, name);
	int ret;

	if (!c)
		return cli_fail("out of memory");
	c->pid_tid = pid_tid;
	if (!c->line || !c->fc || !c->hc || !c->cc || !c->pg ||
	    tk_pscript_create(name, NULL, &c->ps, &c->err) < 0) {
		ret = cli_fail("out of memory");
		goto out;
	}
	tk_err_clear(&c->err);
	tk_err_set_file(&c->err, name);
	ret = fd >= 0 ? tk_pdat_open_fd(fd, name, &popts, &c->r, &c->err)
		      : tk_pdat_open(path, &popts, &c->r, &c->err);
	if (ret < 0) {
		ret = cli_fail_err(&c->err);
		goto out;
	}
	ret = cli_pdat_machine(c->r, kallsyms, symfs, &c->m);
	if (ret)
		goto out;
	while ((ret = tk_pdat_next(c->r, &rec)) > 0) {
		if (feed(c, &rec) < 0) {
			ret = cli_fail_pdat(c->r, c->m);
			goto out;
		}
		if (rec.type == TK_PDAT_SAMPLE && sample_wanted(flt, &rec) && sample(c, &rec) < 0) {
			c->err.offset = (int64_t)rec.offset;	/* the record's, not the text's */
			ret = cli_fail_err(&c->err);
			goto out;
		}
	}
	if (ret < 0) {
		ret = cli_fail_pdat(c->r, c->m);
		goto out;
	}
	ret = tk_pscript_finish(c->ps, &s);
	if (ret > 0)
		ret = cli_collapse_add(fold, &c->conv, &s, &c->err);
	if (ret < 0) {
		ret = cli_fail_err(&c->err);
		goto out;
	}
	pc = tk_pscript_get_counts(c->ps);
	if (tk_pdat_get_info(c->r)->salvaged)
		/* perf refuses such a file; we read it, and say so (as report does) */
		fprintf(stderr, "tracekit: %s: warning: the header's data size is 0 (perf record "
			"did not finish the file); records were read up to the end%s\n", name,
			tk_pdat_get_info(c->r)->salvage_dropped ? ", a last partial one dropped" : "");
	if (pc->bad_lines)
		fprintf(stderr,
			"tracekit: %s: %" PRIu64 " sample%s skipped: perf script prints %s in a "
			"way stackcollapse-perf.pl cannot read (unknown thread, pid -1)\n",
			name, pc->bad_lines, pc->bad_lines == 1 ? "" : "s",
			pc->bad_lines == 1 ? "it" : "them");
	ret = TK_EXIT_OK;
out:
	cp_free(c);
	return ret;
}

/* ---- the callchain namer of collapse --off-cpu / --wakeup on perf.data ---- */

int cli_pchain_create(struct tk_fold *fold, const char *name, struct cli_pchain **out)
{
	struct cp *c = cp_new(fold, name);

	*out = NULL;
	if (!c || !c->line || !c->fc || !c->hc || !c->cc || !c->pg) {
		cp_free(c);
		return cli_fail("out of memory");
	}
	*out = (struct cli_pchain *)c;
	return TK_EXIT_OK;
}

int cli_pchain_attach(struct cli_pchain *p, struct tk_pdat_reader *r, const char *kallsyms,
		      const char *symfs)
{
	struct cp *c = (struct cp *)p;

	c->r = r;
	c->borrowed_r = true;
	return cli_pdat_machine(r, kallsyms, symfs, &c->m);
}

int cli_pchain_hook(void *arg, struct tk_pdat_reader *r, const struct tk_pdat_rec *rec)
{
	struct cp *c = arg;

	(void)r;
	if (!c->m)
		return 0;
	if (feed(c, rec) < 0) {
		c->failed = true;
		return -TK_ECORRUPT;
	}
	return 0;
}

int cli_pchain_extend(void *arg, struct tk_fold *fold, uint32_t *node,
		      const struct tk_evfold_stack *st, struct tk_err *err)
{
	struct cp *c = arg;
	int ret;

	(void)fold;
	ret = chain_node(c, node, st->pid, st->tid, st->kips, st->nk, tk_fold_is_java(st->comm));
	if (ret < 0)
		*err = c->err;
	return ret;
}

int cli_pchain_fail(struct cli_pchain *p)
{
	struct cp *c = (struct cp *)p;

	if (!c->failed)
		return -1;
	return cli_fail_pdat(c->r, c->m);
}

void cli_pchain_destroy(struct cli_pchain *p)
{
	cp_free((struct cp *)p);
}
