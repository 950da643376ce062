/* SPDX-License-Identifier: MIT */
/*
 * Hist triggers over recorded events. Each event's key tuple is looked up
 * in an open-addressing table of entry indices; strings are interned, so a
 * key is a fixed array of u64 and compares with memcmp.
 */
#include "analyze/hist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strtab.h"

enum src_kind { SRC_FIELD, SRC_TIMESTAMP, SRC_CPU, SRC_HITCOUNT };

struct fld {
	struct tk_hist_field pub;
	enum src_kind src;
	struct tk_field f;
};

struct sortkey {
	int idx;		/* -1 hitcount, 0..nvals-1 vals, 100+i keys */
	int descending;
};

struct tk_hist {
	const struct tk_schema *sch;
	uint32_t event_id;
	char arch[32];
	struct fld keys[TK_HIST_MAX_KEYS], vals[TK_HIST_MAX_VALS];
	int nkeys, nvals;
	struct sortkey sort[TK_HIST_MAX_SORT];
	int nsort;
	uint32_t max_entries;
	struct tk_hist_entry *ents;
	size_t nents, capents;
	uint32_t *slots;	/* entry index + 1, 0 empty */
	size_t nslots;		/* power of two, 2 x max_entries */
	const struct tk_hist_entry **sorted;
	struct tk_strtab *strs;
	uint64_t hits, dropped;
	char trigger[1024];
};

uint64_t tk_hist_log2(uint64_t v)
{
	uint64_t r = 0;

	/*
	 * roundup_pow_of_two(v) is 1 << fls(v - 1): for 0 and above 2^63
	 * the shift count is 64, which x86_64 masks to 0, giving 1 (log 0).
	 */
	if (v == 0 || v > (1ull << 63))
		return 0;
	v--;
	while (v) {
		r++;
		v >>= 1;
	}
	return r;
}

static uint64_t hash_key(const uint64_t *k, int n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	int i;

	for (i = 0; i < n; i++) {
		h ^= k[i] + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
		h *= 0xff51afd7ed558ccdull;
	}
	return h ^ (h >> 33);
}

/* ---- parsing ---- */

static int parse_field(struct tk_hist *h, const char *item, bool is_key, struct fld *out,
		       struct tk_err *err)
{
	char name[64], mod[24] = "";
	const char *dot = strchr(item, '.');
	size_t n = dot ? (size_t)(dot - item) : strlen(item);
	const char *ev = h->sch->ops->event_name(h->sch->arg, h->event_id);

