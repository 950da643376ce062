/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/fold.h"
#include "core/stacks.h"
#include "core/strtab.h"

struct text {
	const struct tk_strtab *names;
	char buf[4096];
	size_t len;
};

static int append(void *arg, const uint32_t *frames, size_t depth, uint64_t weight)
{
	struct text *t = arg;
	size_t i;

	for (i = 0; i < depth; i++)
		t->len += (size_t)snprintf(t->buf + t->len, sizeof(t->buf) - t->len, "%s%s",
					   i ? ";" : "", tk_strtab_get(t->names, frames[i]));
	t->len += (size_t)snprintf(t->buf + t->len, sizeof(t->buf) - t->len, " %llu\n",
				   (unsigned long long)weight);
	return 0;
}

/* The folded text of everything added so far. */
static const char *folded(struct tk_fold *f, struct text *t)
{
	t->names = tk_fold_get_names(f);
	t->len = 0;
	t->buf[0] = '\0';
	assert_int_equal(tk_stacks_walk_sorted(tk_fold_get_stacks(f), t->names, append, t), 0);
	return t->buf;
}

static const struct tk_fold_frame user_frames[] = {
	{ "401010", "work+0x10", "/usr/bin/app" },	/* leaf */
	{ "2724a", "[unknown]", "/usr/lib/x86_64-linux-gnu/libc.so.6" },
};

static struct tk_fold_sample sample(const char *comm, int64_t pid, int64_t tid, uint64_t period)
{
	return (struct tk_fold_sample){ .comm = comm, .pid = pid, .tid = tid,
					.event = "cycles", .event_shown = true,
					.period = period, .frames = user_frames, .nframes = 2 };
}

static void test_weights_and_order(void **state)
{
	struct tk_fold *f = tk_fold_create(&(struct tk_fold_opts){ 0 }, NULL);
	struct tk_fold_sample s = sample("app", -1, 10, 500);
	struct text t;

	(void)state;
	assert_int_equal(tk_fold_add(f, &s, NULL), 1);
	s.period = 0;		/* printed as 0: counts 1 */
	assert_int_equal(tk_fold_add(f, &s, NULL), 1);
	s.period = 7;
	s.event_shown = false;	/* not where the script looks: 1, and no filter */
	s.event = "other";
	assert_int_equal(tk_fold_add(f, &s, NULL), 1);
	s.nframes = 0;
	assert_int_equal(tk_fold_add(f, &s, NULL), 1);
	assert_string_equal(folded(f, &t), "app 1\napp;[libc.so.6];work 502\n");
	assert_int_equal(tk_fold_get_counts(f)->kept, 4);
	tk_fold_destroy(f);
}

static void test_process_frame(void **state)
{
	struct tk_fold *f = tk_fold_create(&(struct tk_fold_opts){ .tid = true }, NULL);
	struct tk_fold_sample s = sample("V8 Worker", -1, 10, 1);
	struct text t;

	(void)state;
	s.nframes = 0;
	tk_fold_add(f, &s, NULL);
	s = sample("swapper", 0, 0, 1);
	s.nframes = 0;
	tk_fold_add(f, &s, NULL);	/* TID 0: the PID becomes "?" */
	s = sample("app", 5, 6, 1);
	s.nframes = 0;
	tk_fold_add(f, &s, NULL);
	assert_string_equal(folded(f, &t), "V8_Worker-?/10 1\napp-5/6 1\nswapper-?/0 1\n");
	tk_fold_destroy(f);

	f = tk_fold_create(&(struct tk_fold_opts){ .pid = true }, NULL);
	s = sample("app", 5, 6, 1);
	s.nframes = 0;
	tk_fold_add(f, &s, NULL);
	assert_string_equal(folded(f, &t), "app-5 1\n");
	tk_fold_destroy(f);
}

static void test_event_filters(void **state)
{
	struct tk_fold *f = tk_fold_create(&(struct tk_fold_opts){ 0 }, NULL);
	struct tk_fold_sample s = sample("app", -1, 1, 1);
	const struct tk_fold_counts *c;

	(void)state;
	assert_int_equal(tk_fold_add(f, &s, NULL), 1);
	s.event = "instructions";
	assert_int_equal(tk_fold_add(f, &s, NULL), 0);
	s.event_shown = false;
	assert_int_equal(tk_fold_add(f, &s, NULL), 1);
	c = tk_fold_get_counts(f);
	assert_string_equal(c->event, "cycles");
	assert_true(c->event_defaulted);
	assert_int_equal(c->other_event, 1);
	tk_fold_destroy(f);

	/* explicit: by name, wherever the name was */
	f = tk_fold_create(&(struct tk_fold_opts){ .event = "sched:sched_switch" }, NULL);
	s.event = "sched:sched_switch";
	s.event_shown = false;
	assert_int_equal(tk_fold_add(f, &s, NULL), 1);
	s.event = NULL;
	assert_int_equal(tk_fold_add(f, &s, NULL), 0);
	s.event = "cycles";
	s.event_shown = true;
	assert_int_equal(tk_fold_add(f, &s, NULL), 0);
	assert_false(tk_fold_get_counts(f)->event_defaulted);
	tk_fold_destroy(f);
}

