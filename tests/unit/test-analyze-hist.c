/* SPDX-License-Identifier: MIT */
/*
 * The histogram analyzers on hand-made payloads of one fake event, with
 * every expected number worked out by hand in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/dist.h"
#include "analyze/hist.h"
#include "analyze/latency.h"
#include "analyze/sysstat.h"
#include "tests/unit/hist-fake.h"

static struct tk_hist *mkhist(const char *keys, const char *vals, const char *sort, uint32_t size)
{
	struct tk_hist_opts o = { .event_id = 7, .keys = keys, .vals = vals, .sort = sort,
				  .size = size, .arch = "x86_64" };
	struct tk_hist *h = NULL;
	struct tk_err e;

	tk_err_clear(&e);
	assert_int_equal(tk_hist_create(&o, &sch, &h, &e), 0);
	return h;
}

static void add(struct tk_hist *h, int32_t pid, int64_t id, int64_t ret, const char *comm,
		uint32_t bytes)
{
	struct rec r;

	mk(&r, 7, 1000, pid, id, ret, comm, bytes);
	assert_int_equal(tk_hist_add(h, &r.ev, &r.pl), 0);
}

static void test_log2(void **state)
{
	(void)state;
	/* ilog2(roundup_pow_of_two(v)): 0 and 1 -> 0, 2 -> 1, 3,4 -> 2, 5..8 -> 3 */
	assert_int_equal(tk_hist_log2(0), 0);
	assert_int_equal(tk_hist_log2(1), 0);
	assert_int_equal(tk_hist_log2(2), 1);
	assert_int_equal(tk_hist_log2(3), 2);
	assert_int_equal(tk_hist_log2(4), 2);
	assert_int_equal(tk_hist_log2(5), 3);
	assert_int_equal(tk_hist_log2(8), 3);
	assert_int_equal(tk_hist_log2(9), 4);
	assert_int_equal(tk_hist_log2(1000), 10);	/* 1024 */
	assert_int_equal(tk_hist_log2(1ull << 63), 63);
	/* above 2^63 the kernel's shift is by 64, which x86_64 masks to 0 */
	assert_int_equal(tk_hist_log2((1ull << 63) + 1), 0);
	assert_int_equal(tk_hist_log2(UINT64_MAX), 0);	/* e.g. a ret of -1 */
}

static void test_counts_and_sort(void **state)
{
	const struct tk_hist_entry *const *e;
	struct tk_hist *h = mkhist("id", "bytes", NULL, 0);
	size_t n;

	(void)state;
	/* id 1 x3 (bytes 10+20+30), id 2 x1 (5), id 0 x2 (1+1) */
	add(h, 10, 1, 0, NULL, 10);
	add(h, 10, 2, 0, NULL, 5);
	add(h, 10, 1, 0, NULL, 20);
	add(h, 20, 0, 0, NULL, 1);
	add(h, 20, 1, 0, NULL, 30);
	add(h, 20, 0, 0, NULL, 1);
	assert_int_equal(tk_hist_finish(h), 0);
	n = tk_hist_get_entries(h, &e);
	assert_int_equal(n, 3);
	/* hitcount ascending: id 2 (1), id 0 (2), id 1 (3) */
	assert_int_equal(e[0]->key[0], 2);
	assert_int_equal(e[0]->hitcount, 1);
	assert_int_equal(e[0]->val[0], 5);
	assert_int_equal(e[1]->key[0], 0);
	assert_int_equal(e[1]->val[0], 2);
	assert_int_equal(e[2]->key[0], 1);
	assert_int_equal(e[2]->hitcount, 3);
	assert_int_equal(e[2]->val[0], 60);
	assert_int_equal(tk_hist_get_hits(h), 6);
	assert_int_equal(tk_hist_get_dropped(h), 0);
	assert_string_equal(tk_hist_get_trigger(h), "hist:keys=id:vals=hitcount,bytes:sort=hitcount:size=2048");
	tk_hist_destroy(h);

	/* sort by the value, descending: id 1 (60), id 2 (5), id 0 (2) */
	h = mkhist("id", "bytes", "bytes.descending", 0);
	add(h, 10, 1, 0, NULL, 60);
	add(h, 10, 2, 0, NULL, 5);
	add(h, 10, 0, 0, NULL, 2);
	assert_int_equal(tk_hist_finish(h), 0);
	n = tk_hist_get_entries(h, &e);
	assert_int_equal(n, 3);
	assert_int_equal(e[0]->key[0], 1);
	assert_int_equal(e[1]->key[0], 2);
	assert_int_equal(e[2]->key[0], 0);
	assert_string_equal(tk_hist_get_trigger(h),
			    "hist:keys=id:vals=hitcount,bytes:sort=bytes.descending:size=2048");
	tk_hist_destroy(h);
}

