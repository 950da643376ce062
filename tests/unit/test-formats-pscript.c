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
#include "formats/pscript.h"

static struct tk_pscript_reader *reader_on(const char *text, const struct tk_pscript_opts *o)
{
	struct tk_pscript_reader *r;
	FILE *f = tmpfile();
	int fd;

	assert_non_null(f);
	fputs(text, f);
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	lseek(fd, 0, SEEK_SET);
	assert_int_equal(tk_pscript_open_fd(fd, "t", o, &r, NULL), 0);
	return r;
}

static void test_headers(void **state)
{
	struct tk_pscript_reader *r = reader_on(
		"V8 WorkerThread 24636/25607 [002] 94564.109216:     100 cycles:ppp: \n"
		"\t    7f00 foo+0x1 (/usr/lib/libfoo.so (deleted))\n"
		"\t ffffffff81000000 [unknown] ([kernel.kallsyms])\n"
		"\n"
		"busy  3183 [000]   171.445469: sched:sched_wakeup: comm=busy pid=3187\n"
		"\tffffffff81 ttwu+0x1 ([kernel.kallsyms])\n"
		"\n"
		"xy 12 1.5:  7  instructions:\n",
		NULL);
	struct tk_pscript_sample s;

	(void)state;
	assert_int_equal(tk_pscript_next(r, &s), 1);
	assert_string_equal(s.comm, "V8 WorkerThread");
	assert_int_equal(s.pid, 24636);
	assert_int_equal(s.tid, 25607);
	assert_int_equal(s.cpu, 2);
	assert_string_equal(s.time, "94564.109216");
	assert_string_equal(s.event, "cycles:ppp");
	assert_true(s.event_shown);
	assert_int_equal(s.period, 100);
	assert_int_equal(s.nframes, 2);
	assert_string_equal(s.frames[0].pc, "7f00");
	/* the script's greedy match: the last " (" starts the DSO */
	assert_string_equal(s.frames[0].sym, "foo+0x1 (/usr/lib/libfoo.so");
	assert_string_equal(s.frames[0].dso, "deleted)");
	assert_string_equal(s.frames[1].sym, "[unknown]");
	assert_string_equal(s.frames[1].dso, "[kernel.kallsyms]");
	assert_int_equal(s.line, 1);
	assert_int_equal(s.offset, 0);

	assert_int_equal(tk_pscript_next(r, &s), 1);
	assert_string_equal(s.comm, "busy");
	assert_int_equal(s.pid, -1);
	assert_int_equal(s.tid, 3183);
	assert_string_equal(s.event, "sched:sched_wakeup");
	assert_false(s.event_shown);
	assert_int_equal(s.period, 0);
	assert_string_equal(s.payload, "comm=busy pid=3187");
	assert_int_equal(s.nframes, 1);

	/* the end of the input ends the last sample */
	assert_int_equal(tk_pscript_next(r, &s), 1);
	assert_string_equal(s.comm, "xy");
	assert_int_equal(s.tid, 12);
	assert_int_equal(s.cpu, -1);
	assert_int_equal(s.period, 7);
	assert_string_equal(s.event, "instructions");
	assert_int_equal(s.nframes, 0);
	assert_int_equal(tk_pscript_next(r, &s), 0);
	assert_int_equal(tk_pscript_get_counts(r)->samples, 3);
	assert_int_equal(tk_pscript_get_counts(r)->bad_lines, 0);
	tk_pscript_close(r);
}

/* stackcollapse-perf.pl's regular expressions, corner by corner. */
static void test_perl_corners(void **state)
{
	struct tk_pscript_reader *r = reader_on(
		"# comment\n"
		"a  3137 1.0: 5 cycles:\n"		/* one-letter comm: Perl keeps a space */
		"\t    7f0000009000 (/usr/bin/x)\n"	/* no symbol: Perl's backtracking */
		"\t    7f00   (/usr/bin/y)\n"
		"\tnot a frame line\n"
		"\n"
		"\t4 orphan (/x)\n"
		"kworker/0:1 1:2 12/ 3 4.0: cycles:\n",	/* "1:2" is no id; "12/" is */
		NULL);
	struct tk_pscript_sample s;
	const struct tk_pscript_counts *c;

	(void)state;
	assert_int_equal(tk_pscript_next(r, &s), 1);
	assert_string_equal(s.comm, "a ");
	assert_int_equal(s.nframes, 2);
	assert_string_equal(s.frames[0].pc, "7f000000900");
	assert_string_equal(s.frames[0].sym, "0");
	assert_string_equal(s.frames[1].pc, "7f00");
	assert_string_equal(s.frames[1].sym, " ");
	assert_int_equal(tk_pscript_next(r, &s), 1);
	assert_string_equal(s.comm, "kworker/0:1 1:2");
	assert_int_equal(s.pid, -1);
	assert_int_equal(s.tid, 12);
	assert_true(s.event_shown);
	assert_int_equal(s.period, 0);
	assert_int_equal(tk_pscript_next(r, &s), 0);
	c = tk_pscript_get_counts(r);
	assert_int_equal(c->comments, 1);
	assert_int_equal(c->bad_lines, 1);
	assert_int_equal(c->first_bad_line, 5);
	assert_int_equal(c->orphan_frames, 1);
	tk_pscript_close(r);
}

