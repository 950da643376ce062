/* SPDX-License-Identifier: MIT */
/*
 * The recorded machine as perf 6.1 models it, so that each callchain frame
 * comes out as `perf script` prints it. Where a rule comes from, the
 * comment names the perf function (tools/perf/util/{machine,map,maps,
 * thread,symbol,dso,vdso,evsel_fprintf}.c).
 *
 * Ownership: the machine owns every thread, address space (struct maps,
 * shared by the threads of a process through a reference count), DSO and
 * string; frames borrow DSO and symbol names from it.
 */
#include "formats/machine.h"

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "formats/elfsym.h"
#include "formats/ksyms.h"

/* Bounds: a hostile or absurd recording fails with TK_ELIMIT, not OOM. */
#define TK_MACHINE_MAX_THREADS	(1u << 22)
#define TK_MACHINE_MAX_MAPS	(1u << 20)	/* per address space */
#define TK_MACHINE_MAX_ALL_MAPS	(1u << 24)	/* all address spaces together (slots) */
#define TK_MACHINE_MAX_STRS	(256u << 20)	/* interned names and comms */
#define TK_MACHINE_MAX_NAME	4096		/* perf's PATH_MAX filename */
#define TK_MACHINE_MAX_COMM	256
#define TK_MACHINE_MAX_VDSO	(1u << 20)

#define CTX_HV		((uint64_t)-32)
#define CTX_KERNEL	((uint64_t)-128)
#define CTX_USER	((uint64_t)-512)
#define CTX_MAX		((uint64_t)-4095)

#define KERNEL_MMAP_NAME "[kernel.kallsyms]"

enum dso_kind {
	DSO_USER,	/* a file: symbols from its ELF */
	DSO_NOSYMS,	/* anon, heap, stack of pid 0: never any symbols */
	DSO_PERFMAP,	/* /tmp/perf-PID.map: a JIT's symbol file */
	DSO_VDSO,
	DSO_KERNEL,	/* [kernel.kallsyms]: kallsyms */
	DSO_KMOD,	/* "[module]": its part of kallsyms */
	DSO_KSYM,	/* a KSYMBOL record (BPF program, trampoline): one symbol */
};

struct dso {
	const char *name;	/* what perf prints (dso->name) */
	const char *kmod;	/* DSO_KMOD: module name without brackets */
	enum dso_kind kind;
	bool loaded;
	bool from_header;	/* created by a BUILD_ID feature entry */
	uint8_t bid_size;	/* 0: no build id */
	uint8_t bid[TK_BUILD_ID_MAX];
	struct tk_symtab syms;	/* DSO_KMOD uses the kernel's */
};

struct map {
	uint64_t start, end, pgoff;
	struct dso *dso;
	bool identity;		/* perf's identity__map_ip: anon and no-DSO memory */
};

struct maps {
	struct map *v;		/* sorted by start, non-overlapping for user maps */
	size_t nr, cap;
	uint32_t refs;
};

struct thread {
	uint32_t tid;
	int64_t pid;		/* -1: not known yet */
	const char *comm;
	bool comm_set;		/* false while comm is the ":TID" placeholder */
	bool exited;
	struct maps *maps;
};

/* Interned strings; a slot can also name the DSO of that long name. */
struct pool_slot {
	const char *s;
	uint32_t hash;
	struct dso *dso;
};

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct tk_machine {
	char *kallsyms, *osrelease, *symfs, *debugdir, *buildid_dir;
	bool no_live_kallsyms;
	struct tk_err err;	/* why a call failed */
	struct tk_err warn;	/* first symbol-loading problem (calls went on) */

	struct thread **threads;	/* open addressing on tid */
	size_t threads_cap, nr_threads;

	struct pool_slot *pool;
	size_t pool_cap, pool_nr, pool_bytes;
	struct chunk *chunks;

	struct dso **dsos;
	size_t nr_dsos, cap_dsos;

	size_t map_slots;	/* map entries allocated over all address spaces */
	struct maps kmaps;	/* kernel map + module maps */
	struct dso *kernel;
	bool have_kernel_map;
	bool ref_reloc;		/* kernel MMAP named a reference symbol */
	char ref_reloc_name[64];
	uint64_t ref_reloc_addr;
	bool has_ktext;		/* _text (else _stext) and _etext of the kallsyms */
	uint64_t ktext, ketext;
	bool kernel_touched;	/* the first sample loaded the kernel symbols */
	char kallsyms_cache[TK_MACHINE_MAX_NAME + 128];

	/* Samples hit the same addresses again and again: (table, address)
	 * -> symbol, direct-mapped; entries of an older generation (a table
	 * was loaded or grew since) do not count. */
	struct symcache *symcache;
	uint32_t symgen;
};

#define SYMCACHE_BITS 16

struct symcache {
	const struct tk_symtab *st;
	uint64_t key;
	const struct tk_sym *s;
	uint32_t gen;
	bool module;
};

/* --- strings --- */

