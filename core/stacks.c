/* SPDX-License-Identifier: MIT */
#include "core/stacks.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strtab.h"

#define NONE UINT32_MAX
#define MAX_NODES (UINT32_MAX - 1u)

struct node {
	uint32_t parent, frame;
	uint32_t first_child, next_sibling;
	uint64_t self, total;
};

struct tk_stacks {
	struct node *nodes;
	uint32_t n, cap;
	uint32_t *slots;		/* node id, 0 = empty (the root is never a child) */
	uint32_t nslots;
	size_t bytes, max_bytes;
};

static uint32_t hash_pair(uint32_t parent, uint32_t frame)
{
	uint64_t k = ((uint64_t)parent << 32 | frame) * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(k >> 32);
}

struct tk_stacks *tk_stacks_create(size_t max_bytes)
{
	struct tk_stacks *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->max_bytes = max_bytes ? max_bytes : (size_t)1 << 30;
	s->cap = 64;
	s->nodes = calloc(s->cap, sizeof(*s->nodes));
	if (!s->nodes) {
		free(s);
		return NULL;
	}
	s->bytes = s->cap * sizeof(*s->nodes);
	s->nodes[0] = (struct node){ NONE, NONE, NONE, NONE, 0, 0 };
	s->n = 1;
	return s;
}

void tk_stacks_destroy(struct tk_stacks *s)
{
	if (!s)
		return;
	free(s->nodes);
	free(s->slots);
	free(s);
}

static int charge(struct tk_stacks *s, size_t n)
{
	if (n > s->max_bytes || s->bytes > s->max_bytes - n)
		return -TK_ELIMIT;
	s->bytes += n;
	return 0;
}

static int rehash(struct tk_stacks *s)
{
	uint32_t nslots = s->nslots ? s->nslots * 2 : 256, i, mask = nslots - 1;
	uint32_t *slots;

	if (nslots < s->nslots || charge(s, (size_t)nslots * sizeof(*slots)) < 0)
		return -TK_ELIMIT;
	slots = calloc(nslots, sizeof(*slots));
	if (!slots) {
		s->bytes -= (size_t)nslots * sizeof(*slots);
		return -TK_ENOMEM;
	}
	for (i = 1; i < s->n; i++) {
		uint32_t k = hash_pair(s->nodes[i].parent, s->nodes[i].frame) & mask;

		while (slots[k])
			k = (k + 1) & mask;
		slots[k] = i;
	}
	s->bytes -= (size_t)s->nslots * sizeof(*slots);
	free(s->slots);
	s->slots = slots;
	s->nslots = nslots;
	return 0;
}

static uint32_t *lookup(const struct tk_stacks *s, uint32_t parent, uint32_t frame)
{
	uint32_t mask = s->nslots - 1, k = hash_pair(parent, frame) & mask;

	while (s->slots[k]) {
		const struct node *nd = &s->nodes[s->slots[k]];

		if (nd->parent == parent && nd->frame == frame)
			break;
		k = (k + 1) & mask;
	}
	return &s->slots[k];
}

int tk_stacks_child(struct tk_stacks *s, uint32_t parent, uint32_t frame, uint32_t *id)
{
	struct node *nd;
	uint32_t *slot;
	int ret;

	assert(parent < s->n);
	if (s->nslots) {
		slot = lookup(s, parent, frame);
		if (*slot) {
			*id = *slot;
			return 0;
		}
	}
	if (s->n >= MAX_NODES)
		return -TK_ELIMIT;
	if ((uint64_t)s->n * 2 > s->nslots) {
		ret = rehash(s);
		if (ret < 0)
			return ret;
	}
	if (s->n == s->cap) {
		uint32_t cap = s->cap > MAX_NODES / 2 ? MAX_NODES : s->cap * 2;

		if (charge(s, (size_t)(cap - s->cap) * sizeof(*nd)) < 0)
			return -TK_ELIMIT;
		nd = realloc(s->nodes, (size_t)cap * sizeof(*nd));
		if (!nd) {
			s->bytes -= (size_t)(cap - s->cap) * sizeof(*nd);
			return -TK_ENOMEM;
		}
		s->nodes = nd;
		s->cap = cap;
	}
	nd = &s->nodes[s->n];
	*nd = (struct node){ parent, frame, NONE, s->nodes[parent].first_child, 0, 0 };
	s->nodes[parent].first_child = s->n;
	*lookup(s, parent, frame) = s->n;
	*id = s->n++;
	return 0;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

void tk_stacks_add_weight(struct tk_stacks *s, uint32_t node, uint64_t weight)
{
	uint32_t i;

	assert(node < s->n);
	s->nodes[node].self = sat_add(s->nodes[node].self, weight);
	for (i = node; i != NONE; i = s->nodes[i].parent)
		s->nodes[i].total = sat_add(s->nodes[i].total, weight);
}

int tk_stacks_add(struct tk_stacks *s, const uint32_t *frames, size_t n, uint64_t weight,
		  uint32_t *leaf)
{
	uint32_t id = TK_STACKS_ROOT;
	size_t i;
	int ret;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		ret = tk_stacks_child(s, id, frames[i], &id);
		if (ret < 0)
			return ret;
	}
	tk_stacks_add_weight(s, id, weight);
	if (leaf)
		*leaf = id;
	return 0;
}