	memset(out, 0, sizeof(*out));
	if (n == 0 || n >= sizeof(name))
		return tk_err_set(err, TK_EINVAL, -1, "bad field '%s'", item);
	memcpy(name, item, n);
	name[n] = 0;
	if (dot) {
		if (strlen(dot + 1) >= sizeof(mod) || !dot[1])
			return tk_err_set(err, TK_EINVAL, -1, "bad modifier in '%s'", item);
		memcpy(mod, dot + 1, strlen(dot + 1) + 1);
	}
	if (!strcmp(name, "common_timestamp")) {
		out->src = SRC_TIMESTAMP;
		out->pub.flags |= TK_HISTF_TIMESTAMP;
	} else if (!strcmp(name, "common_cpu") || !strcmp(name, "cpu")) {
		/* the kernel takes "cpu" too and prints it as common_cpu */
		out->src = SRC_CPU;
		out->pub.flags |= TK_HISTF_CPU;
		snprintf(name, sizeof(name), "common_cpu");
	} else if (!strcmp(name, "hitcount")) {
		if (is_key || dot)
			return tk_err_set(err, TK_EINVAL, -1, "hitcount can only be a plain value");
		out->src = SRC_HITCOUNT;
	} else if (!strcmp(name, "stacktrace") || !strcmp(name, "common_stacktrace")) {
		return tk_err_set(err, TK_EINVAL, -1,
				  "stacktrace keys are not supported (the stack is not in the event's payload)");
	} else {
		if (!h->sch->ops->find_field(h->sch->arg, h->event_id, name, &out->f))
			return tk_err_set(err, TK_EINVAL, -1, "%s has no field '%s'", ev ? ev : "the event",
					  name);
		out->src = SRC_FIELD;
		if (out->f.flags & TK_FIELD_STRING) {
			out->pub.flags |= TK_HISTF_STRING;
			if (!is_key)
				return tk_err_set(err, TK_EINVAL, -1,
						  "'%s' is a string; values must be numbers", name);
		} else if (out->f.flags & (TK_FIELD_ARRAY | TK_FIELD_DYNAMIC)) {
			return tk_err_set(err, TK_EINVAL, -1,
					  "'%s' is an array; hist keys and values are numbers or strings",
					  name);
		} else if (out->f.size != 1 && out->f.size != 2 && out->f.size != 4 && out->f.size != 8) {
			return tk_err_set(err, TK_EINVAL, -1, "'%s' has size %u, not a number", name,
					  out->f.size);
		} else if (out->f.flags & TK_FIELD_SIGNED) {
			out->pub.flags |= TK_HISTF_SIGNED;
		}
	}
	snprintf(out->pub.name, sizeof(out->pub.name), "%s", name);
	snprintf(out->pub.spec, sizeof(out->pub.spec), "%s", name);
	if (!dot)
		return 0;
	if ((out->pub.flags & TK_HISTF_STRING) && strcmp(mod, "hex"))
		return tk_err_set(err, TK_EINVAL, -1, "modifier '%s' does not apply to the string '%s'",
				  mod, name);
	if (!strcmp(mod, "hex")) {
		out->pub.flags |= TK_HISTF_HEX;
	} else if (!strcmp(mod, "sym")) {
		out->pub.flags |= TK_HISTF_SYM;
	} else if (!strcmp(mod, "execname")) {
		if (strcmp(name, "common_pid"))
			return tk_err_set(err, TK_EINVAL, -1, ".execname applies to common_pid only");
		if (!is_key)
			return tk_err_set(err, TK_EINVAL, -1, ".execname applies to keys only");
		out->pub.flags |= TK_HISTF_EXECNAME;
	} else if (!strcmp(mod, "syscall")) {
		out->pub.flags |= TK_HISTF_SYSCALL;
	} else if (!strcmp(mod, "log2")) {
		out->pub.flags = (out->pub.flags | TK_HISTF_LOG2) & ~(uint32_t)TK_HISTF_SIGNED;
	} else if (!strcmp(mod, "usecs")) {
		if (out->src != SRC_TIMESTAMP)
			return tk_err_set(err, TK_EINVAL, -1, ".usecs applies to common_timestamp only");
		out->pub.flags |= TK_HISTF_USECS;
	} else if (!strncmp(mod, "buckets=", 8) || !strncmp(mod, "bucket=", 7)) {
		const char *num = strchr(mod, '=') + 1;
		char *end;
		unsigned long long b = strtoull(num, &end, 0);

		if (!*num || *end || b == 0)
			return tk_err_set(err, TK_EINVAL, -1, "bad bucket size in '%s'", item);
		out->pub.flags = (out->pub.flags | TK_HISTF_BUCKET) & ~(uint32_t)TK_HISTF_SIGNED;
		out->pub.buckets = b;
		snprintf(out->pub.spec, sizeof(out->pub.spec), "%s.buckets=%llu", name, b);
		return 0;
	} else if (!strcmp(mod, "sym-offset") || !strcmp(mod, "percent") || !strcmp(mod, "graph") ||
		   !strcmp(mod, "stacktrace")) {
		return tk_err_set(err, TK_EINVAL, -1, "modifier '%s' is not supported offline", mod);
	} else {
		return tk_err_set(err, TK_EINVAL, -1, "unknown modifier '%s' in '%s'", mod, item);
	}
	snprintf(out->pub.spec, sizeof(out->pub.spec), "%s.%s", name, mod);
	return 0;
}

