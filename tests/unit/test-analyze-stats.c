/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/stats.h"

static struct tk_event ev(uint64_t ts, int cpu, uint32_t id)
{
	struct tk_event e;

	memset(&e, 0, sizeof(e));
	e.ts = ts;
	e.cpu = (uint16_t)cpu;
	e.kind = TK_EV_GENERIC;
	e.u.generic.event_id = id;
	return e;
}

static void test_counts_per_id_and_cpu(void **state)
{
	struct tk_stats *st = tk_stats_create();
	const struct tk_stats_id *ids;
	const struct tk_stats_cpu *cpus;
	struct tk_event e;
	int n, i;

	(void)state;
	assert_non_null(st);
	/* 1000 distinct ids force the table to grow several times */
	for (i = 0; i < 1000; i++) {
		e = ev(100 + (uint64_t)i, i % 3, (uint32_t)i);
		assert_int_equal(tk_stats_add(st, &e), 0);
	}
	for (i = 0; i < 5; i++) {
		e = ev(50, 7, 999);
		tk_stats_add(st, &e);
	}
	assert_int_equal(tk_stats_get_total(st), 1005);
	assert_int_equal(tk_stats_get_first_ts(st), 50);
	assert_int_equal(tk_stats_get_last_ts(st), 1099);
	ids = tk_stats_get_ids(st, &n);
	assert_int_equal(n, 1000);
	assert_int_equal(ids[0].id, 999);
	assert_int_equal(ids[0].count, 6);
	assert_int_equal(ids[1].id, 0);	/* ties by id */
	assert_int_equal(ids[1].count, 1);
	cpus = tk_stats_get_cpus(st, &n);
	assert_true(n >= 8);
	assert_int_equal(cpus[0].events, 334);
	assert_int_equal(cpus[7].events, 5);
	assert_int_equal(cpus[5].events, 0);
	tk_stats_destroy(st);
}

static void test_lost_events_are_not_events(void **state)
{
	struct tk_stats *st = tk_stats_create();
	const struct tk_stats_cpu *cpus;
	struct tk_event e;
	int n;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.kind = TK_EV_LOST;
	e.cpu = 1;
	e.u.lost.count = 17;
	tk_stats_add(st, &e);
	e.flags = TK_EVF_LOST_UNKNOWN;
	tk_stats_add(st, &e);
	assert_int_equal(tk_stats_get_total(st), 0);
	cpus = tk_stats_get_cpus(st, &n);
	assert_int_equal(cpus[1].lost, 17);
	assert_int_equal(cpus[1].lost_unknown, 1);
	tk_stats_destroy(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_per_id_and_cpu),
		cmocka_unit_test(test_lost_events_are_not_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
