/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/err.h"

static void test_format_with_offset(void **state)
{
	struct tk_err e;
	char buf[512];

	(void)state;
	tk_err_clear(&e);
	tk_err_set_file(&e, "trace.dat");
	assert_int_equal(tk_err_set(&e, TK_ECORRUPT, 4096, "page header size %d", 0), -TK_ECORRUPT);
	tk_err_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "trace.dat: offset 4096 (0x1000): page header size 0");
}

static void test_first_cause_wins(void **state)
{
	struct tk_err e;

	(void)state;
	tk_err_clear(&e);
	tk_err_set(&e, TK_ETRUNC, 10, "first");
	tk_err_set(&e, TK_ECORRUPT, 20, "second");
	assert_int_equal(e.code, TK_ETRUNC);
	assert_int_equal(e.offset, 10);
	assert_string_equal(e.msg, "first");
}

static void test_sys_error_keeps_errno(void **state)
{
	struct tk_err e;
	char buf[512];

	(void)state;
	tk_err_clear(&e);
	tk_err_set_file(&e, "x");
	tk_err_sys(&e, ENOENT, -1, "cannot open");
	assert_int_equal(e.code, TK_EIO);
	assert_int_equal(e.sys_errno, ENOENT);
	tk_err_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "x: cannot open: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_with_offset),
		cmocka_unit_test(test_first_cause_wins),
		cmocka_unit_test(test_sys_error_keeps_errno),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
