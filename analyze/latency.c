/* SPDX-License-Identifier: MIT */
/*
 * Start/end pairing. Open starts live in a linear-probing table keyed on
 * the match tuple, deleted with backward shift, so memory follows the
 * number of starts in flight, not the trace.
 */
#include "analyze/latency.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strtab.h"

struct mfield {
	struct tk_field f;
	bool str;
};

struct pend {
	uint64_t key[TK_LATENCY_MAX_MATCH];
	uint64_t ts;
	uint64_t group;
	bool used;
};

struct tk_latency {
	const struct tk_schema *sch;
	struct tk_latency_opts o;
	struct mfield sf[TK_LATENCY_MAX_MATCH], ef[TK_LATENCY_MAX_MATCH];
	int nmatch;
	bool pid_from_match;	/* BY_PID/COMM: the first start match field is a pid */
	struct tk_field nr_f;	/* BY_SYSCALL */
	bool nr_in_start;
	struct pend *pend;
	size_t npend, cappend;	/* power of two */
	struct tk_latency_group *groups;
	size_t ngroups, capgroups;
	uint32_t *gslots;	/* group index + 1 */
	size_t ngslots;
	const struct tk_latency_group **sorted;
	struct tk_dist all;
	struct tk_latency_stats st;
	struct tk_strtab *strs;
	char match[512];
};

static uint64_t mix(const uint64_t *k, int n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	int i;

	for (i = 0; i < n; i++) {
		h ^= k[i];
		h *= 0x100000001b3ull;
		h ^= h >> 29;
	}
	return h * 0x9e3779b97f4a7c15ull;
}

static int find_field(struct tk_latency *l, uint32_t id, const char *name, struct mfield *out,
		      struct tk_err *err)
{
	const char *ev = l->sch->ops->event_name(l->sch->arg, id);

	if (!l->sch->ops->find_field(l->sch->arg, id, name, &out->f))
		return tk_err_set(err, TK_EINVAL, -1, "%s has no field '%s'", ev ? ev : "the event",
				  name);
	out->str = (out->f.flags & TK_FIELD_STRING) != 0;
	if (!out->str && (out->f.flags & (TK_FIELD_ARRAY | TK_FIELD_DYNAMIC)))
		return tk_err_set(err, TK_EINVAL, -1, "'%s' is an array, not a match field", name);
	return 0;
}

static bool ends_with_pid(const char *s)
{
	size_t n = strlen(s);

	return n >= 3 && !strcmp(s + n - 3, "pid");
}

static int parse_match(struct tk_latency *l, const char *spec, struct tk_err *err)
{
	const char *p = spec;
	size_t used = 0;

	while (*p) {
		char item[128], *eq;
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		const char *sname, *ename;

		if (n == 0 || n >= sizeof(item))
			return tk_err_set(err, TK_EINVAL, -1, "bad --match '%s'", spec);
		if (l->nmatch == TK_LATENCY_MAX_MATCH)
			return tk_err_set(err, TK_EINVAL, -1, "at most %d match fields",
					  TK_LATENCY_MAX_MATCH);
		memcpy(item, p, n);
		item[n] = 0;
		eq = strchr(item, '=');
		sname = item;
		ename = item;
		if (eq) {
			*eq = 0;
			ename = eq + 1;
			if (!*sname || !*ename)
				return tk_err_set(err, TK_EINVAL, -1, "bad --match '%s'", spec);
		}
		if (find_field(l, l->o.start_id, sname, &l->sf[l->nmatch], err) < 0 ||
		    find_field(l, l->o.end_id, ename, &l->ef[l->nmatch], err) < 0)
			return -TK_EINVAL;
		if (l->sf[l->nmatch].str != l->ef[l->nmatch].str)
			return tk_err_set(err, TK_EINVAL, -1,
					  "'%s' and '%s' are not both strings or both numbers", sname,
					  ename);
		if (l->nmatch == 0)
			l->pid_from_match = ends_with_pid(sname);
		used += (size_t)snprintf(l->match + used, used < sizeof(l->match) ? sizeof(l->match) - used : 0,
					 "%s%s=%s", l->nmatch ? "," : "", sname, ename);
		l->nmatch++;
		p += n;
		if (*p == ',' && !*++p)
			return tk_err_set(err, TK_EINVAL, -1, "bad --match '%s'", spec);
	}
	if (!l->nmatch)
		return tk_err_set(err, TK_EINVAL, -1, "empty --match");
	return 0;
}

