/* SPDX-License-Identifier: MIT */
/*
 * The text layouts, checked against lines written out by hand from the
 * format strings of the kernel's hist_trigger_print_key() and
 * hist_trigger_entry_print() (kernel/trace/trace_events_hist.c) and of
 * bpftrace's hist() rows (label %-16s, count %8, bar of 52 columns).
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
#include "render/histout.h"
#include "tests/unit/hist-fake.h"

static char *render(const struct tk_hist *h, const char *filter)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(tk_histout_kernel(f, h, filter), 0);
	fclose(f);
	return buf;
}

static struct tk_hist *run(const char *keys, const char *vals, const struct rec *r, int n)
{
	struct tk_hist_opts o = { .event_id = 7, .keys = keys, .vals = vals, .arch = "x86_64" };
	struct tk_hist *h = NULL;
	struct tk_err e;
	int i;

	tk_err_clear(&e);
	assert_int_equal(tk_hist_create(&o, &sch, &h, &e), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(tk_hist_add(h, &r[i].ev, &r[i].pl), 0);
	assert_int_equal(tk_hist_finish(h), 0);
	return h;
}

static void test_syscall_key(void **state)
{
	struct rec r[5];
	struct tk_hist *h;
	char *out;

	(void)state;
	mk(&r[0], 7, 1, 10, 0, 0, NULL, 0);
	mk(&r[1], 7, 2, 10, 202, 0, NULL, 0);
	mk(&r[2], 7, 3, 10, 0, 0, NULL, 0);
	mk(&r[3], 7, 4, 10, 999, 0, NULL, 0);
	mk(&r[4], 7, 5, 10, 4, 0, NULL, 0);	/* stat: SYSCALL_DEFINE2(newstat, ...) */
	h = run("id.syscall", NULL, r, 5);
	out = render(h, "common_pid == 10");
	assert_string_equal(out,
		"# event histogram\n"
		"#\n"
		"# trigger info: hist:keys=id.syscall:vals=hitcount:sort=hitcount:size=2048 if common_pid == 10 [active]\n"
		"#\n"
		"\n"
		"{ id: sys_newstat                   [  4] } hitcount:          1\n"
		"{ id: sys_futex                     [202] } hitcount:          1\n"
		"{ id: unknown_syscall               [999] } hitcount:          1\n"
		"{ id: sys_read                      [  0] } hitcount:          2\n"
		"\n"
		"Totals:\n"
		"    Hits: 5\n"
		"    Entries: 4\n"
		"    Dropped: 0\n");
	free(out);
	tk_hist_destroy(h);
}

static void test_key_kinds(void **state)
{
	struct rec r[3];
	struct tk_hist *h;
	char *out;

	(void)state;
	mk(&r[0], 7, 1, 10, 0, 0, NULL, 5);
	mk(&r[1], 7, 2, 10, 0, 0, NULL, 6);
	h = run("common_pid.execname,bytes.log2", "bytes", r, 2);
	out = render(h, NULL);
	assert_non_null(strstr(out, "\n{ common_pid: ten             [        10], bytes: ~ 2^3  } "
				    "hitcount:          2  bytes:         11\n"));
	free(out);
	tk_hist_destroy(h);

	mk(&r[0], 7, 1, 10, 0xca, 0, "bb", 15);
	h = run("comm,bytes.buckets=10", "id.hex", r, 1);
	out = render(h, NULL);
	assert_non_null(strstr(out, "\n{ comm: bb                                                , "
				    "bytes: ~ 10-19 } hitcount:          1  id:         ca\n"));
	free(out);
	tk_hist_destroy(h);

	mk(&r[0], 7, 1, 10, 0xca, 0, NULL, 0x1010);
	mk(&r[1], 7, 2, 10, 0xca, 0, NULL, 0x2000);
	h = run("id.hex,bytes.sym", NULL, r, 2);
	out = render(h, NULL);
	assert_non_null(strstr(out, "\n{ id: ca, bytes: [1010] func_a                                        } "
				    "hitcount:          1\n"));
	/* an address with no symbol: %ps prints the address */
	assert_non_null(strstr(out, "\n{ id: ca, bytes: [2000] 0x2000                                        } "
				    "hitcount:          1\n"));
	free(out);
	tk_hist_destroy(h);
}

static void test_log2_rows(void **state)
{
	static const uint64_t v[] = { 0, 1, 1, 2, 3, 5 };
	struct tk_dist d;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	(void)state;
	tk_dist_init(&d, 1);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_int_equal(tk_dist_add(&d, v[i]), 0);
	f = open_memstream(&buf, &len);
	tk_histout_log2(f, "usecs", &d);
	fclose(f);
	assert_string_equal(buf,
		"@usecs:\n"
		"[0]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[1]                    2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n");
	free(buf);
	tk_dist_release(&d);

	/* K and M labels; an empty bucket between two full ones is printed */
	tk_dist_init(&d, 1);
	assert_int_equal(tk_dist_add(&d, 1500), 0);
	assert_int_equal(tk_dist_add(&d, 5000), 0);
	assert_int_equal(tk_dist_add(&d, (1u << 20) + 5), 0);
	buf = NULL;
	f = open_memstream(&buf, &len);
	tk_histout_log2(f, "x", &d);
	fclose(f);
	assert_non_null(strstr(buf, "\n[1K, 2K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
				    "[2K, 4K)               0 |                                                    |\n"
				    "[4K, 8K)               1 |"));
	assert_non_null(strstr(buf, "\n[1M, 2M)               1 |"));
	free(buf);
	tk_dist_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syscall_key),
		cmocka_unit_test(test_key_kinds),
		cmocka_unit_test(test_log2_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
