/* SPDX-License-Identifier: MIT */
/*
 * perf's thread model (analyze/pmach-int.h): the pid fill-in rules, FORK
 * replacing threads, comm inheritance and perf's ":TID" names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/pmach-int.h"

static const char *names[] = { "busy", "worker" };

static const char *str(void *arg, uint32_t id)
{
	(void)arg;
	return id < 2 ? names[id] : NULL;
}

static const struct tk_schema_ops ops = { .str = str };
static const struct tk_schema sch = { .ops = &ops };

static void test_pids(void **state)
{
	struct tk_pmach m;
	uint32_t a, b;
	char buf[32];

	(void)state;
	assert_int_equal(tk_pmach__init(&m, &sch, false), 0);
	assert_string_equal(tk_pmach__comm_str(&m, tk_pmach__findnew(&m, -1, 0), buf, sizeof(buf)),
			    "swapper");
	a = tk_pmach__findnew(&m, -1, 100);
	assert_int_equal(m.thr[a].pid, -1);
	assert_string_equal(tk_pmach__comm_str(&m, a, buf, sizeof(buf)), ":100");
	/* a later lookup with a pid fills it in, and makes the leader */
	assert_int_equal(tk_pmach__findnew(&m, 50, 100), a);
	assert_int_equal(m.thr[a].pid, 50);
	assert_true(tk_pmach__find(&m, -1, 50) != TK_PMACH_NONE);
	/* pid 0 (a wakeup's lookup) sticks */
	b = tk_pmach__findnew(&m, 0, 200);
	assert_int_equal(tk_pmach__findnew(&m, 7, 200), b);
	assert_int_equal(m.thr[b].pid, 0);
	tk_pmach__fini(&m);
}

static void test_fork(void **state)
{
	struct tk_pmach m;
	uint32_t p, c, old;
	char buf[32];

	(void)state;
	assert_int_equal(tk_pmach__init(&m, &sch, false), 0);
	assert_int_equal(tk_pmach__comm(&m, 50, 50, 0), 0);
	p = tk_pmach__find(&m, -1, 50);
	/* the child inherits the named parent's comm; ppid is the parent's tid */
	old = tk_pmach__findnew(&m, -1, 51);
	assert_int_equal(tk_pmach__fork(&m, 50, 50, 51, 50), 0);
	c = tk_pmach__find(&m, -1, 51);
	assert_true(c != old);
	assert_true(m.thr[old].removed);
	assert_string_equal(tk_pmach__comm_str(&m, c, buf, sizeof(buf)), "busy");
	assert_int_equal(m.thr[c].ppid, 50);
	assert_int_equal(m.thr[c].pid, 50);
	/* a parent whose pid disagrees with the record's ppid is replaced,
	 * and the new one has no name to pass on */
	tk_pmach__findnew(&m, 0, 60);
	assert_int_equal(tk_pmach__fork(&m, 61, 60, 61, 60), 0);
	p = tk_pmach__find(&m, -1, 60);
	assert_int_equal(m.thr[p].pid, 60);
	c = tk_pmach__find(&m, -1, 61);
	assert_false(m.thr[c].comm_set);
	assert_string_equal(tk_pmach__comm_str(&m, c, buf, sizeof(buf)), ":61");
	tk_pmach__exit(&m, 61, 61);
	assert_true(m.thr[c].dead);
	/* many threads: the table grows and deletions keep lookups right */
	for (int i = 1000; i < 5000; i++)
		assert_true(tk_pmach__findnew(&m, i, i) != TK_PMACH_NONE);
	for (int i = 1000; i < 5000; i += 3)
		assert_int_equal(tk_pmach__fork(&m, i, 50, i, 50), 0);
	for (int i = 1000; i < 5000; i++) {
		uint32_t t = tk_pmach__find(&m, -1, i);

		assert_true(t != TK_PMACH_NONE);
		assert_int_equal(m.thr[t].tid, i);
		assert_false(m.thr[t].removed);
	}
	tk_pmach__fini(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pids),
		cmocka_unit_test(test_fork),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
