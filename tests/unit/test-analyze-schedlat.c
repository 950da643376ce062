/* SPDX-License-Identifier: MIT */
/*
 * The scheduler latency analyzer on hand-made event streams whose delays,
 * run times and percentiles are worked out in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/schedlat.h"

static void sw(struct tk_schedlat *sl, uint64_t ts, int cpu, uint32_t prev, uint16_t state,
	       uint8_t flags, uint32_t next)
{
	struct tk_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts = ts;
	ev.cpu = (uint16_t)cpu;
	ev.kind = TK_EV_SWITCH;
	ev.flags = flags;
	ev.tid = prev;
	ev.u.sw.prev_state = state;
	ev.u.sw.next_tid = next;
	ev.u.sw.prev_comm = ev.u.sw.next_comm = TK_NOSTR;
	assert_int_equal(tk_schedlat_event(sl, &ev, NULL, NULL), 0);
}

static void wake(struct tk_schedlat *sl, uint64_t ts, uint32_t target, uint8_t flags)
{
	struct tk_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts = ts;
	ev.kind = TK_EV_WAKEUP;
	ev.flags = flags;
	ev.u.wake.target_tid = target;
	ev.u.wake.success = 1;
	ev.u.wake.target_comm = TK_NOSTR;
	assert_int_equal(tk_schedlat_event(sl, &ev, NULL, NULL), 0);
}

static const struct tk_schedlat_row *row_of(const struct tk_schedlat_row *r, size_t n, int tid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i].tid == tid)
			return &r[i];
	fail_msg("no row for tid %d", tid);
	return NULL;
}

static void test_task(void **state)
{
	struct tk_schedlat_opts o = { .by = TK_SCHEDLAT_BY_TID };
	struct tk_schedlat *sl = tk_schedlat_create(NULL, &o, NULL);
	const struct tk_schedlat_row *rows, *r;
	const struct tk_schedlat_cpu *cpus;
	size_t n, nc;

	(void)state;
	assert_non_null(sl);
	wake(sl, 100, 10, 0);
	sw(sl, 300, 0, 0, 0, 0, 10);		/* delay 200 (100 -> 300) */
	sw(sl, 1300, 0, 10, TK_TASK_S, 0, 0);	/* ran 1000 */
	wake(sl, 2000, 10, TK_EVF_WAKING);
	wake(sl, 2100, 10, 0);			/* not the first: ignored */
	sw(sl, 2500, 1, 0, 0, 0, 10);		/* delay 500, migrated 0 -> 1 */
	sw(sl, 3000, 1, 10, 0, TK_EVF_PREEMPT, 20);	/* ran 500, preempted */
	sw(sl, 3100, 1, 20, TK_TASK_S, 0, 10);	/* delay 100 (3000 -> 3100) */
	sw(sl, 4000, 1, 10, TK_TASK_S, 0, 0);	/* ran 900 */
	assert_int_equal(tk_schedlat_get_nswitch(sl), 6);
	assert_int_equal(tk_schedlat_get_rows(sl, TK_SCHEDLAT_SORT_MAX, &rows, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].tid, 10);	/* max 500 before task 20's 0 */
	r = row_of(rows, n, 10);
	assert_int_equal(r->runtime, 2400);
	assert_int_equal(r->switches, 3);
	assert_int_equal(r->ndelays, 3);
	assert_int_equal(r->delay_sum, 800);
	/* sorted delays 100 200 500: p50 = 2nd (ceil 1.5), p90..p99.9 = 3rd */
	assert_int_equal(r->p50, 200);
	assert_int_equal(r->p90, 500);
	assert_int_equal(r->p99, 500);
	assert_int_equal(r->p999, 500);
	assert_int_equal(r->max, 500);
	assert_int_equal(r->max_start, 2000);
	assert_int_equal(r->max_end, 2500);
	assert_int_equal(r->migrations, 1);
	assert_int_equal(r->preemptions, 1);
	r = row_of(rows, n, 20);
	assert_int_equal(r->runtime, 100);
	assert_int_equal(r->ndelays, 0);
	/* CPU 0 busy 300..1300; CPU 1 busy 2500..4000; the trace spans 100..4000 */
	cpus = tk_schedlat_get_cpus(sl, &nc);
	assert_int_equal(nc, 2);
	assert_int_equal(cpus[0].busy, 1000);
	assert_int_equal(cpus[1].busy, 1500);
	assert_int_equal(cpus[1].span, 3900);
	/* by CPU: delays end where the task was switched in */
	tk_schedlat_destroy(sl);
	o.by = TK_SCHEDLAT_BY_CPU;
	sl = tk_schedlat_create(NULL, &o, NULL);
	wake(sl, 100, 10, 0);
	sw(sl, 300, 0, 0, 0, 0, 10);
	sw(sl, 1300, 0, 10, TK_TASK_S, 0, 0);
	wake(sl, 2000, 10, 0);
	sw(sl, 2500, 1, 0, 0, 0, 10);
	sw(sl, 3000, 1, 10, 0, TK_EVF_PREEMPT, 20);
	sw(sl, 3100, 1, 20, TK_TASK_S, 0, 10);
	assert_int_equal(tk_schedlat_get_rows(sl, TK_SCHEDLAT_SORT_KEY, &rows, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].tid, 0);
	assert_int_equal(rows[0].ndelays, 1);
	assert_int_equal(rows[0].max, 200);
	assert_int_equal(rows[1].ndelays, 2);	/* 500 and 100 */
	assert_int_equal(rows[1].p50, 100);
	assert_int_equal(rows[1].max, 500);
	tk_schedlat_destroy(sl);
}