static void test_compound_and_ties(void **state)
{
	const struct tk_hist_entry *const *e;
	struct tk_hist *h = mkhist("common_pid,ret", NULL, "common_pid", 0);
	size_t n;

	(void)state;
	/* (20,-1) x1, (10,5) x2, (10,-1) x1: sorted by pid (signed), ties by ret (signed) */
	add(h, 20, 0, -1, NULL, 0);
	add(h, 10, 0, 5, NULL, 0);
	add(h, 10, 0, -1, NULL, 0);
	add(h, 10, 0, 5, NULL, 0);
	assert_int_equal(tk_hist_finish(h), 0);
	n = tk_hist_get_entries(h, &e);
	assert_int_equal(n, 3);
	assert_int_equal(e[0]->key[0], 10);
	assert_int_equal((int64_t)e[0]->key[1], -1);
	assert_int_equal(e[1]->key[0], 10);
	assert_int_equal(e[1]->key[1], 5);
	assert_int_equal(e[1]->hitcount, 2);
	assert_int_equal(e[2]->key[0], 20);
	tk_hist_destroy(h);
}

static void test_modifiers(void **state)
{
	const struct tk_hist_entry *const *e;
	struct tk_hist *h;
	size_t n;

	(void)state;
	/* bytes.log2: 3 and 4 -> 2, 5 -> 3; .buckets=10: 15, 19 -> 10, 20 -> 20 */
	h = mkhist("bytes.log2", NULL, "bytes", 0);
	add(h, 1, 0, 0, NULL, 3);
	add(h, 1, 0, 0, NULL, 4);
	add(h, 1, 0, 0, NULL, 5);
	assert_int_equal(tk_hist_finish(h), 0);
	n = tk_hist_get_entries(h, &e);
	assert_int_equal(n, 2);
	assert_int_equal(e[0]->key[0], 2);
	assert_int_equal(e[0]->hitcount, 2);
	assert_int_equal(e[1]->key[0], 3);
	assert_string_equal(tk_hist_get_trigger(h),
			    "hist:keys=bytes.log2:vals=hitcount:sort=bytes.log2:size=2048");
	tk_hist_destroy(h);

	h = mkhist("bytes.buckets=10", NULL, "bytes", 0);
	add(h, 1, 0, 0, NULL, 15);
	add(h, 1, 0, 0, NULL, 19);
	add(h, 1, 0, 0, NULL, 20);
	assert_int_equal(tk_hist_finish(h), 0);
	n = tk_hist_get_entries(h, &e);
	assert_int_equal(n, 2);
	assert_int_equal(e[0]->key[0], 10);
	assert_int_equal(e[0]->hitcount, 2);
	assert_int_equal(e[1]->key[0], 20);
	assert_int_equal(tk_hist_get_key(h, 0)->buckets, 10);
	tk_hist_destroy(h);

	/* execname: the comm of the pid; .sym: the kernel symbol of the value */
	h = mkhist("common_pid.execname,bytes.sym", NULL, NULL, 0);
	add(h, 10, 0, 0, NULL, 0x1010);
	add(h, 30, 0, 0, NULL, 0x2000);
	assert_int_equal(tk_hist_finish(h), 0);
	n = tk_hist_get_entries(h, &e);
	assert_int_equal(n, 2);
	assert_string_equal(tk_hist_get_str(h, e[0]->comm), "ten");
	assert_string_equal(tk_hist_get_str(h, e[0]->sym[1]), "func_a");
	assert_string_equal(tk_hist_get_str(h, e[1]->comm), "<...>");
	assert_null(tk_hist_get_str(h, e[1]->sym[1]));
	tk_hist_destroy(h);

	/* a string key; common_timestamp.usecs sums microseconds */
	h = mkhist("comm", "common_timestamp.usecs", "comm", 0);
	add(h, 1, 0, 0, "bb", 0);
	add(h, 1, 0, 0, "a", 0);
	add(h, 1, 0, 0, "bb", 0);
	assert_int_equal(tk_hist_finish(h), 0);
	n = tk_hist_get_entries(h, &e);
	assert_int_equal(n, 2);
	assert_string_equal(tk_hist_get_str(h, (uint32_t)e[0]->key[0]), "a");
	assert_string_equal(tk_hist_get_str(h, (uint32_t)e[1]->key[0]), "bb");
	assert_int_equal(e[1]->val[0], 2);	/* ts 1000 ns = 1 us, twice */
	tk_hist_destroy(h);
}

