/* SPDX-License-Identifier: MIT */
/*
 * The trace.dat writer, read back by our reader: every version and codec,
 * a CPU with more pages than one compressed chunk holds, a CPU without
 * data, CPUs never begun, and the options the recorder relies on. (The
 * recorder's tests compare real recordings with trace-cmd; these run
 * without root.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>
#include <traceevent/event-parse.h>

#include "formats/tdat-write.h"
#include "formats/tdat.h"

#define PAGE 4096u
#define RECS_PER_PAGE 10
#define PAGES0 25	/* > 2 chunks of 10 pages */

static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:1;\n";

static const char header_event[] = "# compressed entry header\n\ttype_len    :    5 bits\n";

static const char tkev_format[] =
	"name: tkev\n"
	"ID: 42\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:int value;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"value=%d\", REC->value\n";

static const char stats0[] = "entries: 250\noverrun: 7\ndropped events: 0\n";

/* page n of CPU 0: RECS_PER_PAGE records, values n*10 .. n*10+9 */
static void make_page(uint8_t *p, unsigned n)
{
	uint64_t ts = 1000000ull + n * 1000ull, commit = RECS_PER_PAGE * 16;
	unsigned i;

	memset(p, 0, PAGE);
	memcpy(p, &ts, 8);
	memcpy(p + 8, &commit, 8);
	for (i = 0; i < RECS_PER_PAGE; i++) {
		uint8_t *r = p + 16 + i * 16;
		uint32_t hdr = 3u | (10u << 5);	/* type_len 3: 12 bytes, delta 10 */
		uint16_t type = 42;
		int32_t pid = 1000, value = (int32_t)(n * RECS_PER_PAGE + i);

		memcpy(r, &hdr, 4);
		memcpy(r + 4, &type, 2);
		memcpy(r + 8, &pid, 4);
		memcpy(r + 12, &value, 4);
	}
}

static void write_file(const char *path, int version, enum tk_tdatw_codec codec)
{
	struct tk_tdatw_opts o = {
		.version = version, .codec = codec, .page_size = PAGE, .long_size = 8, .ncpus = 3,
	};
	struct tk_tdatw_blob fmt = { tkev_format, sizeof(tkev_format) - 1 };
	struct tk_tdatw_system sys = { "synth", &fmt, 1 };
	struct tk_tdatw_blob stats[3] = { { stats0, sizeof(stats0) - 1 }, { "", 0 }, { "", 0 } };
	struct tk_tdatw_meta m = {
		.header_page = { header_page, sizeof(header_page) - 1 },
		.header_event = { header_event, sizeof(header_event) - 1 },
		.systems = &sys,
		.nsystems = 1,
		.cmdlines = { "1000 worker\n", 12 },
		.trace_clock = "[local] global counter\n",
		.clock = "local",
		.uname = "Linux host 6.1 x86_64",
		.version = "tracekit-record test",
		.cpustats = stats,
	};
	uint8_t *pages = malloc((size_t)PAGES0 * PAGE);
	struct tk_err err;
	struct tk_tdatw *w;
	unsigned n;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_non_null(pages);
	tk_err_clear(&err);
	w = tk_tdatw_open(fd, path, &o, &err);
	assert_non_null(w);
	for (n = 0; n < PAGES0; n++)
		make_page(pages + (size_t)n * PAGE, n);
	assert_int_equal(tk_tdatw_write_meta(w, &m), 0);
	assert_int_equal(tk_tdatw_cpu_begin(w, 0), 0);
	/* in two writes that do not fall on a chunk boundary */
	assert_int_equal(tk_tdatw_cpu_write(w, pages, 7 * PAGE), 0);
	assert_int_equal(tk_tdatw_cpu_write(w, pages + 7 * PAGE, (PAGES0 - 7) * PAGE), 0);
	assert_int_equal(tk_tdatw_cpu_end(w), 0);
	/* CPU 1 begun without data; CPU 2 never begun */
	assert_int_equal(tk_tdatw_cpu_begin(w, 1), 0);
	assert_int_equal(tk_tdatw_cpu_end(w), 0);
	/* misuse is an error, and sticky */
	assert_int_equal(tk_tdatw_cpu_write(w, pages, 100), -TK_EINVAL);
	tk_tdatw_destroy(w);

	/* again, cleanly */
	assert_int_equal(ftruncate(fd, 0), 0);
	w = tk_tdatw_open(fd, path, &o, &err);
	assert_non_null(w);
	assert_int_equal(tk_tdatw_write_meta(w, &m), 0);
	assert_int_equal(tk_tdatw_cpu_begin(w, 0), 0);
	assert_int_equal(tk_tdatw_cpu_write(w, pages, PAGES0 * PAGE), 0);
	assert_int_equal(tk_tdatw_cpu_end(w), 0);
	assert_int_equal(tk_tdatw_cpu_begin(w, 1), 0);
	assert_int_equal(tk_tdatw_cpu_end(w), 0);
	assert_int_equal(tk_tdatw_finish(w), 0);
	assert_int_equal((long long)tk_tdatw_get_size(w), (long long)lseek(fd, 0, SEEK_END));
	tk_tdatw_destroy(w);
	close(fd);
	free(pages);
}