/* Calls fn for each comma-separated item of list. */
static int each_item(const char *list, int (*fn)(struct tk_hist *, const char *, void *),
		     struct tk_hist *h, void *arg, struct tk_err *err)
{
	char item[128];
	const char *p = list;

	while (*p) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		int rc;

		if (n == 0 || n >= sizeof(item))
			return tk_err_set(err, TK_EINVAL, -1, "bad list '%s'", list);
		memcpy(item, p, n);
		item[n] = 0;
		if ((rc = fn(h, item, arg)) < 0)
			return rc;
		p += n;
		if (*p == ',' && !*++p)
			return tk_err_set(err, TK_EINVAL, -1, "bad list '%s'", list);
	}
	return 0;
}

static int add_key(struct tk_hist *h, const char *item, void *arg)
{
	struct tk_err *err = arg;

	if (h->nkeys == TK_HIST_MAX_KEYS)
		return tk_err_set(err, TK_EINVAL, -1, "too many keys (the kernel takes %d)",
				  TK_HIST_MAX_KEYS);
	if (parse_field(h, item, true, &h->keys[h->nkeys], err) < 0)
		return -TK_EINVAL;
	h->nkeys++;
	return 0;
}

static int add_val(struct tk_hist *h, const char *item, void *arg)
{
	struct tk_err *err = arg;
	struct fld f;

	if (parse_field(h, item, false, &f, err) < 0)
		return -TK_EINVAL;
	if (f.src == SRC_HITCOUNT)
		return 0;	/* always there, first */
	if (h->nvals == TK_HIST_MAX_VALS)
		return tk_err_set(err, TK_EINVAL, -1,
				  "too many values (the kernel takes %d besides hitcount)",
				  TK_HIST_MAX_VALS);
	h->vals[h->nvals++] = f;
	return 0;
}

static int add_sort(struct tk_hist *h, const char *item, void *arg)
{
	struct tk_err *err = arg;
	char name[96];
	const char *dot = strchr(item, '.');
	size_t n = dot ? (size_t)(dot - item) : strlen(item);
	struct sortkey *s;
	int i;

	if (h->nsort == TK_HIST_MAX_SORT)
		return tk_err_set(err, TK_EINVAL, -1, "too many sort keys (the kernel takes %d)",
				  TK_HIST_MAX_SORT);
	if (n >= sizeof(name))
		return tk_err_set(err, TK_EINVAL, -1, "bad sort key '%s'", item);
	memcpy(name, item, n);
	name[n] = 0;
	s = &h->sort[h->nsort];
	s->descending = 0;
	if (dot) {
		if (!strcmp(dot + 1, "descending"))
			s->descending = 1;
		else if (strcmp(dot + 1, "ascending"))
			return tk_err_set(err, TK_EINVAL, -1,
					  "bad sort modifier in '%s' (.ascending or .descending)", item);
	}
	if (!strcmp(name, "cpu"))
		snprintf(name, sizeof(name), "common_cpu");
	if (!strcmp(name, "hitcount")) {
		s->idx = -1;
	} else {
		s->idx = -2;
		for (i = 0; i < h->nvals; i++)
			if (!strcmp(h->vals[i].pub.name, name))
				s->idx = i;
		for (i = 0; i < h->nkeys && s->idx == -2; i++)
			if (!strcmp(h->keys[i].pub.name, name))
				s->idx = 100 + i;
		if (s->idx == -2)
			return tk_err_set(err, TK_EINVAL, -1,
					  "sort key '%s' is neither a key nor a value", name);
	}
	h->nsort++;
	return 0;
}

