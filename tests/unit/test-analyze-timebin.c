/* SPDX-License-Identifier: MIT */
/*
 * The timeline raster on hand-made event sequences whose columns were
 * worked out by hand (tests/oracle/timeline-raster.sh checks real traces
 * against the report text).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/timebin.h"

static struct tk_event ev(uint64_t ts, uint16_t cpu, uint8_t kind, uint32_t tid)
{
	struct tk_event e;

	memset(&e, 0, sizeof(e));
	e.ts = ts;
	e.cpu = cpu;
	e.kind = kind;
	e.tid = tid;
	return e;
}

static void sw(struct tk_timebin *tb, uint64_t ts, uint16_t cpu, uint32_t prev, uint32_t next)
{
	struct tk_event e = ev(ts, cpu, TK_EV_SWITCH, prev);

	e.u.sw.next_tid = next;
	e.u.sw.prev_comm = e.u.sw.next_comm = TK_NOSTR;
	assert_int_equal(tk_timebin_event(tb, &e), 0);
}

static void wake(struct tk_timebin *tb, uint64_t ts, uint16_t cpu, uint32_t target)
{
	struct tk_event e = ev(ts, cpu, TK_EV_WAKEUP, 1);

	e.u.wake.target_tid = target;
	e.u.wake.target_comm = TK_NOSTR;
	e.u.wake.success = 1;
	assert_int_equal(tk_timebin_event(tb, &e), 0);
}

static const struct tk_timebin_task *task(const struct tk_timebin_result *r, uint32_t tid)
{
	size_t i;

	for (i = 0; i < r->ntasks; i++)
		if (r->tasks[i].tid == tid)
			return &r->tasks[i];
	return NULL;
}

/*
 * --from 1000 --to 1800, 4 columns of 2 bins (100 ns): 10 runs
 * [1000, 1200), 20 (woken at 1050) [1200, 1300), idle, 3 events lost at
 * 1500, 10 again from 1600 to the end.
 */
static void test_fixed_range(void **state)
{
	struct tk_timebin_opts o = { .from = 1000, .to = 1800, .columns = 4, .oversample = 2,
				     .tasks = true };
	struct tk_timebin *tb = tk_timebin_create(&o, NULL, NULL);
	const struct tk_timebin_result *r;
	const struct tk_timebin_cell *c;
	struct tk_event lost = ev(1500, 0, TK_EV_LOST, 0);
	size_t i;

	(void)state;
	assert_non_null(tb);
	sw(tb, 1000, 0, 0, 10);
	wake(tb, 1050, 0, 20);
	sw(tb, 1200, 0, 10, 20);
	sw(tb, 1300, 0, 20, 0);
	lost.u.lost.count = 3;
	assert_int_equal(tk_timebin_event(tb, &lost), 0);
	sw(tb, 1600, 0, 0, 10);
	assert_int_equal(tk_timebin_finish(tb, NULL), 0);
	r = tk_timebin_get(tb);
	assert_int_equal(r->from, 1000);
	assert_int_equal(r->to, 1800);
	assert_int_equal(r->columns, 4);
	for (i = 0; i <= 4; i++)
		assert_int_equal(r->edges[i], 1000 + 200 * i);
	assert_int_equal(r->lost, 3);
	/* CPU 0, then the task lanes by running time: 10, 20. */
	assert_int_equal(r->nlanes, 3);
	assert_int_equal(r->lanes[0].kind, TK_TIMEBIN_CPU);
	assert_int_equal(r->lanes[0].busy_ns, 500);
	c = r->lanes[0].cells;
	assert_int_equal(c[0].tid, 10);
	assert_true(c[0].busy == 1.0f);
	assert_int_equal(c[1].tid, 20);
	assert_true(c[1].busy == 0.5f);
	assert_int_equal(c[1].wake_max, 150);
	assert_int_equal(c[2].tid, 0);
	assert_true(c[2].busy == 0.0f);
	assert_int_equal(c[2].lost, 3);
	assert_int_equal(c[3].tid, 10);
	assert_true(c[3].busy == 1.0f);
	assert_int_equal(r->lanes[1].kind, TK_TIMEBIN_TASK);
	assert_int_equal(r->lanes[1].id, 10);
	assert_int_equal(r->lanes[2].id, 20);
	assert_true(r->lanes[2].cells[1].busy == 0.5f && r->lanes[2].cells[0].busy == 0.0f);
	assert_int_equal(r->lanes[2].cells[1].wake_max, 150);
	assert_int_equal(task(r, 10)->busy_ns, 400);
	assert_int_equal(task(r, 20)->busy_ns, 100);
	assert_int_equal(task(r, 20)->wake_max, 150);
	assert_int_equal(r->tasks[0].tid, 10);
	assert_null(task(r, 0));
	tk_timebin_destroy(tb);
}