uint32_t tk_stacks_count(const struct tk_stacks *s)
{
	return s->n;
}

uint32_t tk_stacks_get_parent(const struct tk_stacks *s, uint32_t id)
{
	assert(id < s->n);
	return s->nodes[id].parent;
}

uint32_t tk_stacks_get_frame(const struct tk_stacks *s, uint32_t id)
{
	assert(id < s->n);
	return s->nodes[id].frame;
}

uint64_t tk_stacks_get_self(const struct tk_stacks *s, uint32_t id)
{
	assert(id < s->n);
	return s->nodes[id].self;
}

uint64_t tk_stacks_get_total(const struct tk_stacks *s, uint32_t id)
{
	assert(id < s->n);
	return s->nodes[id].total;
}

size_t tk_stacks_bytes(const struct tk_stacks *s)
{
	return s->bytes;
}

/*
 * Sorting siblings. A child C stands for two things in the sorted text: its
 * own line "...;C" and the block of lines below it, all "...;C;...". Their
 * sort keys are "C" and "C;" where the end of a key sorts before any byte.
 * Sorting these items (not the children) keeps the output in byte order even
 * when one name is a prefix of another: "a" < "a+b" < "a;x" (since '+' < ';').
 */
struct item {
	const char *name;
	uint32_t len;
	uint32_t node;
	bool block;
};

static int key_at(const struct item *it, uint32_t i)
{
	if (i < it->len)
		return (unsigned char)it->name[i];
	return i == it->len && it->block ? ';' : -1;
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	uint32_t i, n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);

	if (c)
		return c;
	for (i = n;; i++) {
		int x = key_at(a, i), y = key_at(b, i);

		if (x != y)
			return x < y ? -1 : 1;
		if (x < 0)
			return 0;
	}
}

struct level {
	struct item *items;
	size_t n, pos;
};

static int collect(const struct tk_stacks *s, const struct tk_strtab *names, uint32_t parent,
		   struct level *lv)
{
	uint32_t c;
	size_t n = 0;

	for (c = s->nodes[parent].first_child; c != NONE; c = s->nodes[c].next_sibling)
		n += 2;
	lv->items = malloc((n ? n : 1) * sizeof(*lv->items));
	if (!lv->items)
		return -TK_ENOMEM;
	lv->n = 0;
	lv->pos = 0;
	for (c = s->nodes[parent].first_child; c != NONE; c = s->nodes[c].next_sibling) {
		struct item it = { tk_strtab_get(names, s->nodes[c].frame),
				   (uint32_t)tk_strtab_get_len(names, s->nodes[c].frame), c, false };

		if (s->nodes[c].self)
			lv->items[lv->n++] = it;
		if (s->nodes[c].first_child != NONE) {
			it.block = true;
			lv->items[lv->n++] = it;
		}
	}
	qsort(lv->items, lv->n, sizeof(*lv->items), item_cmp);
	return 0;
}

static int grow(struct level **levels, uint32_t **path, size_t *cap, size_t need)
{
	size_t ncap = *cap ? *cap : 64;
	struct level *nl;
	uint32_t *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	nl = realloc(*levels, ncap * sizeof(*nl));
	if (!nl)
		return -TK_ENOMEM;
	*levels = nl;
	np = realloc(*path, ncap * sizeof(*np));
	if (!np)
		return -TK_ENOMEM;
	*path = np;
	*cap = ncap;
	return 0;
}

int tk_stacks_walk_sorted(const struct tk_stacks *s, const struct tk_strtab *names,
			  tk_stacks_walk_fn fn, void *arg)
{
	struct level *levels = NULL;
	uint32_t *path = NULL;
	size_t nlevels = 0, cap = 0, i;
	int ret;

	/* levels[d] holds the sorted items below path[0..d), d < nlevels. An
	 * explicit stack: depth is bounded by memory, not by the C stack. */
	ret = grow(&levels, &path, &cap, 1);
	if (ret < 0)
		goto out;
	ret = collect(s, names, TK_STACKS_ROOT, &levels[0]);
	if (ret < 0)
		goto out;
	nlevels = 1;
	while (nlevels) {
		struct level *lv = &levels[nlevels - 1];
		const struct item *it;

		if (lv->pos == lv->n) {
			free(lv->items);
			nlevels--;
			continue;
		}
		it = &lv->items[lv->pos++];
		path[nlevels - 1] = s->nodes[it->node].frame;
		if (!it->block) {
			ret = fn(arg, path, nlevels, s->nodes[it->node].self);
			if (ret)
				goto out;
			continue;
		}
		ret = grow(&levels, &path, &cap, nlevels + 1);
		if (ret < 0)
			goto out;
		ret = collect(s, names, it->node, &levels[nlevels]);
		if (ret < 0)
			goto out;
		nlevels++;
	}
out:
	for (i = 0; i < nlevels; i++)
		free(levels[i].items);
	free(path);
	free(levels);
	return ret;
}