static void make_trigger(struct tk_hist *h)
{
	size_t n = sizeof(h->trigger), u = 0;
	int i;

#define PUT(...) (u += (size_t)snprintf(h->trigger + u, u < n ? n - u : 0, __VA_ARGS__))
	PUT("hist:keys=");
	for (i = 0; i < h->nkeys; i++)
		PUT("%s%s", i ? "," : "", h->keys[i].pub.spec);
	PUT(":vals=hitcount");
	for (i = 0; i < h->nvals; i++)
		PUT(",%s", h->vals[i].pub.spec);
	PUT(":sort=");
	for (i = 0; i < h->nsort; i++) {
		const struct sortkey *s = &h->sort[i];
		const char *spec = s->idx == -1 ? "hitcount"
				   : s->idx >= 100 ? h->keys[s->idx - 100].pub.spec
						   : h->vals[s->idx].pub.spec;

		PUT("%s%s%s", i ? "," : "", spec, s->descending ? ".descending" : "");
	}
	PUT(":size=%u", h->max_entries);
#undef PUT
	if (u >= n)
		h->trigger[n - 1] = 0;
}

int tk_hist_create(const struct tk_hist_opts *o, const struct tk_schema *sch,
		   struct tk_hist **out, struct tk_err *err)
{
	struct tk_hist *h;
	uint32_t size = o->size ? o->size : TK_HIST_DEFAULT_SIZE, p2 = 1;
	int rc;

	*out = NULL;
	if (size > TK_HIST_MAX_SIZE)
		return tk_err_set(err, TK_EINVAL, -1, "size %u is more than the kernel's %u", size,
				  TK_HIST_MAX_SIZE);
	while (p2 < size)
		p2 <<= 1;
	if (p2 < TK_HIST_MIN_SIZE)
		return tk_err_set(err, TK_EINVAL, -1, "size %u is less than the kernel's %u", size,
				  TK_HIST_MIN_SIZE);
	if (!o->keys || !*o->keys)
		return tk_err_set(err, TK_EINVAL, -1, "no keys");
	h = calloc(1, sizeof(*h));
	if (!h)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	h->sch = sch;
	h->event_id = o->event_id;
	h->max_entries = p2;
	snprintf(h->arch, sizeof(h->arch), "%s", o->arch ? o->arch : "");
	h->nslots = (size_t)p2 * 2;
	h->slots = calloc(h->nslots, sizeof(*h->slots));
	h->strs = tk_strtab_create(0);
	if (!h->slots || !h->strs) {
		tk_hist_destroy(h);
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	}
	rc = each_item(o->keys, add_key, h, err, err);
	if (rc == 0 && o->vals)
		rc = each_item(o->vals, add_val, h, err, err);
	if (rc == 0 && o->sort)
		rc = each_item(o->sort, add_sort, h, err, err);
	if (rc < 0) {
		tk_hist_destroy(h);
		return rc;
	}
	if (h->nsort == 0) {
		h->sort[0].idx = -1;
		h->nsort = 1;
	}
	make_trigger(h);
	*out = h;
	return 0;
}

void tk_hist_destroy(struct tk_hist *h)
{
	if (!h)
		return;
	free(h->ents);
	free(h->slots);
	free(h->sorted);
	tk_strtab_destroy(h->strs);
	free(h);
}

/* ---- per event ---- */

static int read_field(struct tk_hist *h, const struct fld *f, const struct tk_event *ev,
		      const struct tk_payload *pl, uint64_t *v)
{
	switch (f->src) {
	case SRC_TIMESTAMP:
		*v = ev->ts;
		if (f->pub.flags & TK_HISTF_USECS)
			*v /= 1000;
		break;
	case SRC_CPU:
		*v = ev->cpu;
		break;
	case SRC_HITCOUNT:
		*v = 1;
		break;
	case SRC_FIELD:
		if (f->pub.flags & TK_HISTF_STRING) {
			size_t len;
			const char *s = tk_field_str(&f->f, pl, &len);
			uint32_t id;

			if (tk_strtab_intern(h->strs, s, len, &id) < 0)
				return -TK_ENOMEM;
			*v = id;
			return 0;
		}
		*v = tk_field_u64(&f->f, pl);
		break;
	}
	if (f->pub.flags & TK_HISTF_LOG2)
		*v = tk_hist_log2(*v);
	else if (f->pub.flags & TK_HISTF_BUCKET)
		*v = *v / f->pub.buckets * f->pub.buckets;
	return 0;
}

