/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/err.h"
#include "core/lineread.h"

/* A temporary file holding buf; returns its fd at offset 0. */
static int file_with(const char *buf, size_t len)
{
	FILE *f = tmpfile();
	int fd;

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static void test_lines_across_reads(void **state)
{
	/* 3000 lines of 50 bytes cross the 64 KiB read size several times */
	enum { N = 3000 };
	static char buf[N * 50 + 16];
	struct tk_lineread *lr;
	struct tk_err err;
	const char *l;
	size_t len, pos = 0;
	int64_t off;
	int i, fd;

	(void)state;
	for (i = 0; i < N; i++)
		pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, "%-48d|\n", i);
	memcpy(buf + pos, "\nlast", 5);
	fd = file_with(buf, pos + 5);
	lr = tk_lineread_create(fd, 0);
	tk_err_clear(&err);
	for (i = 0; i < N; i++) {
		char want[64];

		snprintf(want, sizeof(want), "%-48d|", i);
		assert_int_equal(tk_lineread_next(lr, &l, &len, &off, &err), 1);
		assert_int_equal(len, 49);
		assert_memory_equal(l, want, 49);
		assert_int_equal(off, (int64_t)i * 50);
	}
	assert_int_equal(tk_lineread_next(lr, &l, &len, &off, &err), 1);
	assert_int_equal(len, 0);
	assert_int_equal(tk_lineread_next(lr, &l, &len, &off, &err), 1);	/* no '\n' */
	assert_int_equal(len, 4);
	assert_memory_equal(l, "last", 4);
	assert_int_equal(tk_lineread_next(lr, &l, &len, &off, &err), 0);
	assert_int_equal(tk_lineread_next(lr, &l, &len, &off, &err), 0);
	tk_lineread_destroy(lr);
	close(fd);
}

static void test_long_line_is_an_error(void **state)
{
	static char buf[200000];
	struct tk_lineread *lr;
	struct tk_err err;
	const char *l;
	size_t len;
	int64_t off;
	int fd;

	(void)state;
	memcpy(buf, "ok\n", 3);
	memset(buf + 3, 'x', sizeof(buf) - 3);
	fd = file_with(buf, sizeof(buf));
	lr = tk_lineread_create(fd, 100000);
	tk_err_clear(&err);
	assert_int_equal(tk_lineread_next(lr, &l, &len, &off, &err), 1);
	assert_int_equal(tk_lineread_next(lr, &l, &len, &off, &err), -TK_ELIMIT);
	assert_int_equal(err.code, TK_ELIMIT);
	assert_int_equal(err.offset, 3);
	assert_string_equal(err.msg, "line longer than 100000 bytes");
	tk_lineread_destroy(lr);
	tk_lineread_destroy(NULL);
	close(fd);
}

static void test_empty_input(void **state)
{
	struct tk_lineread *lr;
	struct tk_err err;
	const char *l;
	size_t len;
	int64_t off;
	int fd;

	(void)state;
	fd = file_with("", 0);
	lr = tk_lineread_create(fd, 0);
	assert_int_equal(tk_lineread_next(lr, &l, &len, &off, &err), 0);
	tk_lineread_destroy(lr);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_across_reads),
		cmocka_unit_test(test_long_line_is_an_error),
		cmocka_unit_test(test_empty_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
