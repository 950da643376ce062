/* SPDX-License-Identifier: MIT */
#ifndef TK_CORE_HEAP_H
#define TK_CORE_HEAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * Binary min-heap of (key, index) pairs for merging sorted streams. Ties on
 * the key go to the smaller index, which is the order trace-cmd and perf
 * give equal timestamps (lowest CPU first), so merged output is stable.
 */
struct tk_heap_item {
	uint64_t key;
	uint32_t idx;
};

struct tk_heap {
	struct tk_heap_item *items;
	size_t n;
	size_t cap;
};

/* Capacity is fixed at creation: one slot per stream. */
int tk_heap_init(struct tk_heap *h, size_t cap);
void tk_heap_fini(struct tk_heap *h);
void tk_heap_push(struct tk_heap *h, uint64_t key, uint32_t idx);
/* Smallest item; h->n must be > 0. */
static inline const struct tk_heap_item *tk_heap_top(const struct tk_heap *h)
{
	return &h->items[0];
}
void tk_heap_pop(struct tk_heap *h);
/* Give the top item a new (larger or equal) key and restore order. */
void tk_heap_replace_top(struct tk_heap *h, uint64_t key);

#endif