static struct tk_hist_entry *lookup(struct tk_hist *h, const uint64_t *key, const struct tk_event *ev)
{
	size_t mask = h->nslots - 1, i;
	struct tk_hist_entry *e;
	int k;

	for (i = hash_key(key, h->nkeys) & mask;; i = (i + 1) & mask) {
		uint32_t s = h->slots[i];

		if (!s)
			break;
		e = &h->ents[s - 1];
		if (!memcmp(e->key, key, sizeof(e->key)))
			return e;
	}
	if (h->nents == h->max_entries)
		return NULL;
	if (h->nents == h->capents) {
		size_t ncap = h->capents ? h->capents * 2 : 64;
		struct tk_hist_entry *n = realloc(h->ents, ncap * sizeof(*n));

		if (!n)
			return NULL;
		h->ents = n;
		h->capents = ncap;
	}
	e = &h->ents[h->nents];
	memset(e, 0, sizeof(*e));
	memcpy(e->key, key, sizeof(e->key));
	e->comm = TK_NOSTR;
	for (k = 0; k < TK_HIST_MAX_KEYS; k++)
		e->sym[k] = TK_NOSTR;
	for (k = 0; k < h->nkeys; k++) {
		/* the kernel keeps the task's name as it was when the entry was made */
		if (h->keys[k].pub.flags & TK_HISTF_EXECNAME) {
			const char *c = h->sch->ops->comm(h->sch->arg, (uint32_t)key[k]);
			uint32_t id;

			if (!c && key[k] == 0)
				c = "<idle>";
			if (tk_strtab_intern(h->strs, c ? c : "<...>", strlen(c ? c : "<...>"), &id) < 0)
				return NULL;
			e->comm = id;
		}
	}
	(void)ev;
	h->slots[i] = (uint32_t)++h->nents;
	return e;
}

int tk_hist_add(struct tk_hist *h, const struct tk_event *ev, const struct tk_payload *pl)
{
	uint64_t key[TK_HIST_MAX_KEYS] = { 0 }, v;
	struct tk_hist_entry *e;
	int i, rc;

	if (!pl || pl->event_id != h->event_id || ev->kind == TK_EV_STACK)
		return 0;
	for (i = 0; i < h->nkeys; i++)
		if ((rc = read_field(h, &h->keys[i], ev, pl, &key[i])) < 0)
			return rc;
	e = lookup(h, key, ev);
	if (!e) {
		if (h->nents < h->max_entries)
			return -TK_ENOMEM;
		h->dropped++;
		return 0;
	}
	h->hits++;
	e->hitcount++;
	for (i = 0; i < h->nvals; i++) {
		if ((rc = read_field(h, &h->vals[i], ev, pl, &v)) < 0)
			return rc;
		e->val[i] += v;
	}
	return 0;
}

/* ---- results ---- */

static int cmp_key(const struct tk_hist *h, int k, const struct tk_hist_entry *a,
		   const struct tk_hist_entry *b)
{
	uint32_t fl = h->keys[k].pub.flags;

	if (fl & TK_HISTF_STRING)
		return strcmp(tk_strtab_get(h->strs, (uint32_t)a->key[k]),
			      tk_strtab_get(h->strs, (uint32_t)b->key[k]));
	if (fl & TK_HISTF_SIGNED) {
		int64_t x = (int64_t)a->key[k], y = (int64_t)b->key[k];

		return x < y ? -1 : x > y;
	}
	return a->key[k] < b->key[k] ? -1 : a->key[k] > b->key[k];
}