static void test_size_drops(void **state)
{
	struct tk_hist *h = mkhist("id", NULL, NULL, 100);	/* rounds up to 128 */
	const struct tk_hist_entry *const *e;
	int i;

	(void)state;
	/* 130 distinct keys, then key 0 again: keys 128 and 129 are dropped */
	for (i = 0; i < 130; i++)
		add(h, 1, i, 0, NULL, 0);
	add(h, 1, 0, 0, NULL, 0);
	assert_int_equal(tk_hist_finish(h), 0);
	assert_int_equal(tk_hist_get_entries(h, &e), 128);
	assert_int_equal(tk_hist_get_hits(h), 129);
	assert_int_equal(tk_hist_get_dropped(h), 2);
	assert_string_equal(tk_hist_get_trigger(h), "hist:keys=id:vals=hitcount:sort=hitcount:size=128");
	tk_hist_destroy(h);
}

static void bad_spec(const char *keys, const char *vals, const char *sort, uint32_t size,
		     const char *msg)
{
	struct tk_hist_opts o = { .event_id = 7, .keys = keys, .vals = vals, .sort = sort,
				  .size = size };
	struct tk_hist *h = (struct tk_hist *)&o;
	struct tk_err e;

	tk_err_clear(&e);
	assert_int_equal(tk_hist_create(&o, &sch, &h, &e), -TK_EINVAL);
	assert_null(h);
	assert_string_equal(e.msg, msg);
}

static void test_bad_specs(void **state)
{
	(void)state;
	bad_spec("nope", NULL, NULL, 0, "test:ev has no field 'nope'");
	bad_spec("id,ret,bytes,common_pid", NULL, NULL, 0, "too many keys (the kernel takes 3)");
	bad_spec("id.bogus", NULL, NULL, 0, "unknown modifier 'bogus' in 'id.bogus'");
	bad_spec("ret.execname", NULL, NULL, 0, ".execname applies to common_pid only");
	bad_spec("id", "comm", NULL, 0, "'comm' is a string; values must be numbers");
	bad_spec("args", NULL, NULL, 0, "'args' is an array; hist keys and values are numbers or strings");
	bad_spec("id", NULL, "bytes", 0, "sort key 'bytes' is neither a key nor a value");
	bad_spec("id", NULL, "id.syscall", 0,
		 "bad sort modifier in 'id.syscall' (.ascending or .descending)");
	bad_spec("id", NULL, "id,hitcount,bytes", 0, "too many sort keys (the kernel takes 2)");
	bad_spec("id.buckets=0", NULL, NULL, 0, "bad bucket size in 'id.buckets=0'");
	bad_spec("id", NULL, NULL, 64, "size 64 is less than the kernel's 128");
	bad_spec("id,", NULL, NULL, 0, "bad list 'id,'");
}

