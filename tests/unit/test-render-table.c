/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "render/table.h"

static void test_columns_align(void **state)
{
	struct tk_table *t = tk_table_create(2);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	tk_table_set_col(t, 0, "name", 0);
	tk_table_set_col(t, 1, "n", 1);
	tk_table_cell(t, "sched_switch");
	tk_table_cell(t, "%d", 5);
	tk_table_cell(t, "x");
	tk_table_cell(t, "%d", 12345);
	tk_table_print(t, f, "  ");
	fclose(f);
	assert_string_equal(buf, "  name              n\n"
				 "  sched_switch      5\n"
				 "  x             12345\n");
	free(buf);
	tk_table_destroy(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns_align),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
