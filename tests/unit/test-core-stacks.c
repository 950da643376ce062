/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/err.h"
#include "core/stacks.h"
#include "core/strtab.h"

struct collect {
	const struct tk_strtab *names;
	char text[64][128];
	int n;
};

static int collect_line(void *arg, const uint32_t *frames, size_t depth, uint64_t weight)
{
	struct collect *c = arg;
	size_t i, len = 0;

	assert_true(c->n < 64);
	for (i = 0; i < depth; i++)
		len += (size_t)snprintf(c->text[c->n] + len, sizeof(c->text[0]) - len, "%s%s",
					i ? ";" : "", tk_strtab_get(c->names, frames[i]));
	snprintf(c->text[c->n] + len, sizeof(c->text[0]) - len, " %llu",
		 (unsigned long long)weight);
	c->n++;
	return 0;
}

/* Add "a;b;c" (split on ';') with weight w. */
static void add(struct tk_stacks *s, struct tk_strtab *t, const char *stack, uint64_t w)
{
	uint32_t ids[16];
	size_t n = 0;
	const char *p = stack;

	for (;;) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);

		assert_int_equal(tk_strtab_intern(t, p, len, &ids[n++]), 0);
		if (!semi)
			break;
		p = semi + 1;
	}
	assert_int_equal(tk_stacks_add(s, ids, n, w, NULL), 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The walk gives byte order of the joined text, also when a name is a
 * prefix of another and the next byte sorts below ';'. */
static void test_sorted_like_text(void **state)
{
	static const char *stacks[] = {
		"a;x", "a", "a+b", "a+b;c", "ab", "a;x;y", "b", "a;", "a;x", "a+", "a+;z", "",
	};
	const char *want[sizeof(stacks) / sizeof(stacks[0])];
	struct tk_strtab *t = tk_strtab_create(0);
	struct tk_stacks *s = tk_stacks_create(0);
	struct collect c = { .names = t };
	size_t i, nwant = 0;

	(void)state;
	for (i = 0; i < sizeof(stacks) / sizeof(stacks[0]); i++)
		add(s, t, stacks[i], i + 1);
	assert_int_equal(tk_stacks_walk_sorted(s, t, collect_line, &c), 0);
	/* distinct stacks, sorted as strings ("a;x" twice: weights 1 + 9) */
	for (i = 0; i < sizeof(stacks) / sizeof(stacks[0]); i++)
		if (i != 8)
			want[nwant++] = stacks[i];
	qsort(want, nwant, sizeof(want[0]), cmp_str);
	assert_int_equal(c.n, (int)nwant);
	for (i = 0; i < nwant; i++) {
		size_t len = strlen(want[i]);

		assert_memory_equal(c.text[i], want[i], len);
		assert_int_equal(c.text[i][len], ' ');
	}
	for (i = 0; i < nwant; i++)
		if (!strncmp(c.text[i], "a;x ", 4))
			assert_string_equal(c.text[i], "a;x 10");
	tk_stacks_destroy(s);
	tk_strtab_destroy(t);
}

static void test_weights(void **state)
{
	struct tk_strtab *t = tk_strtab_create(0);
	struct tk_stacks *s = tk_stacks_create(0);
	uint32_t ids[3], leaf, mid;

	(void)state;
	assert_int_equal(tk_strtab_intern(t, "comm", 4, &ids[0]), 0);
	assert_int_equal(tk_strtab_intern(t, "main", 4, &ids[1]), 0);
	assert_int_equal(tk_strtab_intern(t, "work", 4, &ids[2]), 0);
	assert_int_equal(tk_stacks_add(s, ids, 3, 5, &leaf), 0);
	assert_int_equal(tk_stacks_add(s, ids, 2, 2, &mid), 0);
	assert_int_equal(tk_stacks_add(s, ids, 3, UINT64_MAX, NULL), 0);	/* saturates */
	assert_int_equal(tk_stacks_get_parent(s, leaf), mid);
	assert_int_equal(tk_stacks_get_frame(s, leaf), ids[2]);
	assert_int_equal(tk_stacks_get_self(s, mid), 2);
	assert_true(tk_stacks_get_self(s, leaf) == UINT64_MAX);
	assert_true(tk_stacks_get_total(s, TK_STACKS_ROOT) == UINT64_MAX);
	assert_int_equal(tk_stacks_count(s), 4);	/* root + 3 */
	assert_int_equal(tk_stacks_add(s, ids, 0, 7, NULL), 0);	/* nothing */
	assert_int_equal(tk_stacks_count(s), 4);
	tk_stacks_destroy(s);
	tk_strtab_destroy(t);
	tk_stacks_destroy(NULL);
}

static int stop_at_two(void *arg, const uint32_t *frames, size_t depth, uint64_t weight)
{
	int *n = arg;

	(void)frames;
	(void)depth;
	(void)weight;
	return ++*n == 2 ? 42 : 0;
}

/* Deep and wide tries: the walk is iterative, memory is per prefix, a cap holds. */
static void test_deep_wide_and_limit(void **state)
{
	enum { DEPTH = 5000 };
	static uint32_t ids[DEPTH];
	struct tk_strtab *t = tk_strtab_create(0);
	struct tk_stacks *s = tk_stacks_create(0);
	char name[32];
	uint32_t i;
	int n = 0, ret = 0;

	(void)state;
	for (i = 0; i < DEPTH; i++) {
		snprintf(name, sizeof(name), "f%u", i % 7);
		assert_int_equal(tk_strtab_intern(t, name, strlen(name), &ids[i]), 0);
	}
	for (i = 1; i <= DEPTH; i += 1000)
		assert_int_equal(tk_stacks_add(s, ids, i, 1, NULL), 0);
	assert_int_equal(tk_stacks_count(s), 4001 + 1);	/* one path, and the root */
	assert_int_equal(tk_stacks_walk_sorted(s, t, stop_at_two, &n), 42);
	tk_stacks_destroy(s);

	s = tk_stacks_create(64 * 1024);
	for (i = 0; i < 100000 && ret == 0; i++) {
		uint32_t pair[2] = { ids[0], i };

		ret = tk_stacks_add(s, pair, 2, 1, NULL);
	}
	assert_int_equal(ret, -TK_ELIMIT);
	assert_true(tk_stacks_bytes(s) <= 64 * 1024);
	tk_stacks_destroy(s);
	tk_strtab_destroy(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_like_text),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_deep_wide_and_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