int tk_latency_create(const struct tk_latency_opts *o, const struct tk_schema *sch,
		      struct tk_latency **out, struct tk_err *err)
{
	struct tk_latency *l = calloc(1, sizeof(*l));
	int rc;

	*out = NULL;
	if (!l)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	l->sch = sch;
	l->o = *o;
	l->strs = tk_strtab_create(0);
	l->cappend = 1024;
	l->pend = calloc(l->cappend, sizeof(*l->pend));
	l->ngslots = 1024;
	l->gslots = calloc(l->ngslots, sizeof(*l->gslots));
	tk_dist_init(&l->all, 1000);
	if (!l->strs || !l->pend || !l->gslots) {
		tk_latency_destroy(l);
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	}
	rc = parse_match(l, o->match && *o->match ? o->match : "common_pid", err);
	if (rc == 0 && o->by == TK_LATENCY_BY_SYSCALL) {
		struct mfield m;
		struct tk_err e2;

		/* raw_syscalls name it id, syscalls:sys_* __syscall_nr */
		tk_err_clear(&e2);
		if (find_field(l, o->start_id, "id", &m, &e2) == 0 ||
		    (tk_err_clear(&e2), find_field(l, o->start_id, "__syscall_nr", &m, &e2)) == 0) {
			l->nr_in_start = true;
		} else if ((tk_err_clear(&e2), find_field(l, o->end_id, "id", &m, &e2)) == 0 ||
			   (tk_err_clear(&e2), find_field(l, o->end_id, "__syscall_nr", &m, &e2)) == 0) {
			l->nr_in_start = false;
		} else {
			rc = tk_err_set(err, TK_EINVAL, -1,
					"--by syscall needs an 'id' or '__syscall_nr' field in the start or end event");
		}
		l->nr_f = m.f;
	}
	if (rc < 0) {
		tk_latency_destroy(l);
		return rc;
	}
	*out = l;
	return 0;
}

void tk_latency_destroy(struct tk_latency *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->ngroups; i++)
		tk_dist_release(&l->groups[i].d);
	tk_dist_release(&l->all);
	free(l->groups);
	free(l->gslots);
	free(l->sorted);
	free(l->pend);
	tk_strtab_destroy(l->strs);
	free(l);
}

static int read_key(struct tk_latency *l, const struct mfield *m, const struct tk_payload *pl,
		    uint64_t *v)
{
	if (m->str) {
		size_t len;
		const char *s = tk_field_str(&m->f, pl, &len);
		uint32_t id;

		if (tk_strtab_intern(l->strs, s, len, &id) < 0)
			return -TK_ENOMEM;
		*v = id;
		return 0;
	}
	*v = tk_field_u64(&m->f, pl);
	return 0;
}

static struct pend *pend_find(struct tk_latency *l, const uint64_t *key)
{
	size_t mask = l->cappend - 1, i;

	for (i = mix(key, l->nmatch) & mask; l->pend[i].used; i = (i + 1) & mask)
		if (!memcmp(l->pend[i].key, key, sizeof(l->pend[i].key)))
			return &l->pend[i];
	return &l->pend[i];	/* the free slot where it would go */
}

static void pend_delete(struct tk_latency *l, struct pend *p)
{
	size_t mask = l->cappend - 1, i = (size_t)(p - l->pend), j = i;

	/* backward shift: move later members of the run into the hole */
	l->pend[i].used = false;
	for (;;) {
		size_t k;

		j = (j + 1) & mask;
		if (!l->pend[j].used)
			break;
		k = mix(l->pend[j].key, l->nmatch) & mask;
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			l->pend[i] = l->pend[j];
			l->pend[j].used = false;
			i = j;
		}
	}
	l->npend--;
}

