/* SPDX-License-Identifier: MIT */
#include "core/strtab.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

/* Strings are packed into blocks this big; a longer string gets its own. */
#define BLOCK_SIZE (64u * 1024u)
#define MAX_IDS (UINT32_MAX - 1u)

struct block {
	struct block *next;
	size_t used, size;
	char data[];
};

struct entry {
	const char *s;
	uint32_t len;
	uint32_t hash;
};

struct tk_strtab {
	struct block *blocks;		/* newest first; only it has room */
	struct entry *entries;		/* by id */
	uint32_t n, cap;
	uint32_t *slots;		/* id + 1, 0 = empty; power of two */
	uint32_t nslots;
	size_t bytes, max_bytes;
};

/* FNV-1a: short keys (symbol names), no seed needed for our inputs. */
static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

struct tk_strtab *tk_strtab_create(size_t max_bytes)
{
	struct tk_strtab *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->max_bytes = max_bytes ? max_bytes : (size_t)1 << 30;
	return t;
}

void tk_strtab_destroy(struct tk_strtab *t)
{
	struct block *b, *next;

	if (!t)
		return;
	for (b = t->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	free(t->entries);
	free(t->slots);
	free(t);
}

/* Counts `n` more bytes against the cap; 0 or -TK_ELIMIT. */
static int charge(struct tk_strtab *t, size_t n)
{
	if (n > t->max_bytes || t->bytes > t->max_bytes - n)
		return -TK_ELIMIT;
	t->bytes += n;
	return 0;
}

static int rehash(struct tk_strtab *t)
{
	uint32_t nslots = t->nslots ? t->nslots * 2 : 64, i, mask = nslots - 1;
	uint32_t *slots;

	if (nslots < t->nslots || charge(t, (size_t)nslots * sizeof(*slots)) < 0)
		return -TK_ELIMIT;
	slots = calloc(nslots, sizeof(*slots));
	if (!slots)
		return -TK_ENOMEM;
	for (i = 0; i < t->n; i++) {
		uint32_t k = t->entries[i].hash & mask;

		while (slots[k])
			k = (k + 1) & mask;
		slots[k] = i + 1;
	}
	t->bytes -= (size_t)t->nslots * sizeof(*slots);
	free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
	return 0;
}

static int store(struct tk_strtab *t, const char *s, size_t len, const char **out)
{
	struct block *b = t->blocks;
	char *p;

	if (!b || b->size - b->used < len + 1) {
		size_t size = len + 1 > BLOCK_SIZE ? len + 1 : BLOCK_SIZE;

		if (charge(t, sizeof(*b) + size) < 0)
			return -TK_ELIMIT;
		b = malloc(sizeof(*b) + size);
		if (!b) {
			t->bytes -= sizeof(*b) + size;
			return -TK_ENOMEM;
		}
		b->size = size;
		b->used = 0;
		/* A big string's own block goes second, so the current
		 * block's free space is not given up. */
		if (t->blocks && size > BLOCK_SIZE) {
			b->next = t->blocks->next;
			t->blocks->next = b;
		} else {
			b->next = t->blocks;
			t->blocks = b;
		}
	}
	p = b->data + b->used;
	memcpy(p, s, len);
	p[len] = '\0';
	b->used += len + 1;
	*out = p;
	return 0;
}

static uint32_t *lookup(const struct tk_strtab *t, const char *s, size_t len, uint32_t h)
{
	uint32_t mask = t->nslots - 1, k = h & mask;

	while (t->slots[k]) {
		const struct entry *e = &t->entries[t->slots[k] - 1];

		if (e->hash == h && e->len == len && !memcmp(e->s, s, len))
			return &t->slots[k];
		k = (k + 1) & mask;
	}
	return &t->slots[k];
}

int tk_strtab_find(const struct tk_strtab *t, const char *s, size_t len, uint32_t *id)
{
	uint32_t *slot;

	if (!t->nslots || len > UINT32_MAX)
		return 0;
	slot = lookup(t, s, len, hash_bytes(s, len));
	if (!*slot)
		return 0;
	*id = *slot - 1;
	return 1;
}

int tk_strtab_intern(struct tk_strtab *t, const char *s, size_t len, uint32_t *id)
{
	uint32_t h = hash_bytes(s, len), *slot;
	struct entry *e;
	int ret;

	if (len > UINT32_MAX - 1)
		return -TK_ELIMIT;
	if (t->nslots) {
		slot = lookup(t, s, len, h);
		if (*slot) {
			*id = *slot - 1;
			return 0;
		}
	}
	if (t->n >= MAX_IDS)
		return -TK_ELIMIT;
	/* Keep the load factor at or below 1/2. */
	if ((uint64_t)(t->n + 1) * 2 > t->nslots) {
		ret = rehash(t);
		if (ret < 0)
			return ret;
	}
	if (t->n == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 64;

		if (cap < t->cap || cap > MAX_IDS)
			cap = MAX_IDS;
		if (charge(t, (size_t)(cap - t->cap) * sizeof(*e)) < 0)
			return -TK_ELIMIT;
		e = realloc(t->entries, (size_t)cap * sizeof(*e));
		if (!e) {
			t->bytes -= (size_t)(cap - t->cap) * sizeof(*e);
			return -TK_ENOMEM;
		}
		t->entries = e;
		t->cap = cap;
	}
	e = &t->entries[t->n];
	ret = store(t, s, len, &e->s);
	if (ret < 0)
		return ret;
	e->len = (uint32_t)len;
	e->hash = h;
	slot = lookup(t, s, len, h);
	*slot = t->n + 1;
	*id = t->n++;
	return 0;
}

const char *tk_strtab_get(const struct tk_strtab *t, uint32_t id)
{
	assert(id < t->n);
	return t->entries[id].s;
}

size_t tk_strtab_get_len(const struct tk_strtab *t, uint32_t id)
{
	assert(id < t->n);
	return t->entries[id].len;
}

uint32_t tk_strtab_count(const struct tk_strtab *t)
{
	return t->n;
}

size_t tk_strtab_bytes(const struct tk_strtab *t)
{
	return t->bytes;
}
