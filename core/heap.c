/* SPDX-License-Identifier: MIT */
#include "core/heap.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>

#include "core/err.h"

static bool less(const struct tk_heap_item *a, const struct tk_heap_item *b)
{
	return a->key < b->key || (a->key == b->key && a->idx < b->idx);
}

static void swap_items(struct tk_heap_item *a, struct tk_heap_item *b)
{
	struct tk_heap_item t = *a;

	*a = *b;
	*b = t;
}

int tk_heap_init(struct tk_heap *h, size_t cap)
{
	h->n = 0;
	h->cap = cap;
	h->items = calloc(cap ? cap : 1, sizeof(*h->items));
	return h->items ? 0 : -TK_ENOMEM;
}

void tk_heap_fini(struct tk_heap *h)
{
	free(h->items);
	h->items = NULL;
	h->n = h->cap = 0;
}

static void sift_down(struct tk_heap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < h->n && less(&h->items[l], &h->items[m]))
			m = l;
		if (r < h->n && less(&h->items[r], &h->items[m]))
			m = r;
		if (m == i)
			return;
		swap_items(&h->items[i], &h->items[m]);
		i = m;
	}
}

void tk_heap_push(struct tk_heap *h, uint64_t key, uint32_t idx)
{
	size_t i;

	assert(h->n < h->cap);
	i = h->n++;
	h->items[i].key = key;
	h->items[i].idx = idx;
	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!less(&h->items[i], &h->items[p]))
			break;
		swap_items(&h->items[i], &h->items[p]);
		i = p;
	}
}

void tk_heap_pop(struct tk_heap *h)
{
	assert(h->n > 0);
	h->items[0] = h->items[--h->n];
	sift_down(h, 0);
}

void tk_heap_replace_top(struct tk_heap *h, uint64_t key)
{
	assert(h->n > 0);
	h->items[0].key = key;
	sift_down(h, 0);
}
