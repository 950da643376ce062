/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/err.h"
#include "core/strtab.h"

static void test_ids_in_order_and_deduplicated(void **state)
{
	struct tk_strtab *t = tk_strtab_create(0);
	uint32_t a, b, c, d;

	(void)state;
	assert_non_null(t);
	assert_int_equal(tk_strtab_intern(t, "main", 4, &a), 0);
	assert_int_equal(tk_strtab_intern(t, "mainly", 4, &b), 0);	/* same 4 bytes */
	assert_int_equal(tk_strtab_intern(t, "", 0, &c), 0);
	assert_int_equal(tk_strtab_intern(t, "x;y", 3, &d), 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 0);
	assert_int_equal(c, 1);
	assert_int_equal(d, 2);
	assert_int_equal(tk_strtab_count(t), 3);
	assert_string_equal(tk_strtab_get(t, 0), "main");
	assert_string_equal(tk_strtab_get(t, 1), "");
	assert_int_equal(tk_strtab_get_len(t, 2), 3);
	assert_int_equal(tk_strtab_find(t, "x;y", 3, &d), 1);
	assert_int_equal(d, 2);
	assert_int_equal(tk_strtab_find(t, "nope", 4, &d), 0);
	tk_strtab_destroy(t);
}

/* Pointers stay valid while the table grows; a long string gets its own block. */
static void test_stable_pointers(void **state)
{
	enum { N = 20000 };
	static const char *ptr[N];
	static char big[200000];
	struct tk_strtab *t = tk_strtab_create(0);
	char name[32];
	uint32_t id;
	int i;

	(void)state;
	memset(big, 'b', sizeof(big) - 1);
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "sym_%d", i);
		assert_int_equal(tk_strtab_intern(t, name, strlen(name), &id), 0);
		assert_int_equal(id, (uint32_t)i);
		ptr[i] = tk_strtab_get(t, id);
	}
	assert_int_equal(tk_strtab_intern(t, big, sizeof(big) - 1, &id), 0);
	assert_int_equal(tk_strtab_get_len(t, id), sizeof(big) - 1);
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "sym_%d", i);
		assert_int_equal(tk_strtab_intern(t, name, strlen(name), &id), 0);
		assert_ptr_equal(tk_strtab_get(t, id), ptr[i]);
		assert_string_equal(ptr[i], name);
	}
	assert_int_equal(tk_strtab_count(t), N + 1);
	tk_strtab_destroy(t);
}

static void test_limit(void **state)
{
	struct tk_strtab *t = tk_strtab_create(100 * 1024);
	char name[32];
	uint32_t id;
	int i, ret = 0;

	(void)state;
	for (i = 0; i < 100000 && ret == 0; i++) {
		snprintf(name, sizeof(name), "frame_%d", i);
		ret = tk_strtab_intern(t, name, strlen(name), &id);
	}
	assert_int_equal(ret, -TK_ELIMIT);
	assert_true(tk_strtab_bytes(t) <= 100 * 1024);
	/* what is in stays usable */
	assert_string_equal(tk_strtab_get(t, 0), "frame_0");
	assert_int_equal(tk_strtab_intern(t, "frame_0", 7, &id), 0);
	assert_int_equal(id, 0);
	tk_strtab_destroy(t);
	tk_strtab_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_in_order_and_deduplicated),
		cmocka_unit_test(test_stable_pointers),
		cmocka_unit_test(test_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
