/* SPDX-License-Identifier: MIT */
/* The trace.dat reader on the committed real recordings (samples/). Event
 * counts were taken with Debian's trace-cmd 3.1.6 (samples/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <traceevent/event-parse.h>

#include "core/event.h"
#include "formats/tdat.h"

static struct tk_tdat_reader *open_sample(const char *name)
{
	char path[512];
	struct tk_tdat_reader *r = NULL;
	struct tk_err e;

	snprintf(path, sizeof(path), "%s/%s", TK_SAMPLES, name);
	tk_err_clear(&e);
	assert_int_equal(tk_tdat_open(path, NULL, &r, &e), 0);
	assert_non_null(r);
	return r;
}

/* Counts events, checks global time order, returns the count. */
static long drain(struct tk_tdat_reader *r, long *per_cpu, int ncpu)
{
	struct tk_tdat_rec tr;
	uint64_t last = 0;
	long n = 0;
	int ret;

	while ((ret = tk_tdat_next(r, &tr)) > 0) {
		assert_true(tr.rec->ts >= last);
		last = tr.rec->ts;
		assert_true(tr.cpu >= 0 && tr.cpu < ncpu);
		if (per_cpu)
			per_cpu[tr.cpu]++;
		n++;
	}
	assert_int_equal(ret, 0);
	return n;
}

static void test_v6_info_and_count(void **state)
{
	struct tk_tdat_reader *r = open_sample("sched-v6.dat");
	const struct tk_tdat_info *in = tk_tdat_get_info(r);

	(void)state;
	assert_int_equal(in->version, 6);
	assert_int_equal(in->codec, TK_TDAT_CODEC_NONE);
	assert_false(in->big_endian);
	assert_int_equal(in->kernel_long_size, 8);
	assert_int_equal(in->ncpus, 2);
	assert_string_equal(in->clock, "local");
	assert_int_equal(in->page_size, 4096);
	assert_int_equal(drain(r, NULL, 2), 14608);
	tk_tdat_close(r);
}

static void test_v7_zstd_and_none(void **state)
{
	struct tk_tdat_reader *r = open_sample("sched-v7-zstd.dat");

	(void)state;
	assert_int_equal(tk_tdat_get_info(r)->version, 7);
	assert_int_equal(tk_tdat_get_info(r)->codec, TK_TDAT_CODEC_ZSTD);
	assert_true(tk_tdat_get_buffer(r, 0)->compressed);
	assert_int_equal(drain(r, NULL, 2), 12690);
	tk_tdat_close(r);

	r = open_sample("sched-v7-none.dat");
	assert_int_equal(tk_tdat_get_info(r)->codec, TK_TDAT_CODEC_NONE);
	assert_int_equal(drain(r, NULL, 2), 13289);
	tk_tdat_close(r);
}

static void test_cpu_selection(void **state)
{
	struct tk_tdat_reader *r = open_sample("sched-v6.dat");
	long all[2] = { 0 }, only[2] = { 0 };
	uint64_t bits = 1u << 1;

	(void)state;
	drain(r, all, 2);
	tk_tdat_close(r);
	r = open_sample("sched-v6.dat");
	assert_int_equal(tk_tdat_select_cpus(r, &bits, 64), 0);
	drain(r, only, 2);
	assert_int_equal(only[0], 0);
	assert_int_equal(only[1], all[1]);
	assert_true(all[0] > 0);
	tk_tdat_close(r);
}

/* The zlib file and its v6 twin hold the same events: same times, CPUs,
 * payloads, in the same order. */
static void test_zlib_equals_v6_twin(void **state)
{
	char twin[] = "/tmp/tk-twin-XXXXXX", cmd[1024];
	struct tk_tdat_reader *a, *b;
	struct tk_tdat_rec ra, rb;
	struct tk_err e;
	long n = 0;
	int fd, x, y;

	(void)state;
	fd = mkstemp(twin);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "gzip -dc %s/sched-v7-zlib-twin-v6.dat.gz > %s", TK_SAMPLES,
		 twin);
	assert_int_equal(system(cmd), 0);
	a = open_sample("sched-v7-zlib.dat");
	assert_int_equal(tk_tdat_get_info(a)->codec, TK_TDAT_CODEC_ZLIB);
	tk_err_clear(&e);
	assert_int_equal(tk_tdat_open(twin, NULL, &b, &e), 0);
	for (;;) {
		x = tk_tdat_next(a, &ra);
		y = tk_tdat_next(b, &rb);
		assert_int_equal(x, y);
		if (x <= 0)
			break;
		assert_true(ra.rec->ts == rb.rec->ts);
		assert_int_equal(ra.cpu, rb.cpu);
		assert_int_equal(ra.rec->size, rb.rec->size);
		assert_memory_equal(ra.rec->data, rb.rec->data, (size_t)ra.rec->size);
		n++;
	}
	assert_int_equal(x, 0);
	assert_int_equal(n, 58639);
	tk_tdat_close(a);
	tk_tdat_close(b);
	unlink(twin);
}

/* Fields decode through libtraceevent with the file's own formats. */
static void test_fields_and_event_model(void **state)
{
	struct tk_tdat_reader *r = open_sample("sched-v6.dat");
	struct tep_handle *tep = tk_tdat_get_tep(r);
	struct tep_event *sw = tep_find_event_by_name(tep, "sched", "sched_switch");
	struct tk_tdat_rec tr;
	struct tk_event ev;
	long switches = 0;

	(void)state;
	assert_non_null(sw);
	while (tk_tdat_next(r, &tr) > 0) {
		unsigned long long prev_pid;

		tk_tdat_to_event(r, &tr, &ev);
		assert_int_equal(ev.cpu, tr.cpu);
		assert_true(ev.ts == tr.rec->ts);
		if (ev.u.generic.event_id != (uint32_t)sw->id)
			continue;
		/* the switching-out task is the one running: common_pid */
		assert_int_equal(tep_get_field_val(NULL, sw, "prev_pid", tr.rec, &prev_pid, 0), 0);
		assert_int_equal((uint32_t)prev_pid, ev.tid);
		switches++;
	}
	assert_int_equal(switches, 8945);
	tk_tdat_close(r);
}

static void expect_error(const char *name, int code, long long offset)
{
	char path[512];
	struct tk_tdat_reader *r = NULL;
	struct tk_err e;

	snprintf(path, sizeof(path), "%s/bad/%s", TK_SAMPLES, name);
	tk_err_clear(&e);
	assert_int_equal(tk_tdat_open(path, NULL, &r, &e), -code);
	assert_null(r);
	assert_int_equal(e.code, code);
	assert_int_equal(e.offset, offset);
	assert_true(strstr(e.file, name) != NULL);
}

static void test_bad_files(void **state)
{
	(void)state;
	expect_error("empty.dat", TK_EFORMAT, -1);
	expect_error("wrong-magic.dat", TK_EFORMAT, 0);
	expect_error("bad-version.dat", TK_EUNSUPP, 10);
	expect_error("truncated-header.dat", TK_ETRUNC, 30);
	expect_error("corrupt-header.dat", TK_ETRUNC, 30);
	expect_error("truncated-data.dat", TK_ETRUNC, 126976);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v6_info_and_count),
		cmocka_unit_test(test_v7_zstd_and_none),
		cmocka_unit_test(test_cpu_selection),
		cmocka_unit_test(test_zlib_equals_v6_twin),
		cmocka_unit_test(test_fields_and_event_model),
		cmocka_unit_test(test_bad_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
