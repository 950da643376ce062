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
#include "core/stacks.h"
#include "core/strtab.h"
#include "formats/folded.h"

static void test_parse_line(void **state)
{
	struct tk_folded_line l;

	(void)state;
	assert_true(tk_folded_parse_line("a;b;c 31", 8, &l));
	assert_int_equal(l.stack_len, 5);
	assert_memory_equal(l.stack, "a;b;c", 5);
	assert_true(l.count == 31.0);
	assert_false(l.differential);
	assert_true(tk_folded_parse_line("a b\t2.5", 7, &l));	/* spaces in names; decimals */
	assert_int_equal(l.stack_len, 3);
	assert_true(l.count == 2.5);
	assert_true(tk_folded_parse_line("x 12.", 5, &l));
	assert_true(l.count == 12.0);
	assert_true(tk_folded_parse_line("x;y 10 15", 9, &l));	/* differential */
	assert_true(l.differential);
	assert_int_equal(l.stack_len, 3);
	assert_true(l.count == 10.0 && l.count2 == 15.0);
	assert_true(tk_folded_parse_line("x  5", 4, &l));	/* one blank taken */
	assert_int_equal(l.stack_len, 2);
	assert_true(tk_folded_parse_line(" 5", 2, &l));
	assert_int_equal(l.stack_len, 0);
	assert_false(tk_folded_parse_line("x .5", 4, &l));
	assert_false(tk_folded_parse_line("x 5a", 4, &l));
	assert_false(tk_folded_parse_line("x", 1, &l));
	assert_false(tk_folded_parse_line("5", 1, &l));
	assert_false(tk_folded_parse_line("", 0, &l));
}

static void test_write(void **state)
{
	struct tk_strtab *t = tk_strtab_create(0);
	struct tk_stacks *s = tk_stacks_create(0);
	uint32_t a, b, c, ids[3];
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	(void)state;
	tk_strtab_intern(t, "comm", 4, &a);
	tk_strtab_intern(t, "main", 4, &b);
	tk_strtab_intern(t, "main+", 5, &c);
	ids[0] = a, ids[1] = b, ids[2] = c;
	tk_stacks_add(s, ids, 2, 3, NULL);
	tk_stacks_add(s, ids, 3, 4, NULL);
	ids[1] = c;
	tk_stacks_add(s, ids, 2, 18446744073709551615ull, NULL);
	assert_int_equal(tk_folded_write(out, s, t, NULL), 0);
	fclose(out);
	assert_string_equal(buf, "comm;main 3\ncomm;main+ 18446744073709551615\n"
				 "comm;main;main+ 4\n");
	free(buf);
	tk_stacks_destroy(s);
	tk_strtab_destroy(t);
}

static void test_reader(void **state)
{
	static const char text[] = "a;b 1\nnot a folded line\n\nc 2.5\nd 1 2";
	struct tk_folded_reader *r;
	struct tk_folded_line l;
	FILE *f = tmpfile();
	int fd;

	(void)state;
	fputs(text, f);
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	lseek(fd, 0, SEEK_SET);
	assert_int_equal(tk_folded_open_fd(fd, "t", NULL, &r, NULL), 0);
	assert_int_equal(tk_folded_next(r, &l), 1);
	assert_int_equal(l.line, 1);
	assert_int_equal(tk_folded_next(r, &l), 1);
	assert_int_equal(l.line, 4);
	assert_int_equal(l.offset, 25);
	assert_true(l.count == 2.5);
	assert_int_equal(tk_folded_next(r, &l), 1);
	assert_true(l.differential);
	assert_int_equal(tk_folded_next(r, &l), 0);
	assert_int_equal(tk_folded_get_counts(r)->bad_lines, 2);
	assert_int_equal(tk_folded_get_counts(r)->first_bad_line, 2);
	tk_folded_close(r);
	close(fd);
	tk_folded_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_line),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