static void test_dist(void **state)
{
	struct tk_dist d;
	uint64_t i;

	(void)state;
	tk_dist_init(&d, 1);
	/* 100 down to 1: nearest rank p50 = 50, p90 = 90, p99 = 99, p99.9 = 100 */
	for (i = 100; i >= 1; i--)
		assert_int_equal(tk_dist_add(&d, i), 0);
	tk_dist_finish(&d);
	assert_int_equal(d.n, 100);
	assert_int_equal(d.sum, 5050);
	assert_int_equal(d.min, 1);
	assert_int_equal(d.max, 100);
	assert_int_equal(tk_dist_pctl(&d, 50, 100), 50);
	assert_int_equal(tk_dist_pctl(&d, 90, 100), 90);
	assert_int_equal(tk_dist_pctl(&d, 99, 100), 99);
	assert_int_equal(tk_dist_pctl(&d, 999, 1000), 100);
	/* buckets: [1] 1, [2,4) 2, [4,8) 4, ..., [64,128) 37 (64..100) */
	assert_int_equal(d.buckets[0], 0);
	assert_int_equal(d.buckets[1], 1);
	assert_int_equal(d.buckets[2], 2);
	assert_int_equal(d.buckets[3], 4);
	assert_int_equal(d.buckets[7], 37);
	tk_dist_release(&d);

	/* one value: every percentile is it; empty: 0 */
	tk_dist_init(&d, 1000);
	assert_int_equal(tk_dist_pctl(&d, 50, 100), 0);
	assert_int_equal(tk_dist_add(&d, 2500), 0);	/* 2 us: bucket [2, 4) */
	tk_dist_finish(&d);
	assert_int_equal(tk_dist_pctl(&d, 1, 100), 2500);
	assert_int_equal(tk_dist_pctl(&d, 999, 1000), 2500);
	assert_int_equal(d.buckets[2], 1);
	tk_dist_release(&d);
	assert_int_equal(tk_dist_bucket(0), 0);
	assert_int_equal(tk_dist_bucket(1), 1);
	assert_int_equal(tk_dist_bucket(3), 2);
	assert_int_equal(tk_dist_bucket(1024), 11);
}

static void feed_lat(struct tk_latency *l, uint32_t event, uint64_t ts, int32_t pid, int64_t id)
{
	struct rec r;

	mk(&r, event, ts, pid, id, 0, NULL, 0);
	assert_int_equal(tk_latency_add(l, &r.ev, &r.pl), 0);
}

static void test_latency(void **state)
{
	struct tk_latency_opts o = { .start_id = 7, .end_id = 8, .match = "common_pid,id",
				     .by = TK_LATENCY_BY_PID };
	const struct tk_latency_group *const *g;
	const struct tk_latency_stats *st;
	struct tk_latency *l = NULL;
	struct tk_err e;
	int i;

	(void)state;
	tk_err_clear(&e);
	assert_int_equal(tk_latency_create(&o, &sch, &l, &e), 0);
	/*
	 * pid 10 id 1: 100 -> 150 (50); pid 20 id 1: 110, replaced at 120,
	 * -> 200 (80); pid 10 id 2: end at 300 without a start; pid 10 id 1:
	 * start at 400, never ends.
	 */
	feed_lat(l, 7, 100, 10, 1);
	feed_lat(l, 7, 110, 20, 1);
	feed_lat(l, 8, 150, 10, 1);
	feed_lat(l, 7, 120, 20, 1);
	feed_lat(l, 8, 200, 20, 1);
	feed_lat(l, 8, 300, 10, 2);
	feed_lat(l, 7, 400, 10, 1);
	/* many starts in flight and closed, so the table grows and deletes */
	for (i = 0; i < 3000; i++)
		feed_lat(l, 7, 1000 + (uint64_t)i, 1000 + i, 5);
	for (i = 0; i < 3000; i++)
		feed_lat(l, 8, 5000 + (uint64_t)i, 1000 + i, 5);
	assert_int_equal(tk_latency_finish(l), 0);
	st = tk_latency_get_stats(l);
	assert_int_equal(st->pairs, 3002);
	assert_int_equal(st->replaced, 1);
	assert_int_equal(st->open, 1);
	assert_int_equal(st->unmatched_starts, 2);
	assert_int_equal(st->unmatched_ends, 1);
	assert_int_equal(tk_latency_get_groups(l, &g), 3002);
	/* ascending count, ties by key: 10 (1 pair, 50 ns), 20 (80 ns), then 1000.. */
	assert_int_equal(g[0]->key, 10);
	assert_int_equal(g[0]->d.sum, 50);
	assert_int_equal(g[1]->key, 20);
	assert_int_equal(g[1]->d.sum, 80);
	assert_int_equal(g[2]->key, 1000);
	assert_int_equal(g[2]->d.sum, 4000);
	assert_int_equal(tk_latency_get_all(l)->n, 3002);
	assert_string_equal(tk_latency_get_match(l), "common_pid=common_pid,id=id");
	tk_latency_destroy(l);

	o.match = "id=nope";
	tk_err_clear(&e);
	assert_int_equal(tk_latency_create(&o, &sch, &l, &e), -TK_EINVAL);
	assert_string_equal(e.msg, "test:end has no field 'nope'");
	o.match = "comm=id";
	tk_err_clear(&e);
	assert_int_equal(tk_latency_create(&o, &sch, &l, &e), -TK_EINVAL);
	assert_string_equal(e.msg, "'comm' and 'id' are not both strings or both numbers");
}

