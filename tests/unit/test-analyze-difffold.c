/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/difffold.h"

/* Every line as "STACK A B\n", in the order given. */
static const char *text(const struct tk_difffold *d, char *buf, size_t cap)
{
	size_t i, len = 0;

	buf[0] = 0;
	for (i = 0; i < tk_difffold_count(d); i++) {
		const char *s;
		size_t n;
		uint64_t a, b;

		tk_difffold_get(d, i, &s, &n, &a, &b);
		len += (size_t)snprintf(buf + len, cap - len, "%.*s %llu %llu\n", (int)n, s,
					(unsigned long long)a, (unsigned long long)b);
	}
	return buf;
}

static void add(struct tk_difffold *d, enum tk_difffold_side side, const char *s, uint64_t n)
{
	struct tk_err err;

	tk_err_clear(&err);
	assert_int_equal(tk_difffold_add(d, side, s, strlen(s), n, &err), 0);
}

/* Both sides merge by text; missing counts are 0; summed repeats. */
static void test_merge(void **state)
{
	struct tk_difffold *d = tk_difffold_create(NULL, NULL);
	char buf[512];

	(void)state;
	add(d, TK_DIFFFOLD_A, "m;a", 3);
	add(d, TK_DIFFFOLD_A, "m;b", 1);
	add(d, TK_DIFFFOLD_A, "m;a", 2);
	add(d, TK_DIFFFOLD_B, "m;b", 4);
	add(d, TK_DIFFFOLD_B, "m;c", 7);
	assert_int_equal(tk_difffold_finish(d, false, NULL), 0);
	assert_string_equal(text(d, buf, sizeof(buf)), "m;a 5 0\nm;b 1 4\nm;c 0 7\n");
	assert_int_equal(tk_difffold_get_total(d, TK_DIFFFOLD_A), 6);
	assert_int_equal(tk_difffold_get_total(d, TK_DIFFFOLD_B), 11);
	tk_difffold_destroy(d);
}

/*
 * Lines sort as whole text, as Perl's sort does: "m 9 0" before "m!" before
 * "m;x", and "m 10 1" before "m 9 1" (the counts are compared as text).
 */
static void test_line_order(void **state)
{
	struct tk_difffold *d = tk_difffold_create(NULL, NULL);
	char buf[512];

	(void)state;
	add(d, TK_DIFFFOLD_B, "m;x", 1);
	add(d, TK_DIFFFOLD_B, "m!", 1);
	add(d, TK_DIFFFOLD_A, "m", 9);
	add(d, TK_DIFFFOLD_A, "m 1", 10);
	add(d, TK_DIFFFOLD_B, "", 2);
	assert_int_equal(tk_difffold_finish(d, false, NULL), 0);
	assert_string_equal(text(d, buf, sizeof(buf)), " 0 2\nm 1 10 0\nm 9 0\nm! 0 1\nm;x 0 1\n");
	tk_difffold_destroy(d);
}

/* -n: int(A * totalB / totalA), truncated; equal totals leave A alone. */
static void test_normalize(void **state)
{
	struct tk_difffold *d = tk_difffold_create(NULL, NULL);
	char buf[512];

	(void)state;
	add(d, TK_DIFFFOLD_A, "a", 2);
	add(d, TK_DIFFFOLD_A, "b", 1);
	add(d, TK_DIFFFOLD_B, "a", 10);
	assert_int_equal(tk_difffold_finish(d, true, NULL), 0);
	/* 2 * 10 / 3 = 6.67 -> 6; 1 * 10 / 3 -> 3 */
	assert_string_equal(text(d, buf, sizeof(buf)), "a 6 10\nb 3 0\n");
	tk_difffold_destroy(d);

	d = tk_difffold_create(NULL, NULL);
	add(d, TK_DIFFFOLD_A, "a", 5);
	add(d, TK_DIFFFOLD_B, "b", 5);
	assert_int_equal(tk_difffold_finish(d, true, NULL), 0);
	assert_string_equal(text(d, buf, sizeof(buf)), "a 5 0\nb 0 5\n");
	tk_difffold_destroy(d);
}

/* A without counts cannot be normalised (difffolded.pl divides by zero). */
static void test_normalize_empty_a(void **state)
{
	struct tk_difffold *d = tk_difffold_create(NULL, NULL);
	struct tk_err err;

	(void)state;
	tk_err_clear(&err);
	add(d, TK_DIFFFOLD_B, "a", 5);
	assert_int_equal(tk_difffold_finish(d, true, &err), -TK_EINVAL);
	assert_int_equal(err.code, TK_EINVAL);
	tk_difffold_destroy(d);
}

/* -s: every 0x<hex> run becomes 0x..., so addresses of two runs meet. */
static void test_strip_hex(void **state)
{
	struct tk_difffold_opts o = { .strip_hex = true };
	struct tk_difffold *d = tk_difffold_create(&o, NULL);
	char buf[512];

	(void)state;
	add(d, TK_DIFFFOLD_A, "f 0x7f00ab;g 0xDEADbeef", 1);
	add(d, TK_DIFFFOLD_B, "f 0x1;g 0x2", 2);
	add(d, TK_DIFFFOLD_B, "0x;0xg;x0x1", 3);
	assert_int_equal(tk_difffold_finish(d, false, NULL), 0);
	assert_string_equal(text(d, buf, sizeof(buf)), "0x;0xg;x0x... 0 3\nf 0x...;g 0x... 1 2\n");
	tk_difffold_destroy(d);
}

/* The memory cap is honoured with TK_ELIMIT. */
static void test_cap(void **state)
{
	struct tk_difffold_opts o = { .max_bytes = 200000 };
	struct tk_difffold *d = tk_difffold_create(&o, NULL);
	struct tk_err err;
	char s[64];
	int i, ret = 0;

	(void)state;
	tk_err_clear(&err);
	for (i = 0; i < 100000 && ret == 0; i++) {
		snprintf(s, sizeof(s), "stack;number;%d", i);
		ret = tk_difffold_add(d, TK_DIFFFOLD_A, s, strlen(s), 1, &err);
	}
	assert_int_equal(ret, -TK_ELIMIT);
	tk_difffold_destroy(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_line_order),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_normalize_empty_a),
		cmocka_unit_test(test_strip_hex),
		cmocka_unit_test(test_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
