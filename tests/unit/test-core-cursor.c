/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/cursor.h"

static void test_reads_in_order_and_swaps(void **state)
{
	static const uint8_t buf[] = { 0x01, 0x02, 0x00, 0x00, 0x00, 0x03, 'h', 'i', 0, 0xff };
	struct tk_cursor c;

	(void)state;
	tk_cur_init(&c, buf, sizeof(buf), 100, false);
	assert_int_equal(tk_cur_u16(&c), 0x0201);
	tk_cur_init(&c, buf, sizeof(buf), 100, true);
	assert_int_equal(tk_cur_u16(&c), 0x0102);
	assert_int_equal(tk_cur_u32(&c), 3);
	assert_int_equal(tk_cur_off(&c), 106);
	assert_string_equal(tk_cur_str0(&c), "hi");
	assert_int_equal(tk_cur_left(&c), 1);
	assert_false(c.trunc);
}

static void test_short_read_is_sticky(void **state)
{
	static const uint8_t buf[] = { 1, 2, 3 };
	struct tk_cursor c;

	(void)state;
	tk_cur_init(&c, buf, sizeof(buf), 0, false);
	assert_int_equal(tk_cur_u32(&c), 0);
	assert_true(c.trunc);
	/* later reads fail too, even ones that would fit */
	assert_int_equal(tk_cur_u8(&c), 0);
	assert_int_equal(tk_cur_left(&c), 0);
}

static void test_str0_without_nul_fails(void **state)
{
	static const uint8_t buf[] = { 'a', 'b', 'c' };
	struct tk_cursor c;

	(void)state;
	tk_cur_init(&c, buf, sizeof(buf), 0, false);
	assert_null(tk_cur_str0(&c));
	assert_true(c.trunc);
}

static void test_u64_unaligned(void **state)
{
	uint8_t buf[9] = { 0 };
	struct tk_cursor c;

	(void)state;
	buf[1] = 0x88;
	buf[8] = 0x11;
	tk_cur_init(&c, buf, sizeof(buf), 0, false);
	tk_cur_u8(&c);
	assert_true(tk_cur_u64(&c) == 0x1100000000000088ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_in_order_and_swaps),
		cmocka_unit_test(test_short_read_is_sticky),
		cmocka_unit_test(test_str0_without_nul_fails),
		cmocka_unit_test(test_u64_unaligned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