/* Without callchains: right-aligned comms, no blank lines. */
static void test_no_callchain(void **state)
{
	static const char line1[] =
		"            perf  3170 [000]   170.182867: sched:sched_stat_runtime: comm=perf\n";
	char text[256];
	struct tk_pscript_reader *r;
	struct tk_pscript_sample s;

	(void)state;
	snprintf(text, sizeof(text), "%s%s", line1,
		 "     migration/0    18 [000]   170.182886:       sched:sched_waking: comm=perf\n");
	r = reader_on(text, NULL);
	assert_int_equal(tk_pscript_next(r, &s), 1);
	assert_string_equal(s.comm, "perf");
	assert_string_equal(s.event, "sched:sched_stat_runtime");
	assert_int_equal(s.line, 1);
	assert_int_equal(tk_pscript_next(r, &s), 1);
	assert_string_equal(s.comm, "migration/0");
	assert_int_equal(s.tid, 18);
	assert_string_equal(s.event, "sched:sched_waking");
	assert_int_equal(s.line, 2);
	assert_int_equal(s.offset, (int64_t)strlen(line1));
	assert_int_equal(tk_pscript_next(r, &s), 0);
	tk_pscript_close(r);
}

static void test_limits(void **state)
{
	struct tk_pscript_reader *r;
	struct tk_pscript_sample s;
	static char text[8192];
	size_t pos, last = 0;
	int i;

	(void)state;
	pos = (size_t)snprintf(text, sizeof(text), "app 1 1.0: 1 cycles:\n");
	for (i = 0; i < 100; i++) {
		last = pos;
		pos += (size_t)snprintf(text + pos, sizeof(text) - pos, "\t%x f (/x)\n", i + 1);
	}
	r = reader_on(text, &(struct tk_pscript_opts){ .max_frames = 99 });
	assert_int_equal(tk_pscript_next(r, &s), -TK_ELIMIT);
	assert_string_equal(tk_pscript_get_err(r)->msg,
			    "more than 99 callchain lines in the sample at line 1");
	assert_int_equal(tk_pscript_get_err(r)->offset, (int64_t)last);	/* the 100th */
	assert_int_equal(tk_pscript_next(r, &s), -TK_ELIMIT);	/* sticky */
	tk_pscript_close(r);

	r = reader_on("app 1 1.0: 1 cycles:\n\t1 a_very_long_symbol_name (/x)\n",
		      &(struct tk_pscript_opts){ .max_line = 16 });
	assert_int_equal(tk_pscript_next(r, &s), -TK_ELIMIT);
	assert_string_equal(tk_pscript_get_err(r)->msg, "line longer than 16 bytes");
	tk_pscript_close(r);
	tk_pscript_close(NULL);
}

/* Push mode gives the samples the reader gives. */
static void test_push(void **state)
{
	static const char *const lines[] = {
		"app 1 1.0: 5 cycles:", "\t1 a+0x1 (/x)", "\t2 b+0x2 (/x)", "",
		"   app 2 [000] 2.0: 7 cycles:  3 c+0x3 (/x)",	/* no callchain: no blank line */
		"app 3 3.0: 9 cycles:", "\t4 d (/x)",
	};
	struct tk_pscript_reader *r;
	struct tk_pscript_sample s;
	size_t i;
	int got = 0, ret;

	(void)state;
	assert_int_equal(tk_pscript_create("mem", NULL, &r, NULL), 0);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		ret = tk_pscript_push(r, lines[i], strlen(lines[i]), &s);
		assert_true(ret >= 0);
		if (!ret)
			continue;
		got++;
		if (got == 1) {
			assert_int_equal(s.tid, 1);
			assert_int_equal(s.nframes, 2);
			assert_string_equal(s.frames[1].sym, "b+0x2");
		} else {
			assert_int_equal(s.tid, 2);
			assert_int_equal(s.nframes, 0);
			assert_false(s.event_shown);	/* the ip follows the event */
			assert_string_equal(s.event, "cycles");
		}
	}
	assert_int_equal(got, 2);
	assert_int_equal(tk_pscript_finish(r, &s), 1);
	assert_int_equal(s.tid, 3);
	assert_int_equal(s.nframes, 1);
	assert_int_equal(s.offset, 21 + 14 + 14 + 1 + 44);
	assert_int_equal(tk_pscript_finish(r, &s), 0);
	assert_int_equal(tk_pscript_next(r, &s), -TK_EINVAL);
	tk_pscript_close(r);
}

static void test_open_errors(void **state)
{
	struct tk_pscript_reader *r;
	struct tk_err err;

	(void)state;
	tk_err_clear(&err);
	assert_int_equal(tk_pscript_open("/nonexistent/x", NULL, &r, &err), -TK_EIO);
	assert_null(r);
	assert_string_equal(err.msg, "cannot open: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_perl_corners),
		cmocka_unit_test(test_no_callchain),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_push),
		cmocka_unit_test(test_open_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