static uint32_t hash_str(const char *s, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static char *pool_copy(struct tk_machine *m, const char *s, size_t len)
{
	struct chunk *c = m->chunks;
	char *p;

	if (m->pool_bytes + len + 1 > TK_MACHINE_MAX_STRS) {
		tk_err_set(&m->err, TK_ELIMIT, -1, "names exceed %u bytes", TK_MACHINE_MAX_STRS);
		return NULL;
	}
	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > 65536 ? len + 1 : 65536;

		c = malloc(sizeof(*c) + size);
		if (!c) {
			tk_err_set(&m->err, TK_ENOMEM, -1, "out of memory for names");
			return NULL;
		}
		c->size = size;
		c->used = 0;
		c->next = m->chunks;
		m->chunks = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	m->pool_bytes += len + 1;
	return p;
}

static int pool_grow(struct tk_machine *m)
{
	size_t cap = m->pool_cap ? m->pool_cap * 2 : 1024, i;
	struct pool_slot *n = calloc(cap, sizeof(*n));

	if (!n)
		return tk_err_set(&m->err, TK_ENOMEM, -1, "out of memory for names");
	for (i = 0; i < m->pool_cap; i++) {
		size_t j;

		if (!m->pool[i].s)
			continue;
		for (j = m->pool[i].hash & (cap - 1); n[j].s; j = (j + 1) & (cap - 1))
			;
		n[j] = m->pool[i];
	}
	free(m->pool);
	m->pool = n;
	m->pool_cap = cap;
	return 0;
}

static struct pool_slot *intern(struct tk_machine *m, const char *s, size_t len)
{
	uint32_t h = hash_str(s, len);
	size_t j;

	if ((m->pool_nr + 1) * 10 > m->pool_cap * 7 && pool_grow(m))
		return NULL;
	for (j = h & (m->pool_cap - 1); m->pool[j].s; j = (j + 1) & (m->pool_cap - 1)) {
		if (m->pool[j].hash == h && !strncmp(m->pool[j].s, s, len) && !m->pool[j].s[len])
			return &m->pool[j];
	}
	m->pool[j].s = pool_copy(m, s, len);
	if (!m->pool[j].s)
		return NULL;
	m->pool[j].hash = h;
	m->pool[j].dso = NULL;
	m->pool_nr++;
	return &m->pool[j];
}

/* --- address spaces (perf's maps.c) --- */

static struct maps *maps_new(struct tk_machine *m)
{
	struct maps *ms = calloc(1, sizeof(*ms));

	if (!ms)
		tk_err_set(&m->err, TK_ENOMEM, -1, "out of memory for an address space");
	else
		ms->refs = 1;
	return ms;
}

static void maps_put(struct tk_machine *m, struct maps *ms)
{
	if (ms && --ms->refs == 0) {
		m->map_slots -= ms->cap;
		free(ms->v);
		free(ms);
	}
}

static int maps_reserve(struct tk_machine *m, struct maps *ms, size_t extra)
{
	size_t need = ms->nr + extra, cap;
	struct map *v;

	if (need <= ms->cap)
		return 0;
	if (need > TK_MACHINE_MAX_MAPS)
		return tk_err_set(&m->err, TK_ELIMIT, -1, "more than %u maps in one address space",
				  TK_MACHINE_MAX_MAPS);
	cap = ms->cap ? ms->cap * 2 : 16;
	while (cap < need)
		cap *= 2;
	/* Processes keep their maps after they exit (samples may follow), so
	 * a fork storm adds up: cap the total too. */
	if (m->map_slots - ms->cap + cap > TK_MACHINE_MAX_ALL_MAPS)
		return tk_err_set(&m->err, TK_ELIMIT, -1, "more than %u maps in all",
				  TK_MACHINE_MAX_ALL_MAPS);
	v = realloc(ms->v, cap * sizeof(*v));
	if (!v)
		return tk_err_set(&m->err, TK_ENOMEM, -1, "out of memory for maps");
	m->map_slots = m->map_slots - ms->cap + cap;
	ms->v = v;
	ms->cap = cap;
	return 0;
}

/* Index of the first map starting after addr. */
static size_t maps_upper(const struct maps *ms, uint64_t addr)
{
	size_t lo = 0, hi = ms->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ms->v[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct map *maps_find(const struct maps *ms, uint64_t addr)
{
	size_t i = maps_upper(ms, addr);

	if (i && addr < ms->v[i - 1].end)
		return &ms->v[i - 1];
	return NULL;
}

/* perf's maps__insert: add keeping the order, no overlap handling. */
static int maps_insert(struct tk_machine *m, struct maps *ms, const struct map *map)
{
	size_t i;

	if (maps_reserve(m, ms, 1))
		return -m->err.code;
	i = maps_upper(ms, map->start);
	memmove(&ms->v[i + 1], &ms->v[i], (ms->nr - i) * sizeof(*ms->v));
	ms->v[i] = *map;
	ms->nr++;
	return 0;
}

/*
 * perf's maps__fixup_overlappings + maps__insert: maps the new one overlaps
 * are removed, keeping the parts before and after it (the after part's
 * pgoff moves along), as mmap() over an existing mapping does.
 */
static int maps_insert_fixup(struct tk_machine *m, struct maps *ms, const struct map *map)
{
	struct map repl[3];
	size_t first, last, nrepl = 0;

	if (maps_reserve(m, ms, 2))
		return -m->err.code;
	/* User maps never overlap, so ends are sorted like starts. */
	first = maps_upper(ms, map->start);
	if (first && ms->v[first - 1].end > map->start)
		first--;
	for (last = first; last < ms->nr && ms->v[last].start < map->end; last++)
		;
	if (last > first && ms->v[first].start < map->start) {
		repl[nrepl] = ms->v[first];
		repl[nrepl++].end = map->start;
	}
	repl[nrepl++] = *map;
	if (last > first && map->end < ms->v[last - 1].end) {
		repl[nrepl] = ms->v[last - 1];
		repl[nrepl].pgoff += map->end - ms->v[last - 1].start;
		repl[nrepl++].start = map->end;
	}
	memmove(&ms->v[first + nrepl], &ms->v[last], (ms->nr - last) * sizeof(*ms->v));
	memcpy(&ms->v[first], repl, nrepl * sizeof(*repl));
	ms->nr = ms->nr - (last - first) + nrepl;
	return 0;
}

/* --- threads (perf's machine.c ____machine__findnew_thread, thread.c) --- */

static struct thread **thread_slot(struct tk_machine *m, uint32_t tid)
{
	size_t j;

	for (j = (tid * 2654435761u) & (m->threads_cap - 1); m->threads[j];
	     j = (j + 1) & (m->threads_cap - 1)) {
		if (m->threads[j]->tid == tid)
			break;
	}
	return &m->threads[j];
}

static struct thread *thread_find(struct tk_machine *m, uint32_t tid)
{
	if (!m->threads_cap)
		return NULL;
	return *thread_slot(m, tid);
}

static int threads_grow(struct tk_machine *m)
{
	size_t cap = m->threads_cap ? m->threads_cap * 2 : 256, i;
	struct thread **old = m->threads, **n = calloc(cap, sizeof(*n));
	size_t old_cap = m->threads_cap;

	if (!n)
		return tk_err_set(&m->err, TK_ENOMEM, -1, "out of memory for threads");
	m->threads = n;
	m->threads_cap = cap;
	for (i = 0; i < old_cap; i++) {
		if (old[i])
			*thread_slot(m, old[i]->tid) = old[i];
	}
	free(old);
	return 0;
}

static int64_t pid_of(uint32_t pid)
{
	return pid == UINT32_MAX ? -1 : (int64_t)pid;
}

/* perf's thread__new: comm ":TID" (tid as a signed int) until a COMM names it. */
static int thread_reset(struct tk_machine *m, struct thread *t, int64_t pid)
{
	char buf[16];
	struct pool_slot *ps;

	snprintf(buf, sizeof(buf), ":%" PRId32, (int32_t)t->tid);
	ps = intern(m, buf, strlen(buf));
	if (!ps)
		return -m->err.code;
	maps_put(m, t->maps);
	t->maps = NULL;
	t->pid = pid;
	t->comm = ps->s;
	t->comm_set = false;
	t->exited = false;
	return 0;
}

static struct thread *findnew_thread(struct tk_machine *m, int64_t pid, uint32_t tid);

/* perf's thread__init_maps: a process leader (or a thread of unknown pid)
 * gets its own address space, other threads share their leader's. */
static int thread_init_maps(struct tk_machine *m, struct thread *t)
{
	struct thread *leader;

	if (t->pid == -1 || t->pid == (int64_t)t->tid) {
		t->maps = maps_new(m);
		return t->maps ? 0 : -m->err.code;
	}
	leader = findnew_thread(m, t->pid, (uint32_t)t->pid);
	if (!leader)
		return -m->err.code;
	if (!leader->maps) {
		leader->maps = maps_new(m);
		if (!leader->maps)
			return -m->err.code;
	}
	t->maps = leader->maps;
	t->maps->refs++;
	return 0;
}

/* perf's machine__update_thread_pid: a thread first seen without a pid
 * joins its process's address space once the pid is known. */
static int thread_update_pid(struct tk_machine *m, struct thread *t, int64_t pid)
{
	struct thread *leader;

	if (pid == t->pid || pid == -1 || t->pid != -1)
		return 0;
	t->pid = pid;
	if (pid == (int64_t)t->tid)
		return 0;
	leader = findnew_thread(m, pid, (uint32_t)pid);
	if (!leader)
		return -m->err.code;
	if (!leader->maps) {
		leader->maps = maps_new(m);
		if (!leader->maps)
			return -m->err.code;
	}
	if (t->maps == leader->maps)
		return 0;
	maps_put(m, t->maps);
	t->maps = leader->maps;
	t->maps->refs++;
	return 0;
}

static struct thread *findnew_thread(struct tk_machine *m, int64_t pid, uint32_t tid)
{
	struct thread *t = thread_find(m, tid);

	if (t) {
		if (thread_update_pid(m, t, pid))
			return NULL;
		/* A thread whose address space could not be made (out of
		 * memory) gets another chance rather than a NULL one. */
		if (!t->maps && thread_init_maps(m, t))
			return NULL;
		return t;
	}
	if (m->nr_threads >= TK_MACHINE_MAX_THREADS) {
		tk_err_set(&m->err, TK_ELIMIT, -1, "more than %u threads", TK_MACHINE_MAX_THREADS);
		return NULL;
	}
	if ((m->nr_threads + 1) * 10 > m->threads_cap * 7 && threads_grow(m))
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t) {
		tk_err_set(&m->err, TK_ENOMEM, -1, "out of memory for a thread");
		return NULL;
	}
	t->tid = tid;
	if (thread_reset(m, t, pid)) {
		free(t);
		return NULL;
	}
	*thread_slot(m, tid) = t;
	m->nr_threads++;
	if (thread_init_maps(m, t))
		return NULL;
	return t;
}

static int thread_set_comm(struct tk_machine *m, struct thread *t, const char *comm)
{
	struct pool_slot *ps = intern(m, comm, strnlen(comm, TK_MACHINE_MAX_COMM));

	if (!ps)
		return -m->err.code;
	t->comm = ps->s;
	t->comm_set = true;
	return 0;
}

/* --- DSOs --- */

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* The DSO of long name `name`, created on first use. */
static struct dso *findnew_dso(struct tk_machine *m, const char *name, enum dso_kind kind)
{
	struct pool_slot *ps = intern(m, name, strnlen(name, TK_MACHINE_MAX_NAME));
	struct dso *d, **v;

	if (!ps)
		return NULL;
	if (ps->dso)
		return ps->dso;
	if (m->nr_dsos == m->cap_dsos) {
		size_t cap = m->cap_dsos ? m->cap_dsos * 2 : 64;

		v = realloc(m->dsos, cap * sizeof(*v));
		if (!v) {
			tk_err_set(&m->err, TK_ENOMEM, -1, "out of memory for DSOs");
			return NULL;
		}
		m->dsos = v;
		m->cap_dsos = cap;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		tk_err_set(&m->err, TK_ENOMEM, -1, "out of memory for a DSO");
		return NULL;
	}
	d->name = ps->s;
	d->kind = kind;
	tk_symtab_init(&d->syms);
	m->dsos[m->nr_dsos++] = d;
	ps->dso = d;
	return d;
}

static void dso_set_build_id(struct dso *d, const uint8_t *id, size_t size)
{
	if (!id || !size)
		return;
	if (size > TK_BUILD_ID_MAX)
		size = TK_BUILD_ID_MAX;
	memcpy(d->bid, id, size);
	d->bid_size = (uint8_t)size;
}

/* perf's dso__build_id_equal: a recorded id may carry trailing zeros. */
static bool build_id_equal(const struct dso *d, const uint8_t *id, size_t size)
{
	size_t i;

	if (d->bid_size > size) {
		if (memcmp(d->bid, id, size))
			return false;
		for (i = size; i < d->bid_size; i++) {
			if (d->bid[i])
				return false;
		}
		return true;
	}
	return d->bid_size == size && !memcmp(d->bid, id, size);
}

static void note_warning(struct tk_machine *m, const struct tk_err *e, const char *what)
{
	if (m->warn.code || !e->code)
		return;
	m->warn = *e;
	if (what)
		tk_err_set_file(&m->warn, what);
}

/*
 * One candidate file for a DSO's symbols (perf's dso__load loop): opened,
 * rejected on a build id mismatch (symsrc__init), kept as the symbol
 * source if it has a .symtab and none was found yet, as the runtime image
 * if it has a .dynsym and none was found yet.
 */
struct candidates {
	struct tk_elfsym *syms, *runtime;
};

static void try_candidate(struct dso *d, const char *path, struct candidates *c)
{
	struct tk_elfsym *e;
	uint8_t id[TK_BUILD_ID_MAX];
	size_t n;
	bool used = false;
	struct stat sb;

	if (c->syms && c->runtime)
		return;
	if (stat(path, &sb) || !S_ISREG(sb.st_mode))
		return;
	if (tk_elfsym_open(path, &e, NULL))
		return;
	if (d->bid_size) {
		n = tk_elfsym_build_id(e, id);
		if (!n || !build_id_equal(d, id, n)) {
			tk_elfsym_close(e);
			return;
		}
	}
	if (!c->syms && tk_elfsym_has_symtab(e)) {
		c->syms = e;
		used = true;
	}
	if (!c->runtime && tk_elfsym_has_dynsym(e)) {
		c->runtime = e;
		used = true;
	}
	if (!used)
		tk_elfsym_close(e);
}

static void join(char *buf, size_t size, const char *a, const char *b, const char *c)
{
	int n = snprintf(buf, size, "%s%s%s", a, b, c ? c : "");

	if (n < 0 || (size_t)n >= size)
		buf[0] = '\0';	/* too long: no such file */
}

static void load_symbols(struct tk_machine *m, struct dso *d, struct candidates *c)
{
	struct tk_err e;

	tk_err_clear(&e);
	if (!c->syms)
		c->syms = c->runtime;
	if (c->syms && tk_elfsym_load(c->syms, c->runtime, &d->syms, &e) < 0) {
		note_warning(m, &e, d->name);
		tk_symtab_fini(&d->syms);
	}
	if (c->runtime != c->syms)
		tk_elfsym_close(c->runtime);
	tk_elfsym_close(c->syms);
}

static void build_id_hex(const struct dso *d, char hex[2 * TK_BUILD_ID_MAX + 1])
{
	size_t i;

	for (i = 0; i < d->bid_size; i++)
		snprintf(hex + 2 * i, 3, "%02x", d->bid[i]);
	hex[2 * d->bid_size] = '\0';
}

/*
 * DSO_BINARY_TYPE__DEBUGLINK, first of all: the file named by the DSO's
 * .gnu_debuglink, looked for as given (perf: relative to the current
 * directory), next to the DSO, in its .debug/, and below the debug
 * directory (perf: /usr/lib/debug + the DSO's directory).
 */
static void debuglink_candidates(struct tk_machine *m, struct dso *d, const char *path,
				 struct candidates *c)
{
	char link[256], dir[TK_MACHINE_MAX_NAME + 512], dbg[sizeof(dir) + 600];
	const char *slash = strrchr(path, '/');
	const char *rel = strrchr(d->name, '/');
	struct tk_elfsym *e;
	struct stat sb;
	bool ok;

	if (!slash || !rel || stat(path, &sb) || !S_ISREG(sb.st_mode))
		return;
	if (tk_elfsym_open(path, &e, NULL))
		return;
	ok = tk_elfsym_debuglink(e, link, sizeof(link));
	tk_elfsym_close(e);
	if (!ok)
		return;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	try_candidate(d, link, c);
	snprintf(dbg, sizeof(dbg), "%s/%s", dir, link);
	try_candidate(d, dbg, c);
	snprintf(dbg, sizeof(dbg), "%s/.debug/%s", dir, link);
	try_candidate(d, dbg, c);
	if (m->debugdir) {
		snprintf(dbg, sizeof(dbg), "%s%.*s/%s", m->debugdir, (int)(rel - d->name), d->name,
			 link);
		try_candidate(d, dbg, c);
	}
}

/*
 * The candidates perf's dso__load tries next, before the DSO's own file, in its
 * order (binary_type_symtab): the build-id cache (BUILD_ID_CACHE,
 * BUILD_ID_CACHE_DEBUGINFO), then the debug directory's Fedora and Ubuntu
 * layouts and its .build-id/xx/rest.debug (BUILDID_DEBUGINFO).
 */
static void debug_candidates(struct tk_machine *m, struct dso *d, struct candidates *c)
{
	char dbg[TK_MACHINE_MAX_NAME + 576], hex[2 * TK_BUILD_ID_MAX + 1];
	struct stat sb;

	build_id_hex(d, hex);
	if (m->buildid_dir && d->bid_size) {
		snprintf(dbg, sizeof(dbg), "%s/.build-id/%.2s/%s", m->buildid_dir, hex, hex + 2);
		/* Old caches link to the file, newer ones to a directory. */
		if (!stat(dbg, &sb) && S_ISDIR(sb.st_mode)) {
			size_t n = strlen(dbg);

			snprintf(dbg + n, sizeof(dbg) - n, "/%s", d->kind == DSO_VDSO ? "vdso" : "elf");
			try_candidate(d, dbg, c);
			snprintf(dbg + n, sizeof(dbg) - n, "/debug");
		}
		try_candidate(d, dbg, c);
	}
	if (m->debugdir) {
		join(dbg, sizeof(dbg), m->debugdir, d->name, ".debug");
		try_candidate(d, dbg, c);
		join(dbg, sizeof(dbg), m->debugdir, d->name, NULL);
		try_candidate(d, dbg, c);
		if (d->bid_size) {
			snprintf(dbg, sizeof(dbg), "%s/.build-id/%.2s/%s.debug", m->debugdir, hex,
				 hex + 2);
			try_candidate(d, dbg, c);
		}
	}
}

static void load_user_dso(struct tk_machine *m, struct dso *d)
{
	const char *symfs = m->symfs ? m->symfs : "";
	struct candidates c = { NULL, NULL };
	char path[TK_MACHINE_MAX_NAME + 512];
	struct stat sb;

	join(path, sizeof(path), symfs, d->name, NULL);
	/* perf's dso__load: without a recorded build id, the file's own one
	 * is used, to find its debug file and to check every candidate. */
	if (!d->bid_size && !stat(path, &sb) && S_ISREG(sb.st_mode)) {
		uint8_t id[TK_BUILD_ID_MAX];
		size_t n = tk_elfsym_file_build_id(path, id);

		dso_set_build_id(d, id, n);
	}
	debuglink_candidates(m, d, path, &c);
	debug_candidates(m, d, &c);
	try_candidate(d, path, &c);
	load_symbols(m, d, &c);
}

/*
 * perf copies its own [vdso] to a temporary file and reads that (vdso.c);
 * we read ours in place. The same kernel gives the same vdso, and a build
 * id, when recorded, is checked like any other.
 */
static void load_vdso(struct tk_machine *m, struct dso *d)
{
	const unsigned char *img = (const unsigned char *)(uintptr_t)getauxval(AT_SYSINFO_EHDR);
	struct candidates c = { NULL, NULL };
	struct tk_elfsym *e = NULL;
	Elf64_Ehdr eh;
	uint64_t len, phend, shend;
	uint8_t id[TK_BUILD_ID_MAX];
	size_t n;

	/* Under --symfs perf looks for its temporary copy below the symfs
	 * and finds nothing; a vdso named by the BUILD_ID feature has no
	 * copy at all: then only the build-id cache can help. */
	if (img && !m->symfs && !d->from_header) {
		memcpy(&eh, img, sizeof(eh));
		phend = eh.e_phoff + (uint64_t)eh.e_phnum * eh.e_phentsize;
		shend = eh.e_shoff + (uint64_t)eh.e_shnum * eh.e_shentsize;
		len = phend > shend ? phend : shend;
		if (!memcmp(eh.e_ident, ELFMAG, SELFMAG) && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
		    len <= TK_MACHINE_MAX_VDSO && tk_elfsym_open_mem(img, (size_t)len, &e, NULL))
			e = NULL;
	}
	if (e) {
		n = tk_elfsym_build_id(e, id);
		/* dso__load: no recorded id, the copy's own is used. */
		if (!d->bid_size)
			dso_set_build_id(d, id, n);
		else if (!n || !build_id_equal(d, id, n)) {
			tk_elfsym_close(e);
			e = NULL;
		}
	}
	debug_candidates(m, d, &c);
	if (e) {
		if (!c.syms && tk_elfsym_has_symtab(e))
			c.syms = e;
		if (!c.runtime && tk_elfsym_has_dynsym(e))
			c.runtime = e;
		if (c.syms != e && c.runtime != e)
			tk_elfsym_close(e);
	}
	load_symbols(m, d, &c);
}

/* The running kernel's build id from /sys/kernel/notes (bare ELF notes). */
static size_t running_kernel_build_id(uint8_t id[TK_BUILD_ID_MAX])
{
	unsigned char buf[4096];
	size_t len, off = 0;
	FILE *f = fopen("/sys/kernel/notes", "rb");

	if (!f)
		return 0;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	while (len - off >= 12) {
		uint32_t nsz, dsz, type;
		size_t an, ad;

		memcpy(&nsz, buf + off, 4);
		memcpy(&dsz, buf + off + 4, 4);
		memcpy(&type, buf + off + 8, 4);
		an = ((size_t)nsz + 3) & ~(size_t)3;
		ad = ((size_t)dsz + 3) & ~(size_t)3;
		if (an > len - off - 12 || ad > len - off - 12 - an)
			break;
		if (type == 3 && nsz == 4 && !memcmp(buf + off + 12, "GNU", 4)) {
			size_t n = dsz < TK_BUILD_ID_MAX ? dsz : TK_BUILD_ID_MAX;

			memcpy(id, buf + off + 12 + an, n);
			return n;
		}
		off += 12 + an + ad;
	}
	return 0;
}

static const char *kallsyms_path(struct tk_machine *m)
{
	struct utsname u;
	uint8_t id[TK_BUILD_ID_MAX];
	size_t n;

	if (m->kallsyms)
		return m->kallsyms;
	/* dso__load_kernel_sym: "do not try local files if a symfs was
	 * given" -- with --symfs and no --kallsyms perf has no kernel symbols. */
	if (m->symfs)
		return NULL;
	/* perf's dso__find_kallsyms: with a recorded kernel build id,
	 * /proc/kallsyms only if the running kernel has the same one, else
	 * the kallsyms perf record left in the build-id cache. */
	if (m->kernel && m->kernel->bid_size) {
		n = running_kernel_build_id(id);
		if (!m->no_live_kallsyms && n && build_id_equal(m->kernel, id, n))
			return "/proc/kallsyms";
		if (m->buildid_dir) {
			char hex[2 * TK_BUILD_ID_MAX + 1];

			build_id_hex(m->kernel, hex);
			snprintf(m->kallsyms_cache, sizeof(m->kallsyms_cache),
				 "%s/" KERNEL_MMAP_NAME "/%s/kallsyms", m->buildid_dir, hex);
			if (!access(m->kallsyms_cache, R_OK))
				return m->kallsyms_cache;
		}
		if (n)
			return NULL;
	}
	if (m->no_live_kallsyms)
		return NULL;
	if (!m->osrelease)
		return "/proc/kallsyms";
	if (uname(&u) == 0 && !strcmp(u.release, m->osrelease))
		return "/proc/kallsyms";
	return NULL;
}

static int set_kernel_map(struct tk_machine *m, uint64_t start, uint64_t end);

/*
 * dso__load_kernel_sym then runs map__fixup_start/map__fixup_end: the
 * kernel map spans its symbols, from the first one's start to the last
 * one's end -- so .init.text frames (start_kernel in the idle tasks'
 * stacks) resolve although the MMAP record stopped at _etext.
 */
static void kernel_map_fixup(struct tk_machine *m)
{
	const struct tk_sym *first = tk_symtab_first(&m->kernel->syms);
	const struct tk_sym *last = tk_symtab_last(&m->kernel->syms);

	if (m->have_kernel_map && first)
		set_kernel_map(m, first->start, last->end);
}

/* tools/lib's hex2u64: hex digits up to the first other character. */
static size_t hex_prefix(const char *p, uint64_t *v)
{
	size_t n = 0;

	*v = 0;
	for (;; n++) {
		int c = (unsigned char)p[n], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return n;
		*v = *v << 4 | (uint64_t)d;
	}
}

/*
 * perf's dso__load_perf_map: "START SIZE NAME" lines (hex, no 0x) that a
 * JIT writes to /tmp/perf-PID.map, read from this machine's /tmp -- perf
 * applies no --symfs there -- inserted as they come, with no fixups.
 */
static void load_perfmap(struct tk_machine *m, struct dso *d)
{
	FILE *f = fopen(d->name, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	struct tk_err e;

	if (!f)
		return;
	tk_err_clear(&e);
	while ((len = getline(&line, &cap, f)) > 0) {
		uint64_t start, size;
		size_t n;

		line[--len] = '\0';	/* perf drops the last byte, newline or not */
		n = hex_prefix(line, &start) + 1;
		if (n + 2 >= (size_t)len)
			continue;
		n += hex_prefix(line + n, &size) + 1;
		if (n + 2 >= (size_t)len)
			continue;
		if (tk_symtab_add(&d->syms, start, size, TK_STB_GLOBAL, TK_STT_FUNC, line + n,
				  strlen(line + n), 0, &e)) {
			note_warning(m, &e, d->name);
			break;
		}
	}
	free(line);
	fclose(f);
}

/* perf's dso__load_kernel_sym via kallsyms (__dso__load_kallsyms). */
static void load_kernel(struct tk_machine *m, struct dso *d)
{
	const char *path = kallsyms_path(m);
	struct tk_err e;
	uint64_t addr, delta = 0;

	if (!path)
		return;
	tk_err_clear(&e);
	if (tk_ksyms_load(path, &d->syms, &e)) {
		note_warning(m, &e, path);
		tk_symtab_fini(&d->syms);
		return;
	}
	/* kallsyms__delta: the kernel was relocated (KASLR) if the reference
	 * symbol sits elsewhere in this kallsyms than in the recording. A
	 * kallsyms without it is unusable, as for perf. */
	if (m->ref_reloc) {
		if (!tk_ksyms_func_start(&d->syms, m->ref_reloc_name, &addr)) {
			tk_err_set(&e, TK_EFORMAT, -1, "no %s symbol to relocate the kernel",
				   m->ref_reloc_name);
			note_warning(m, &e, path);
			tk_symtab_fini(&d->syms);
			return;
		}
		delta = addr - m->ref_reloc_addr;
	}
	/* Looked up before duplicates go: _text and _stext share an address. */
	if ((tk_ksyms_func_start(&d->syms, "_text", &m->ktext) ||
	     tk_ksyms_func_start(&d->syms, "_stext", &m->ktext)) &&
	    tk_ksyms_func_start(&d->syms, "_etext", &m->ketext) && m->ketext > m->ktext)
		m->has_ktext = true;
	tk_ksyms_finish(&d->syms, delta);
	kernel_map_fixup(m);
}

static void dso_load(struct tk_machine *m, struct dso *d)
{
	if (d->loaded)
		return;
	d->loaded = true;
	m->symgen++;
	switch (d->kind) {
	case DSO_USER:
		load_user_dso(m, d);
		break;
	case DSO_VDSO:
		load_vdso(m, d);
		break;
	case DSO_KERNEL:
		load_kernel(m, d);
		break;
	case DSO_KMOD:
		if (m->kernel)
			dso_load(m, m->kernel);
		break;
	case DSO_PERFMAP:
		load_perfmap(m, d);
		break;
	case DSO_KSYM:		/* filled by the record */
	case DSO_NOSYMS:
		break;
	}
}

/* --- the kernel (perf's machine__process_kernel_mmap_event) --- */

static struct dso *kernel_dso(struct tk_machine *m)
{
	if (!m->kernel)
		m->kernel = findnew_dso(m, KERNEL_MMAP_NAME, DSO_KERNEL);
	return m->kernel;
}

/* Replace the kernel map (there is one; module maps stay). */
static int set_kernel_map(struct tk_machine *m, uint64_t start, uint64_t end)
{
	struct map km = { start, end, 0, NULL, true };
	size_t i;

	km.dso = kernel_dso(m);
	if (!km.dso)
		return -m->err.code;
	for (i = 0; i < m->kmaps.nr; i++) {
		if (m->kmaps.v[i].dso == km.dso) {
			memmove(&m->kmaps.v[i], &m->kmaps.v[i + 1],
				(m->kmaps.nr - i - 1) * sizeof(*m->kmaps.v));
			m->kmaps.nr--;
			break;
		}
	}
	/* perf: a zero-sized synthesized kernel MMAP means "everything". */
	if (start == 0 && end == 0)
		km.end = UINT64_MAX;
	m->have_kernel_map = true;
	return maps_insert(m, &m->kmaps, &km);
}

/*
 * No kernel MMAP in the recording: perf then keeps the kernel map it made
 * at startup from the running kernel; we take the extent _text.._etext of
 * the kallsyms we use (else everything).
 */
static int default_kernel_map(struct tk_machine *m)
{
	struct dso *k = kernel_dso(m);

	if (!k)
		return -m->err.code;
	dso_load(m, k);
	if (set_kernel_map(m, m->has_ktext ? m->ktext : 0, m->has_ktext ? m->ketext : 0))
		return -m->err.code;
	kernel_map_fixup(m);
	return 0;
}

/* kmod_path__parse_name: "/lib/.../foo-bar.ko.xz" -> "foo_bar". */
static void module_name(const char *filename, char *out, size_t size)
{
	const char *base = strrchr(filename, '/');
	const char *ext;
	size_t len, i;

	base = base ? base + 1 : filename;
	len = strlen(base);
	if (base[0] == '[') {
		base++;
		len = strcspn(base, "]");
	} else {
		ext = strrchr(base, '.');
		if (ext && (!strcmp(ext, ".gz") || !strcmp(ext, ".xz") || !strcmp(ext, ".zst")))
			ext = ext - 3 >= base ? ext - 3 : ext;
		if (ext && ext > base && !strncmp(ext, ".ko", 3))
			len = (size_t)(ext - base);
	}
	if (len >= size)
		len = size - 1;
	for (i = 0; i < len; i++)
		out[i] = base[i] == '-' ? '_' : base[i];
	out[len] = '\0';
}

static int kernel_mmap(struct tk_machine *m, uint64_t start, uint64_t len, uint64_t pgoff,
		       const char *filename, const uint8_t *bid, uint8_t bid_size)
{
	/* perf compares strlen(mmap_name) - 1 bytes: "[kernel.kallsyms". */
	bool is_kernel = !strncmp(filename, KERNEL_MMAP_NAME, strlen(KERNEL_MMAP_NAME) - 1);
	uint64_t end = start + len < start ? UINT64_MAX : start + len;

	if (filename[0] == '/' || (!is_kernel && filename[0] == '[')) {
		char mod[256], name[260];
		struct map mm = { start, end, 0, NULL, false };

		module_name(filename, mod, sizeof(mod));
		snprintf(name, sizeof(name), "[%s]", mod);
		mm.dso = findnew_dso(m, name, DSO_KMOD);
		if (!mm.dso)
			return -m->err.code;
		if (!mm.dso->kmod) {
			struct pool_slot *ps = intern(m, mod, strlen(mod));

			if (!ps)
				return -m->err.code;
			mm.dso->kmod = ps->s;
		}
		dso_set_build_id(mm.dso, bid, bid_size);
		return maps_insert(m, &m->kmaps, &mm);
	}
	if (!is_kernel)
		return 0;	/* x86 entry trampolines and the like: not modelled */
	if (!kernel_dso(m))
		return -m->err.code;
	dso_set_build_id(m->kernel, bid, bid_size);
	if (set_kernel_map(m, start, start == 0 && len == 0 ? 0 : end))
		return -m->err.code;
	/* pgoff 0 means kptr_restrict hid _text at record time: no
	 * relocation then (perf's comment says the same). */
	if (pgoff) {
		const char *sym = filename + strlen(KERNEL_MMAP_NAME);

		snprintf(m->ref_reloc_name, sizeof(m->ref_reloc_name), "%s", sym);
		m->ref_reloc = m->ref_reloc_name[0] != '\0';
		m->ref_reloc_addr = pgoff;
	}
	return 0;
}

/* --- public API --- */

static char *dup_opt(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

int tk_machine_create(const struct tk_machine_opts *opts, struct tk_machine **out,
		      struct tk_err *err)
{
	static const struct tk_machine_opts none;
	struct tk_machine *m;
	struct thread *idle;
	bool oom = false;

	*out = NULL;
	if (!opts)
		opts = &none;
	m = calloc(1, sizeof(*m));
	if (!m)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory for a machine");
	tk_err_clear(&m->err);
	tk_err_clear(&m->warn);
	m->kallsyms = dup_opt(opts->kallsyms, &oom);
	m->osrelease = dup_opt(opts->osrelease, &oom);
	m->symfs = dup_opt(opts->symfs && opts->symfs[0] ? opts->symfs : NULL, &oom);
	m->debugdir = dup_opt(opts->debugdir, &oom);
	m->buildid_dir = dup_opt(opts->buildid_dir, &oom);
	m->no_live_kallsyms = opts->no_live_kallsyms;
	m->kmaps.refs = 1;
	m->symcache = calloc((size_t)1 << SYMCACHE_BITS, sizeof(*m->symcache));
	oom |= !m->symcache;
	if (oom) {
		tk_machine_destroy(m);
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory for machine options");
	}
	/* perf_session__register_idle_thread: tid 0 is "swapper". */
	idle = findnew_thread(m, 0, 0);
	if (!idle || thread_set_comm(m, idle, "swapper")) {
		if (err)
			*err = m->err;
		tk_machine_destroy(m);
		return err ? -err->code : -TK_ENOMEM;
	}
	*out = m;
	return 0;
}

void tk_machine_destroy(struct tk_machine *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->threads_cap; i++) {
		if (m->threads[i]) {
			maps_put(m, m->threads[i]->maps);
			free(m->threads[i]);
		}
	}
	free(m->threads);
	for (i = 0; i < m->nr_dsos; i++) {
		tk_symtab_fini(&m->dsos[i]->syms);
		free(m->dsos[i]);
	}
	free(m->dsos);
	free(m->kmaps.v);
	while (m->chunks) {
		struct chunk *c = m->chunks;

		m->chunks = c->next;
		free(c);
	}
	free(m->pool);
	free(m->kallsyms);
	free(m->osrelease);
	free(m->symfs);
	free(m->debugdir);
	free(m->buildid_dir);
	free(m->symcache);
	free(m);
}

const struct tk_err *tk_machine_get_err(const struct tk_machine *m)
{
	return &m->err;
}

const struct tk_err *tk_machine_get_warning(const struct tk_machine *m)
{
	return &m->warn;
}

static int fail(struct tk_machine *m)
{
	return m->err.code ? -m->err.code : -TK_ENOMEM;
}

int tk_machine_mmap(struct tk_machine *m, int mode, uint32_t pid, uint32_t tid,
		    uint64_t start, uint64_t len, uint64_t pgoff, const char *filename,
		    const uint8_t *build_id, uint8_t build_id_size)
{
	struct thread *t;
	struct map map;
	char perfmap[64];
	bool anon, nodso, vdso;

	if (!filename)
		return tk_err_set(&m->err, TK_EINVAL, -1, "mmap without a file name");
	if (mode == TK_MODE_KERNEL)
		return kernel_mmap(m, start, len, pgoff, filename, build_id, build_id_size);
	if (mode == TK_MODE_GUEST_KERNEL || mode == TK_MODE_GUEST_USER)
		return 0;	/* guests are not modelled */
	t = findnew_thread(m, pid_of(pid), tid);
	if (!t)
		return fail(m);
	/* map.c is_anon_memory / is_no_dso_memory / is_vdso_map. */
	anon = !strcmp(filename, "//anon") || has_prefix(filename, "/dev/zero") ||
	       has_prefix(filename, "/anon_hugepage");
	nodso = has_prefix(filename, "[stack") || has_prefix(filename, "/SYSV") ||
		!strcmp(filename, "[heap]");
	vdso = !strcmp(filename, "[vdso]");
	/* map__new: executable anonymous memory is named after the JIT map
	 * file of the process (pid of the thread's namespace info; none for
	 * pid 0). MMAP records we get are executable ones. */
	if ((anon || nodso) && t->pid != 0) {
		snprintf(perfmap, sizeof(perfmap), "/tmp/perf-%" PRId64 ".map", t->pid);
		filename = perfmap;
	}
	map.start = start;
	map.end = start + len < start ? UINT64_MAX : start + len;
	map.pgoff = vdso ? 0 : pgoff;
	map.identity = anon || nodso;
	/* dso__load tells JIT maps by name, whatever made the map. */
	map.dso = findnew_dso(m, filename,
			      vdso ? DSO_VDSO :
			      has_prefix(filename, "/tmp/perf-") ? DSO_PERFMAP :
			      (anon || nodso) ? DSO_NOSYMS : DSO_USER);
	if (!map.dso)
		return fail(m);
	dso_set_build_id(map.dso, build_id, build_id_size);
	if (map.end <= map.start)
		return 0;	/* empty: perf would insert a map nothing can hit */
	return maps_insert_fixup(m, t->maps, &map) ? fail(m) : 0;
}

int tk_machine_comm(struct tk_machine *m, uint32_t pid, uint32_t tid, const char *comm,
		    bool exec, uint64_t time)
{
	struct thread *t;

	(void)exec;	/* perf keeps maps across exec; new MMAPs override them */
	(void)time;
	if (!comm)
		return tk_err_set(&m->err, TK_EINVAL, -1, "COMM without a name");
	t = findnew_thread(m, pid_of(pid), tid);
	if (!t)
		return fail(m);
	return thread_set_comm(m, t, comm) ? fail(m) : 0;
}

/* perf's machine__process_fork_event + thread__fork. */
int tk_machine_fork(struct tk_machine *m, uint32_t pid, uint32_t ppid, uint32_t tid,
		    uint32_t ptid, uint64_t time)
{
	struct thread *t, *parent;
	int64_t p = pid_of(pid), pp = pid_of(ppid);
	size_t i;

	(void)time;
	if (tid == ptid)
		return 0;	/* a task cannot fork itself: ignore the record */
	t = thread_find(m, tid);
	if (t && thread_update_pid(m, t, p))
		return fail(m);
	parent = findnew_thread(m, pp, ptid);
	if (!parent)
		return fail(m);
	/* A thread under the parent's tid that belongs to another process is
	 * stale (lost EXIT/FORK): start it afresh. */
	if (parent->pid != pp) {
		if (thread_reset(m, parent, pp) || thread_init_maps(m, parent))
			return fail(m);
	}
	t = thread_find(m, tid);
	if (t) {
		if (thread_reset(m, t, p) || thread_init_maps(m, t))
			return fail(m);
	} else {
		t = findnew_thread(m, p, tid);
		if (!t)
			return fail(m);
	}
	if (t == parent)
		return 0;
	if (parent->comm_set && thread_set_comm(m, t, parent->comm))
		return fail(m);
	/* thread__clone_maps: a new thread shares its process's maps; a new
	 * process starts with a copy of its parent's. */
	if (t->pid == parent->pid || t->maps == parent->maps || !parent->maps)
		return 0;
	for (i = 0; i < parent->maps->nr; i++) {
		if (maps_insert(m, t->maps, &parent->maps->v[i]))
			return fail(m);
	}
	return 0;
}

int tk_machine_exit(struct tk_machine *m, uint32_t pid, uint32_t tid, uint64_t time)
{
	struct thread *t = thread_find(m, tid);

	(void)time;
	if (t) {
		if (thread_update_pid(m, t, pid_of(pid)))
			return fail(m);
		t->exited = true;	/* perf keeps exited threads: samples may follow */
	}
	return 0;
}

/*
 * perf's machine__process_ksymbol_register / _unregister: a kernel map of
 * its own named after the symbol, holding that one symbol; a symbol that
 * falls in an existing map is added to that map's DSO at the map's start
 * (perf's quirk); unregistering removes the map (not the kernel's).
 */
int tk_machine_ksymbol(struct tk_machine *m, uint64_t addr, uint32_t len, const char *name,
		       bool unregister)
{
	const struct map *found;
	struct pool_slot *ps;
	struct map km;
	struct dso *d, **v;
	struct tk_err e;
	size_t i;

	m->symgen++;	/* a symbol table changes */
	if (!name)
		return tk_err_set(&m->err, TK_EINVAL, -1, "KSYMBOL without a name");
	found = maps_find(&m->kmaps, addr);
	if (unregister) {
		if (!found || (m->kernel && found->dso == m->kernel))
			return 0;
		i = (size_t)(found - m->kmaps.v);
		memmove(&m->kmaps.v[i], &m->kmaps.v[i + 1],
			(m->kmaps.nr - i - 1) * sizeof(*m->kmaps.v));
		m->kmaps.nr--;
		return 0;
	}
	tk_err_clear(&e);
	if (found) {
		d = found->dso;
		if (d->kind != DSO_KSYM)
			return 0;	/* kallsyms-backed maps: nothing to add to */
		if (tk_symtab_add(&d->syms, 0, len, TK_STB_LOCAL, 0, name,
				  strnlen(name, TK_MACHINE_MAX_NAME), 0, &e)) {
			m->err = e;
			return -e.code;
		}
		return 0;
	}
	/* dso__new: a DSO of its own each time, not shared by name. */
	ps = intern(m, name, strnlen(name, TK_MACHINE_MAX_NAME));
	if (!ps)
		return fail(m);
	if (m->nr_dsos == m->cap_dsos) {
		size_t cap = m->cap_dsos ? m->cap_dsos * 2 : 64;

		v = realloc(m->dsos, cap * sizeof(*v));
		if (!v)
			return tk_err_set(&m->err, TK_ENOMEM, -1, "out of memory for DSOs");
		m->dsos = v;
		m->cap_dsos = cap;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return tk_err_set(&m->err, TK_ENOMEM, -1, "out of memory for a DSO");
	d->name = ps->s;
	d->kind = DSO_KSYM;
	d->loaded = true;
	tk_symtab_init(&d->syms);
	m->dsos[m->nr_dsos++] = d;
	if (tk_symtab_add(&d->syms, 0, len, TK_STB_LOCAL, 0, name,
			  strnlen(name, TK_MACHINE_MAX_NAME), 0, &e)) {
		m->err = e;
		return -e.code;
	}
	km.start = addr;
	km.end = addr + len < addr ? UINT64_MAX : addr + len;
	km.pgoff = 0;
	km.dso = d;
	km.identity = false;
	return maps_insert(m, &m->kmaps, &km);
}

int tk_machine_buildid(struct tk_machine *m, int32_t pid, const char *filename,
		       const uint8_t *id, uint8_t size)
{
	struct dso *d;
	enum dso_kind kind = DSO_USER;
	size_t n;

	if (!filename)
		return tk_err_set(&m->err, TK_EINVAL, -1, "build id without a file name");
	/* The host's entries (kernel and user) carry pid -1; others are guests. */
	if (pid != -1)
		return 0;
	if (!strcmp(filename, KERNEL_MMAP_NAME))
		kind = DSO_KERNEL;
	else if (!strcmp(filename, "[vdso]"))
		kind = DSO_VDSO;
	else if (filename[0] == '[')
		return 0;	/* modules, [vsyscall] ...: we read no .ko files */
	n = m->nr_dsos;
	d = kind == DSO_KERNEL ? kernel_dso(m) : findnew_dso(m, filename, kind);
	if (!d)
		return fail(m);
	dso_set_build_id(d, id, size);
	/* Only a DSO this entry creates counts as "from the header": perf's
	 * vdso is the temporary copy when the MMAP came first. */
	if (m->nr_dsos != n)
		d->from_header = true;
	return 0;
}

const char *tk_machine_comm_of(struct tk_machine *m, uint32_t tid)
{
	struct thread *t = thread_find(m, tid);
	struct pool_slot *ps;
	char buf[16];

	if (t)
		return t->comm;
	snprintf(buf, sizeof(buf), ":%" PRId32, (int32_t)tid);
	ps = intern(m, buf, strlen(buf));
	return ps ? ps->s : ":?";
}

int64_t tk_machine_pid_of(struct tk_machine *m, uint32_t tid)
{
	struct thread *t = thread_find(m, tid);

	return t ? t->pid : -1;
}

/*
 * perf resolves each sample's ip first (machine__resolve), and on the very
 * first one machine__kernel_start() loads the kernel map -- fixing its
 * extent up -- before any callchain entry is looked up. Do the same.
 */
static void first_sample(struct tk_machine *m)
{
	if (m->kernel_touched)
		return;
	m->kernel_touched = true;
	if (!m->have_kernel_map)
		default_kernel_map(m);
	else if (m->kernel)
		dso_load(m, m->kernel);
}

static const struct tk_sym *cached_find(struct tk_machine *m, const struct tk_symtab *st,
				       uint64_t key, bool module)
{
	uint64_t h = (key ^ ((uintptr_t)st * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
	struct symcache *c = &m->symcache[h >> (64 - SYMCACHE_BITS)];

	if (c->st == st && c->key == key && c->module == module && c->gen == m->symgen)
		return c->s;
	c->st = st;
	c->key = key;
	c->module = module;
	c->gen = m->symgen;
	c->s = module ? tk_symtab_find_module(st, key) : tk_symtab_find(st, key);
	return c->s;
}

/*
 * perf's thread__find_symbol (event.c) for one mode, and what
 * sample__fprintf_callchain then prints: the map-relative address for user
 * DSOs, the raw ip for kernel DSOs and when there is no map.
 */
static void find_symbol(struct tk_machine *m, struct thread *t, int mode, uint64_t ip,
			struct tk_frame *f)
{
	const struct maps *ms;
	const struct map *map;
	const struct tk_symtab *st;
	const struct tk_sym *s;
	struct dso *d;
	uint64_t addr, key;

	memset(f, 0, sizeof(*f));
	f->ip = ip;
	f->addr = ip;
	f->mode = (uint8_t)mode;
	if (mode == TK_MODE_KERNEL) {
		if (!m->have_kernel_map && default_kernel_map(m))
			return;
		ms = &m->kmaps;
	} else if (mode == TK_MODE_USER) {
		ms = t->maps;
	} else {
		return;		/* hypervisor, guests: no maps */
	}
	map = ms ? maps_find(ms, ip) : NULL;
	if (!map)
		return;
	d = map->dso;
	dso_load(m, d);
	addr = map->identity ? ip : ip - map->start + map->pgoff;
	f->dso = d->name;
	if (d->kind == DSO_KERNEL || d->kind == DSO_KMOD || d->kind == DSO_KSYM)
		f->addr = ip;
	else
		f->addr = addr;
	/* Kernel and module symbols are kept at their absolute addresses. */
	st = d->kind == DSO_KMOD ? (m->kernel ? &m->kernel->syms : NULL) : &d->syms;
	key = d->kind == DSO_KMOD ? ip : addr;
	s = st ? cached_find(m, st, key, d->kind == DSO_KMOD) : NULL;
	if (s && d->kind == DSO_KMOD) {
		const char *mod = tk_symtab_module(st, s);

		if (!mod || !d->kmod || strcmp(mod, d->kmod))
			s = NULL;
	} else if (s && d->kind == DSO_KERNEL && s->mod) {
		s = NULL;
	}
	if (!s)
		return;
	f->sym = tk_symtab_name(st, s);
	/* symbol_fprintf.c __symbol__fprintf_symname_offs: past the end (a
	 * zero-length symbol) the offset is taken from the map start. */
	if (key < s->end)
		f->sym_off = key - s->start;
	else if (d->kind == DSO_KMOD)
		f->sym_off = ip - map->start - s->start;
	else
		f->sym_off = addr - map->start - s->start;
}

int tk_machine_resolve(struct tk_machine *m, uint32_t pid, uint32_t tid, int mode,
		       uint64_t ip, struct tk_frame *out)
{
	struct thread *t = findnew_thread(m, pid_of(pid), tid);
	int other;

	if (!t)
		return fail(m);
	first_sample(m);
	find_symbol(m, t, mode, ip, out);
	if (out->dso)
		return 0;
	/* thread__find_map_fb / machine__addr_cpumode: on x86_64 kernel
	 * addresses are those >= 2^63; retry an address in the mode it
	 * belongs to. */
	if (mode == TK_MODE_USER && ip >= (1ull << 63))
		other = TK_MODE_KERNEL;
	else if (mode == TK_MODE_KERNEL && ip < (1ull << 63))
		other = TK_MODE_USER;
	else
		return 0;
	find_symbol(m, t, other, ip, out);
	if (!out->dso)
		find_symbol(m, t, mode, ip, out);	/* report the asked mode */
	return 0;
}

/*
 * perf's thread__resolve_callchain_sample for the default (callee) order
 * without LBR: every entry before the first context marker is looked up
 * in user mode (perf starts with cpumode = USER, whatever the sample's
 * cpumode); a marker switches the mode and is no frame; a marker other
 * than HV/KERNEL/USER means a corrupt chain and perf drops the whole
 * callchain; at most `max` frames (perf script: --max-stack, 127).
 */
int tk_machine_callchain(struct tk_machine *m, uint32_t pid, uint32_t tid, int sample_mode,
			 const uint64_t *chain, uint64_t nr, struct tk_frame *frames,
			 int max)
{
	struct thread *t = findnew_thread(m, pid_of(pid), tid);
	int mode = TK_MODE_USER, n = 0;
	uint64_t i;

	(void)sample_mode;
	if (!t)
		return fail(m);
	first_sample(m);
	for (i = 0; i < nr && n < max; i++) {
		uint64_t ip = chain[i];

		if (ip >= CTX_MAX) {
			if (ip == CTX_HV)
				mode = TK_MODE_HV;
			else if (ip == CTX_KERNEL)
				mode = TK_MODE_KERNEL;
			else if (ip == CTX_USER)
				mode = TK_MODE_USER;
			else
				return 0;
			continue;
		}
		find_symbol(m, t, mode, ip, &frames[n++]);
	}
	return n;
}