static void test_comm_filter_and_no_comm(void **state)
{
	static const char *const comms[] = { "a", "b" };
	struct tk_fold *f = tk_fold_create(
		&(struct tk_fold_opts){ .comms = comms, .ncomms = 2, .no_comm = true }, NULL);
	struct tk_fold_sample s = sample("b", -1, 1, 3);
	struct text t;

	(void)state;
	assert_int_equal(tk_fold_add(f, &s, NULL), 1);
	s.comm = "c";
	assert_int_equal(tk_fold_add(f, &s, NULL), 0);
	s.comm = "a";
	s.nframes = 0;		/* nothing left to fold */
	assert_int_equal(tk_fold_add(f, &s, NULL), 0);
	assert_string_equal(folded(f, &t), "[libc.so.6];work 3\n");
	assert_int_equal(tk_fold_get_counts(f)->other_comm, 1);
	tk_fold_destroy(f);
}

/* One callchain line per frame, leaf first; the folded name after it. */
static void test_frame_names(void **state)
{
	static const struct {
		struct tk_fold_frame fr;
		const char *name;
	} cases[] = {
		{ { "1", "f+0x1f", "/x" }, "f" },
		{ { "1", "f+0x1F", "/x" }, "f+0x1F" },			/* perf prints lower case */
		{ { "1", "f+0x1f+0x2", "/x" }, "f+0x1f" },
		{ { "1", "f(int, long)+0x3", "/x" }, "f" },
		{ { "1", "(anonymous namespace)::g(int)", "/x" }, NULL },	/* starts with '(' */
		{ { "1", "ns::(anonymous namespace)::g(int)", "/x" }, "ns::(anonymous namespace)::g" },
		{ { "1", "net/http.(*Client).Do", "/x" }, "net/http.(*Client).Do" },
		{ { "1", "a;b\"c'd", "/x" }, "a:bcd" },
		{ { "1", "[unknown]", "[unknown]" }, "[unknown <1>]" },
		{ { "ab12", "[unknown]", "/usr/lib/libz.so.1" }, "[libz.so.1 <ab12>]" },
		{ { "1", "sys_read", "[kernel.kallsyms]" }, "sys_read_[k]" },
		{ { "1", "vdso_x", "[vdso]" }, "vdso_x_[k]" },
		{ { "1", "drv", "/lib/modules/6.1/vmlinux" }, "drv_[k]" },
		{ { "1", "[unknown]", "[kernel.kallsyms]" }, "[[kernel.kallsyms] <1>]_[k]" },
		{ { "1", "jitted", "/tmp/perf-42.map" }, "jitted_[j]" },
		{ { "1", "already_[j]", "/tmp/perf-42.map" }, "already_[j]" },
		{ { "1", "user", "/usr/bin/app" }, "user" },
	};
	struct tk_fold *f;
	struct tk_fold_sample s = sample("app", -1, 1, 1);
	struct text t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[256];

		f = tk_fold_create(&(struct tk_fold_opts){ .addrs = true, .annotate_kernel = true,
							   .annotate_jit = true },
				   NULL);
		s.frames = &cases[i].fr;
		s.nframes = 1;
		tk_fold_add(f, &s, NULL);
		if (cases[i].name)
			snprintf(want, sizeof(want), "app;%s 1\n", cases[i].name);
		else
			snprintf(want, sizeof(want), "app 1\n");
		assert_string_equal(folded(f, &t), want);
		tk_fold_destroy(f);
	}
}

/* "a->b->" is a and its inlined b; java comms lose the 'L' of class paths. */
static void test_inline_and_java(void **state)
{
	static const struct tk_fold_frame frames[] = {
		{ "3", "Ljava/io/PrintStream;::print", "/tmp/perf-1.map" },
		{ "2", "outer->inner->+0x5", "/x" },
	};
	struct tk_fold *f = tk_fold_create(&(struct tk_fold_opts){ .annotate_kernel = true }, NULL);
	struct tk_fold_sample s = sample("java", -1, 1, 1);
	struct text t;

	(void)state;
	s.frames = frames;
	s.nframes = 2;
	tk_fold_add(f, &s, NULL);
	s.comm = "app";
	tk_fold_add(f, &s, NULL);
	assert_string_equal(folded(f, &t),
			    "app;outer;inner_[i];Ljava/io/PrintStream:::print 1\n"
			    "java;outer;inner_[i];java/io/PrintStream:::print 1\n");
	tk_fold_destroy(f);
	tk_fold_destroy(NULL);
}

static void test_memory_cap(void **state)
{
	struct tk_fold *f = tk_fold_create(&(struct tk_fold_opts){ .max_bytes = 200000 }, NULL);
	struct tk_fold_frame fr = { "1", NULL, "/x" };
	struct tk_fold_sample s = sample("app", -1, 1, 1);
	struct tk_err err;
	char name[32];
	int i, ret = 1;

	(void)state;
	tk_err_clear(&err);
	s.frames = &fr;
	s.nframes = 1;
	for (i = 0; i < 1000000 && ret >= 0; i++) {
		snprintf(name, sizeof(name), "fn_%d", i);
		fr.sym = name;
		ret = tk_fold_add(f, &s, &err);
	}
	assert_int_equal(ret, -TK_ELIMIT);
	assert_string_equal(err.msg, "stack table over its memory limit");
	tk_fold_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weights_and_order),
		cmocka_unit_test(test_process_frame),
		cmocka_unit_test(test_event_filters),
		cmocka_unit_test(test_comm_filter_and_no_comm),
		cmocka_unit_test(test_frame_names),
		cmocka_unit_test(test_inline_and_java),
		cmocka_unit_test(test_memory_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