static int pend_grow(struct tk_latency *l)
{
	size_t ncap = l->cappend * 2, i;
	struct pend *old = l->pend, *np = calloc(ncap, sizeof(*np));

	if (!np)
		return -TK_ENOMEM;
	l->pend = np;
	for (i = 0; i < l->cappend; i++) {
		size_t j;

		if (!old[i].used)
			continue;
		for (j = mix(old[i].key, l->nmatch) & (ncap - 1); np[j].used; j = (j + 1) & (ncap - 1))
			;
		np[j] = old[i];
	}
	l->cappend = ncap;
	free(old);
	return 0;
}

static struct tk_latency_group *group_get(struct tk_latency *l, uint64_t key)
{
	size_t mask = l->ngslots - 1, i;
	struct tk_latency_group *g;

	for (i = mix(&key, 1) & mask; l->gslots[i]; i = (i + 1) & mask)
		if (l->groups[l->gslots[i] - 1].key == key)
			return &l->groups[l->gslots[i] - 1];
	if ((l->ngroups + 1) * 2 > l->ngslots) {
		size_t ncap = l->ngslots * 2, j;
		uint32_t *ns = calloc(ncap, sizeof(*ns));

		if (!ns)
			return NULL;
		for (j = 0; j < l->ngroups; j++) {
			size_t k;

			for (k = mix(&l->groups[j].key, 1) & (ncap - 1); ns[k]; k = (k + 1) & (ncap - 1))
				;
			ns[k] = (uint32_t)j + 1;
		}
		free(l->gslots);
		l->gslots = ns;
		l->ngslots = ncap;
		mask = ncap - 1;
		for (i = mix(&key, 1) & mask; l->gslots[i]; i = (i + 1) & mask)
			;
	}
	if (l->ngroups == l->capgroups) {
		size_t ncap = l->capgroups ? l->capgroups * 2 : 16;
		struct tk_latency_group *ng = realloc(l->groups, ncap * sizeof(*ng));

		if (!ng)
			return NULL;
		l->groups = ng;
		l->capgroups = ncap;
	}
	g = &l->groups[l->ngroups];
	g->key = key;
	tk_dist_init(&g->d, 1000);
	l->gslots[i] = (uint32_t)++l->ngroups;
	return g;
}

static int group_of_start(struct tk_latency *l, const struct tk_event *ev,
			  const struct tk_payload *pl, const uint64_t *key, uint64_t *group)
{
	uint64_t pid = l->pid_from_match && !l->sf[0].str ? key[0] : ev->tid;
	const char *c;
	uint32_t id;

	switch (l->o.by) {
	case TK_LATENCY_BY_NONE:
		*group = 0;
		return 0;
	case TK_LATENCY_BY_PID:
		*group = pid;
		return 0;
	case TK_LATENCY_BY_SYSCALL:
		*group = l->nr_in_start ? tk_field_u64(&l->nr_f, pl) : 0;
		return 0;
	case TK_LATENCY_BY_COMM:
		c = l->sch->ops->comm(l->sch->arg, (uint32_t)pid);
		if (!c)
			c = pid == 0 ? "<idle>" : "<...>";
		if (tk_strtab_intern(l->strs, c, strlen(c), &id) < 0)
			return -TK_ENOMEM;
		*group = id;
		return 0;
	}
	return 0;
}