static void test_window_and_overflow(void **state)
{
	struct tk_schedlat_opts o = { .from = 1000, .to = 10000000000ull };
	struct tk_schedlat *sl = tk_schedlat_create(NULL, &o, NULL);
	const struct tk_schedlat_row *rows;
	size_t n;

	(void)state;
	wake(sl, 100, 7, 0);
	sw(sl, 500, 0, 0, 0, 0, 7);		/* ends before --from: not counted */
	sw(sl, 600, 0, 7, TK_TASK_D, 0, 0);
	wake(sl, 700, 7, 0);
	sw(sl, 5000000700ull, 0, 0, 0, 0, 7);	/* 5 s: past u32 ns */
	sw(sl, 5000000800ull, 0, 7, TK_TASK_S, 0, 0);
	wake(sl, 5000000900ull, 7, 0);
	sw(sl, 5000001000ull, 0, 0, 0, 0, 7);	/* 100 */
	assert_int_equal(tk_schedlat_get_rows(sl, TK_SCHEDLAT_SORT_MAX, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].ndelays, 2);
	assert_int_equal(rows[0].max, 5000000000ull);
	assert_int_equal(rows[0].max_start, 700);
	assert_int_equal(rows[0].p50, 100);
	assert_int_equal(rows[0].p90, 5000000000ull);
	/* run time inside the window only: 100 ns (the first run ended at 600) */
	assert_int_equal(rows[0].runtime, 100);
	tk_schedlat_destroy(sl);
}

static int cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* 100,000 delays spread over both 16-bit digits, a few over 4.29 s:
 * the percentiles equal those of a plain sort of the same values. */
static void test_many(void **state)
{
	struct tk_schedlat *sl = tk_schedlat_create(NULL, NULL, NULL);
	const struct tk_schedlat_row *rows;
	enum { N = 100000 };
	uint64_t *want = malloc(N * sizeof(*want)), ts = 1000;
	size_t n, i;

	(void)state;
	assert_non_null(want);
	for (i = 0; i < N; i++) {
		uint64_t d = (i * 7919u) % 3000017u + 1;

		if (i % 25000 == 7)
			d = 5000000000ull + i;
		want[i] = d;
		wake(sl, ts, 5, 0);
		sw(sl, ts + d, 0, 0, 0, 0, 5);
		sw(sl, ts + d + 10, 0, 5, TK_TASK_S, 0, 0);
		ts += d + 20;
	}
	qsort(want, N, sizeof(*want), cmp64);
	assert_int_equal(tk_schedlat_get_rows(sl, TK_SCHEDLAT_SORT_MAX, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].ndelays, N);
	assert_int_equal(rows[0].p50, tk_schedlat_pct(want, N, 50));
	assert_int_equal(rows[0].p90, tk_schedlat_pct(want, N, 90));
	assert_int_equal(rows[0].p99, tk_schedlat_pct(want, N, 99));
	assert_int_equal(rows[0].p999, want[99899]);	/* ceil(99,900) */
	assert_int_equal(rows[0].max, want[N - 1]);
	free(want);
	tk_schedlat_destroy(sl);
}

static void test_pct(void **state)
{
	uint64_t v[1000];
	size_t i;

	(void)state;
	for (i = 0; i < 1000; i++)
		v[i] = i + 1;
	assert_int_equal(tk_schedlat_pct(v, 1000, 50), 500);
	assert_int_equal(tk_schedlat_pct(v, 1000, 90), 900);
	assert_int_equal(tk_schedlat_pct(v, 1000, 99), 990);
	assert_int_equal(tk_schedlat_pct(v, 1000, 99.9), 999);
	assert_int_equal(tk_schedlat_pct(v, 1000, 100), 1000);
	/* 7 values: p50 = ceil(3.5) = 4th, p90 = ceil(6.3) = 7th */
	assert_int_equal(tk_schedlat_pct(v, 7, 50), 4);
	assert_int_equal(tk_schedlat_pct(v, 7, 90), 7);
	assert_int_equal(tk_schedlat_pct(v, 1, 99.9), 1);
	assert_int_equal(tk_schedlat_pct(v, 0, 50), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_task),
		cmocka_unit_test(test_window_and_overflow),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_pct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
