/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/heap.h"

/* Merge 8 sorted streams with random keys; output must be sorted with ties
 * broken by the lower stream index. */
static void test_merge_is_sorted_and_stable(void **state)
{
	enum { N = 8, LEN = 500 };
	static uint64_t keys[N][LEN];
	size_t pos[N] = { 0 };
	struct tk_heap h;
	uint64_t last_key = 0;
	uint32_t last_idx = 0;
	int i, j, total = 0;

	(void)state;
	srand(42);
	for (i = 0; i < N; i++) {
		uint64_t k = 0;

		for (j = 0; j < LEN; j++) {
			k += (uint64_t)(rand() % 3);	/* many equal keys */
			keys[i][j] = k;
		}
	}
	assert_int_equal(tk_heap_init(&h, N), 0);
	for (i = 0; i < N; i++)
		tk_heap_push(&h, keys[i][0], (uint32_t)i);
	while (h.n) {
		const struct tk_heap_item *t = tk_heap_top(&h);
		uint32_t idx = t->idx;

		if (total) {
			assert_true(t->key > last_key || (t->key == last_key && idx >= last_idx));
		}
		last_key = t->key;
		last_idx = idx;
		total++;
		if (++pos[idx] < LEN)
			tk_heap_replace_top(&h, keys[idx][pos[idx]]);
		else
			tk_heap_pop(&h);
	}
	assert_int_equal(total, N * LEN);
	tk_heap_fini(&h);
}

static void test_ties_go_to_lower_index(void **state)
{
	struct tk_heap h;

	(void)state;
	assert_int_equal(tk_heap_init(&h, 3), 0);
	tk_heap_push(&h, 5, 2);
	tk_heap_push(&h, 5, 0);
	tk_heap_push(&h, 5, 1);
	assert_int_equal(tk_heap_top(&h)->idx, 0);
	tk_heap_pop(&h);
	assert_int_equal(tk_heap_top(&h)->idx, 1);
	tk_heap_pop(&h);
	assert_int_equal(tk_heap_top(&h)->idx, 2);
	tk_heap_fini(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_is_sorted_and_stable),
		cmocka_unit_test(test_ties_go_to_lower_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