static void feed_sys(struct tk_sysstat *s, uint32_t event, uint64_t ts, int32_t tid, int64_t nr,
		     int64_t ret)
{
	struct rec r;

	mk(&r, event, ts, tid, nr, ret, NULL, 0);
	assert_int_equal(tk_sysstat_add(s, &r.ev, &r.pl), 0);
}

static void test_sysstat(void **state)
{
	const struct tk_sysstat_row *const *rows;
	const struct tk_sysstat_totals *t;
	struct tk_sysstat *s = NULL;
	struct tk_err e;

	(void)state;
	tk_err_clear(&e);
	assert_int_equal(tk_sysstat_create(TK_SYSSTAT_BY_PID, &sch, &s, &e), 0);
	assert_int_equal(tk_sysstat_watch(s, 7, 1, -1, &e), 0);
	assert_int_equal(tk_sysstat_watch(s, 8, 0, -1, &e), 0);
	/*
	 * tid 10: read(0) 100..130 ok; read 200..260 -EAGAIN (-11)
	 * tid 11 (thread of 10): exit of read without entry, ret -4 (an error)
	 * tid 20: write(1) 50..60 returns -5000 (not an errno: no error);
	 *         exit_group(231) at 70, never returns
	 */
	feed_sys(s, 7, 100, 10, 0, 0);
	feed_sys(s, 8, 130, 10, 0, 8);
	feed_sys(s, 7, 200, 10, 0, 0);
	feed_sys(s, 8, 260, 10, 0, -11);
	feed_sys(s, 8, 270, 11, 0, -4);
	feed_sys(s, 7, 50, 20, 1, 0);
	feed_sys(s, 8, 60, 20, 1, -5000);
	feed_sys(s, 7, 70, 20, 231, 0);
	assert_int_equal(tk_sysstat_finish(s), 0);
	t = tk_sysstat_get_totals(s);
	assert_int_equal(t->calls, 4);
	assert_int_equal(t->errors, 2);
	assert_int_equal(t->pairs, 3);
	assert_int_equal(t->total_ns, 30 + 60 + 10);
	assert_int_equal(t->exits_without_entry, 1);
	assert_int_equal(t->entries_without_exit, 1);
	/* rows by total: (10, read) 90 ns, (20, write) 10, (20, exit_group) 0 */
	assert_int_equal(tk_sysstat_get_rows(s, &rows), 3);
	assert_int_equal(rows[0]->group, 10);
	assert_int_equal(rows[0]->nr, 0);
	assert_int_equal(rows[0]->calls, 2);
	assert_int_equal(rows[0]->errors, 2);	/* -11 of tid 10 and -4 of tid 11 */
	assert_int_equal(rows[0]->d.sum, 90);
	assert_string_equal(tk_sysstat_get_str(s, rows[0]->comm), "ten");
	assert_int_equal(rows[1]->group, 20);
	assert_int_equal(rows[1]->nr, 1);
	assert_int_equal(rows[1]->errors, 0);
	assert_int_equal(rows[2]->nr, 231);
	assert_int_equal(rows[2]->calls, 1);
	assert_int_equal(rows[2]->d.n, 0);
	tk_sysstat_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log2),
		cmocka_unit_test(test_counts_and_sort),
		cmocka_unit_test(test_compound_and_ties),
		cmocka_unit_test(test_modifiers),
		cmocka_unit_test(test_size_drops),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_dist),
		cmocka_unit_test(test_latency),
		cmocka_unit_test(test_sysstat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