static void read_back(const char *path, int version, const char *codec)
{
	struct tk_tdat_opts ro = { .no_plugins = true };
	struct tk_tdat_reader *r = NULL;
	const struct tk_tdat_info *info;
	const struct tk_tdat_cpu_info *cpus;
	struct tk_tdat_rec rec;
	struct tk_err err;
	int ncpu, ret;
	unsigned count = 0;

	tk_err_clear(&err);
	ret = tk_tdat_open(path, &ro, &r, &err);
	if (ret)
		print_error("open %s: %s\n", path, err.msg);
	assert_int_equal(ret, 0);
	info = tk_tdat_get_info(r);
	assert_int_equal(info->version, version);
	assert_string_equal(info->codec_name, codec);
	assert_int_equal(info->ncpus, 3);
	assert_int_equal(info->page_size, PAGE);
	assert_string_equal(info->clock, "local");
	assert_string_equal(info->uname, "Linux host 6.1 x86_64");
	assert_string_equal(info->tracer_version, "tracekit-record test");
	assert_non_null(strstr(tk_tdat_get_cpustats(r), "CPU: 0\nentries: 250\noverrun: 7"));
	cpus = tk_tdat_get_cpus(r, 0, &ncpu);
	assert_int_equal(ncpu, 1);
	assert_int_equal(cpus[0].cpu, 0);
	assert_int_equal(cpus[0].data_offset % PAGE, 0);
	while ((ret = tk_tdat_next(r, &rec)) == 1) {
		int32_t value;
		unsigned page = count / RECS_PER_PAGE, i = count % RECS_PER_PAGE;

		assert_int_equal(rec.cpu, 0);
		assert_int_equal(rec.rec->ts, 1000000ull + page * 1000ull + (i + 1) * 10ull);
		memcpy(&value, (const uint8_t *)rec.rec->data + 8, 4);
		assert_int_equal(value, (int)count);
		count++;
	}
	if (ret < 0)
		print_error("next: %s\n", tk_tdat_get_err(r)->msg);
	assert_int_equal(ret, 0);
	assert_int_equal(count, PAGES0 * RECS_PER_PAGE);
	tk_tdat_close(r);
}

static void roundtrip(int version, enum tk_tdatw_codec codec)
{
	char path[] = "/tmp/tk-tdatw-XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	write_file(path, version, codec);
	read_back(path, version, tk_tdatw_codec_name(codec));
	unlink(path);
}

static void test_v6(void **state)
{
	(void)state;
	roundtrip(6, TK_TDATW_NONE);
}

static void test_v7_none(void **state)
{
	(void)state;
	roundtrip(7, TK_TDATW_NONE);
}

static void test_v7_zlib(void **state)
{
	(void)state;
	roundtrip(7, TK_TDATW_ZLIB);
}

static void test_v7_zstd(void **state)
{
	(void)state;
	roundtrip(7, TK_TDATW_ZSTD);
}

static void test_bad_opts(void **state)
{
	struct tk_tdatw_opts o = { .version = 6, .codec = TK_TDATW_ZSTD, .page_size = PAGE,
				   .long_size = 8, .ncpus = 1 };
	struct tk_err err;

	(void)state;
	tk_err_clear(&err);
	assert_null(tk_tdatw_open(1, "x", &o, &err));
	assert_int_equal(err.code, TK_EINVAL);
	o.version = 5;
	o.codec = TK_TDATW_NONE;
	tk_err_clear(&err);
	assert_null(tk_tdatw_open(1, "x", &o, &err));
	assert_int_equal(err.code, TK_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v6),
		cmocka_unit_test(test_v7_none),
		cmocka_unit_test(test_v7_zlib),
		cmocka_unit_test(test_v7_zstd),
		cmocka_unit_test(test_bad_opts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