static int cmp_entries(const struct tk_hist *h, const struct tk_hist_entry *a,
		       const struct tk_hist_entry *b)
{
	int i, c;

	for (i = 0; i < h->nsort; i++) {
		const struct sortkey *s = &h->sort[i];

		if (s->idx >= 100) {
			c = cmp_key(h, s->idx - 100, a, b);
		} else {
			uint64_t x = s->idx < 0 ? a->hitcount : a->val[s->idx];
			uint64_t y = s->idx < 0 ? b->hitcount : b->val[s->idx];

			c = x < y ? -1 : x > y;
		}
		if (c)
			return s->descending ? -c : c;
	}
	/*
	 * The kernel leaves ties in hash order; ours are in key order, so the
	 * output is the same on every run.
	 */
	for (i = 0; i < h->nkeys; i++)
		if ((c = cmp_key(h, i, a, b)))
			return c;
	return 0;
}

/* Stable merge sort with the hist as context (C11 has no qsort_r). */
static void msort(const struct tk_hist *h, const struct tk_hist_entry **v,
		  const struct tk_hist_entry **tmp, size_t n)
{
	size_t m = n / 2, i = 0, j = m, k = 0;

	if (n < 2)
		return;
	msort(h, v, tmp, m);
	msort(h, v + m, tmp, n - m);
	while (i < m && j < n)
		tmp[k++] = cmp_entries(h, v[j], v[i]) < 0 ? v[j++] : v[i++];
	while (i < m)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

int tk_hist_finish(struct tk_hist *h)
{
	const struct tk_hist_entry **tmp;
	size_t i;
	int k;

	for (i = 0; i < h->nents; i++) {
		for (k = 0; k < h->nkeys; k++) {
			uint64_t off = 0;
			const char *s;

			if (!(h->keys[k].pub.flags & TK_HISTF_SYM) || !h->sch->ops->ksym)
				continue;
			s = h->sch->ops->ksym(h->sch->arg, h->ents[i].key[k], &off);
			if (s && tk_strtab_intern(h->strs, s, strlen(s), &h->ents[i].sym[k]) < 0)
				return -TK_ENOMEM;
		}
	}
	free(h->sorted);
	h->sorted = malloc((h->nents ? h->nents : 1) * sizeof(*h->sorted));
	tmp = malloc((h->nents ? h->nents : 1) * sizeof(*tmp));
	if (!h->sorted || !tmp) {
		free(tmp);
		return -TK_ENOMEM;
	}
	for (i = 0; i < h->nents; i++)
		h->sorted[i] = &h->ents[i];
	msort(h, h->sorted, tmp, h->nents);
	free(tmp);
	return 0;
}

int tk_hist_get_nkeys(const struct tk_hist *h)
{
	return h->nkeys;
}

const struct tk_hist_field *tk_hist_get_key(const struct tk_hist *h, int i)
{
	return &h->keys[i].pub;
}

int tk_hist_get_nvals(const struct tk_hist *h)
{
	return h->nvals;
}

const struct tk_hist_field *tk_hist_get_val(const struct tk_hist *h, int i)
{
	return &h->vals[i].pub;
}

size_t tk_hist_get_entries(const struct tk_hist *h, const struct tk_hist_entry *const **out)
{
	*out = h->sorted;
	return h->sorted ? h->nents : 0;
}

const char *tk_hist_get_str(const struct tk_hist *h, uint32_t id)
{
	if (id == TK_NOSTR || id >= tk_strtab_count(h->strs))
		return NULL;
	return tk_strtab_get(h->strs, id);
}

uint64_t tk_hist_get_hits(const struct tk_hist *h)
{
	return h->hits;
}

uint64_t tk_hist_get_dropped(const struct tk_hist *h)
{
	return h->dropped;
}

const char *tk_hist_get_trigger(const struct tk_hist *h)
{
	return h->trigger;
}

const char *tk_hist_get_arch(const struct tk_hist *h)
{
	return h->arch;
}