/*
 * No range given: bins double as the trace grows. 2 columns of 2 bins;
 * events at 100 .. 1700 make bins of 512 ns: columns [100, 1124) and
 * [1124, 2148), the last reaching past the end. Task 5 ran [100, 900):
 * 800 of 1024 ns of column 0.
 */
static void test_growing_range(void **state)
{
	struct tk_timebin_opts o = { .columns = 2, .oversample = 2 };
	struct tk_timebin *tb = tk_timebin_create(&o, NULL, NULL);
	const struct tk_timebin_result *r;

	(void)state;
	sw(tb, 100, 0, 0, 5);
	sw(tb, 900, 0, 5, 0);
	wake(tb, 1700, 1, 7);
	assert_int_equal(tk_timebin_finish(tb, NULL), 0);
	r = tk_timebin_get(tb);
	assert_int_equal(r->from, 100);
	assert_int_equal(r->to, 1700);
	assert_int_equal(r->edges[0], 100);
	assert_int_equal(r->edges[1], 1124);
	assert_int_equal(r->edges[2], 2148);
	/* CPU 1 has an event but no switch: a lane, nothing in it. */
	assert_int_equal(r->nlanes, 2);
	assert_int_equal(r->lanes[0].cells[0].tid, 5);
	assert_true(r->lanes[0].cells[0].busy == 0.78125f);
	assert_int_equal(r->lanes[0].cells[1].tid, 0);
	assert_int_equal(r->lanes[1].id, 1);
	assert_int_equal(r->lanes[1].cells[0].tid, 0);
	assert_int_equal(task(r, 5)->busy_ns, 800);
	tk_timebin_destroy(tb);
}

/*
 * Before a CPU's first switch its prev task ran since the CPU's first
 * event; a task still running at the end ran until it. --cpus leaves other
 * CPUs out of lanes and running times, but their switches still end
 * pending wakeups.
 */
static void test_edges_and_cpus(void **state)
{
	uint64_t cpus[1] = { 1u << 1 };
	struct tk_timebin_opts o = { .columns = 1, .oversample = 2, .cpus = cpus, .max_cpus = 64 };
	struct tk_timebin *tb = tk_timebin_create(&o, NULL, NULL);
	const struct tk_timebin_result *r;

	(void)state;
	wake(tb, 1000, 1, 9);		/* CPU 1's first event */
	sw(tb, 1100, 0, 9, 0);		/* 9 ran on CPU 0 (not drawn): no wakeup pending */
	sw(tb, 1400, 1, 3, 9);		/* 3 ran on CPU 1 since 1000 */
	assert_int_equal(tk_timebin_finish(tb, NULL), 0);
	r = tk_timebin_get(tb);
	assert_int_equal(r->nlanes, 1);
	assert_int_equal(r->lanes[0].id, 1);
	assert_int_equal(task(r, 3)->busy_ns, 400);
	assert_int_equal(task(r, 9)->busy_ns, 0);	/* switched in at the end */
	assert_int_equal(task(r, 9)->wake_max, 0);
	tk_timebin_destroy(tb);
}

/* Three tasks in one bin: the two longest are kept (Misra-Gries). */
static void test_dominant(void **state)
{
	struct tk_timebin_opts o = { .from = 0 + 1, .to = 1001, .columns = 1, .oversample = 2 };
	struct tk_timebin *tb = tk_timebin_create(&o, NULL, NULL);
	const struct tk_timebin_result *r;

	(void)state;
	sw(tb, 1, 0, 0, 1);
	sw(tb, 101, 0, 1, 2);		/* 1: 100 */
	sw(tb, 151, 0, 2, 3);		/* 2: 50 */
	sw(tb, 401, 0, 3, 2);		/* 3: 250 */
	sw(tb, 451, 0, 2, 0);		/* 2: 100 in all; bin 0 ends at 501 */
	assert_int_equal(tk_timebin_finish(tb, NULL), 0);
	r = tk_timebin_get(tb);
	assert_int_equal(r->lanes[0].cells[0].tid, 3);
	assert_true(r->lanes[0].cells[0].busy == 0.45f);
	tk_timebin_destroy(tb);
}

static void test_errors(void **state)
{
	struct tk_timebin_opts o = { .columns = 0 };
	struct tk_timebin *tb;
	struct tk_err err;

	(void)state;
	tk_err_clear(&err);
	assert_null(tk_timebin_create(&o, NULL, &err));
	assert_int_equal(err.code, TK_EINVAL);
	o.columns = 10;
	o.from = 50;
	o.to = 40;
	assert_null(tk_timebin_create(&o, NULL, NULL));
	o.to = 0;
	tb = tk_timebin_create(&o, NULL, NULL);
	tk_err_clear(&err);
	assert_int_equal(tk_timebin_finish(tb, &err), -TK_EINVAL);	/* no events */
	tk_timebin_destroy(tb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_range),
		cmocka_unit_test(test_growing_range),
		cmocka_unit_test(test_edges_and_cpus),
		cmocka_unit_test(test_dominant),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