int tk_latency_add(struct tk_latency *l, const struct tk_event *ev, const struct tk_payload *pl)
{
	uint64_t key[TK_LATENCY_MAX_MATCH] = { 0 };
	struct pend *p;
	int i, rc;

	if (!pl || ev->kind == TK_EV_STACK)
		return 0;
	/* An event that is both end and start closes the old pair first. */
	if (pl->event_id == l->o.end_id) {
		for (i = 0; i < l->nmatch; i++)
			if ((rc = read_key(l, &l->ef[i], pl, &key[i])) < 0)
				return rc;
		p = pend_find(l, key);
		if (!p->used) {
			l->st.unmatched_ends++;
		} else {
			uint64_t group = p->group, d;

			if (!l->nr_in_start && l->o.by == TK_LATENCY_BY_SYSCALL)
				group = tk_field_u64(&l->nr_f, pl);
			if (ev->ts < p->ts) {
				l->st.negative++;
			} else {
				struct tk_latency_group *g = group_get(l, group);

				d = ev->ts - p->ts;
				if (!g || tk_dist_add(&g->d, d) < 0 || tk_dist_add(&l->all, d) < 0)
					return -TK_ENOMEM;
				l->st.pairs++;
			}
			pend_delete(l, p);
		}
	}
	if (pl->event_id == l->o.start_id) {
		uint64_t group;

		for (i = 0; i < l->nmatch; i++)
			if ((rc = read_key(l, &l->sf[i], pl, &key[i])) < 0)
				return rc;
		if ((rc = group_of_start(l, ev, pl, key, &group)) < 0)
			return rc;
		p = pend_find(l, key);
		if (p->used) {
			l->st.replaced++;
		} else {
			if ((l->npend + 1) * 2 > l->cappend) {
				if (pend_grow(l) < 0)
					return -TK_ENOMEM;
				p = pend_find(l, key);
			}
			memcpy(p->key, key, sizeof(p->key));
			p->used = true;
			l->npend++;
		}
		p->ts = ev->ts;
		p->group = group;
	}
	return 0;
}

static int cmp_groups(const struct tk_latency *l, const struct tk_latency_group *a,
		      const struct tk_latency_group *b)
{
	if (a->d.n != b->d.n)
		return a->d.n < b->d.n ? -1 : 1;
	if (l->o.by == TK_LATENCY_BY_COMM)
		return strcmp(tk_strtab_get(l->strs, (uint32_t)a->key),
			      tk_strtab_get(l->strs, (uint32_t)b->key));
	return a->key < b->key ? -1 : a->key > b->key;
}

int tk_latency_finish(struct tk_latency *l)
{
	size_t i, j;

	l->st.open = l->npend;
	l->st.unmatched_starts = l->st.replaced + l->st.open;
	tk_dist_finish(&l->all);
	for (i = 0; i < l->ngroups; i++)
		tk_dist_finish(&l->groups[i].d);
	free(l->sorted);
	l->sorted = malloc((l->ngroups ? l->ngroups : 1) * sizeof(*l->sorted));
	if (!l->sorted)
		return -TK_ENOMEM;
	/* insertion sort: groups are few (tasks or syscalls) */
	for (i = 0; i < l->ngroups; i++) {
		const struct tk_latency_group *g = &l->groups[i];

		for (j = i; j > 0 && cmp_groups(l, l->sorted[j - 1], g) > 0; j--)
			l->sorted[j] = l->sorted[j - 1];
		l->sorted[j] = g;
	}
	return 0;
}

size_t tk_latency_get_groups(const struct tk_latency *l, const struct tk_latency_group *const **out)
{
	*out = l->sorted;
	return l->sorted ? l->ngroups : 0;
}

const struct tk_dist *tk_latency_get_all(const struct tk_latency *l)
{
	return &l->all;
}

const struct tk_latency_stats *tk_latency_get_stats(const struct tk_latency *l)
{
	return &l->st;
}

enum tk_latency_by tk_latency_get_by(const struct tk_latency *l)
{
	return l->o.by;
}

const char *tk_latency_get_str(const struct tk_latency *l, uint32_t id)
{
	if (id >= tk_strtab_count(l->strs))
		return NULL;
	return tk_strtab_get(l->strs, id);
}

const char *tk_latency_get_match(const struct tk_latency *l)
{
	return l->match;
}
