/* SPDX-License-Identifier: MIT */
/*
 * The event source on real recordings: every modelled kind counted against
 * the peers' counts (trace-cmd report for trace.dat, perf script for
 * perf.data; see samples/README.md), stacks attached to their events, and
 * the schema answering names, fields, comms and thread groups.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/schema.h"
#include "formats/evsrc.h"

struct counts {
	long kind[16];
	long wake_new, waking, tp_fork;
	long stacks_after_syscall;
	long stack_frames;
	long with_payload;
	uint64_t last_ts;
	bool ordered;
};

static struct tk_evsrc *open_sample(const char *name)
{
	char path[512];
	struct tk_evsrc *s = NULL;
	struct tk_err e;

	snprintf(path, sizeof(path), "%s/%s", TK_SAMPLES, name);
	tk_err_clear(&e);
	assert_int_equal(tk_evsrc_open(path, NULL, &s, &e), 0);
	assert_non_null(s);
	return s;
}

static void drain(struct tk_evsrc *s, struct counts *c)
{
	struct tk_event ev;
	const struct tk_payload *pl;
	int prev_kind[8] = { -1, -1, -1, -1, -1, -1, -1, -1 }, rc;

	memset(c, 0, sizeof(*c));
	c->ordered = true;
	while ((rc = tk_evsrc_next(s, &ev, &pl)) > 0) {
		assert_true(ev.kind < 16);
		c->kind[ev.kind]++;
		if (pl)
			c->with_payload++;
		if (ev.kind == TK_EV_WAKEUP && (ev.flags & TK_EVF_WAKE_NEW))
			c->wake_new++;
		if (ev.kind == TK_EV_WAKEUP && (ev.flags & TK_EVF_WAKING))
			c->waking++;
		if (ev.kind == TK_EV_FORK && pl)
			c->tp_fork++;
		if (ev.kind == TK_EV_STACK) {
			c->stack_frames += ev.u.stack.n;
			if (ev.cpu < 8 && prev_kind[ev.cpu] == TK_EV_GENERIC)
				c->stacks_after_syscall++;
		}
		if (pl && ev.kind != TK_EV_STACK) {
			if (ev.ts < c->last_ts)
				c->ordered = false;
			c->last_ts = ev.ts;
		}
		if (ev.cpu < 8)
			prev_kind[ev.cpu] = ev.kind;
	}
	assert_int_equal(rc, 0);
}

static void test_tdat_sched(void **state)
{
	struct tk_evsrc *s = open_sample("sched-v6.dat");
	const struct tk_schema *sch = tk_evsrc_get_schema(s);
	struct counts c;
	struct tk_field f;
	uint32_t id;

	(void)state;
	drain(s, &c);
	assert_true(c.ordered);
	assert_int_equal(c.kind[TK_EV_SWITCH], 8945);
	assert_int_equal(c.kind[TK_EV_WAKEUP], 5637 + 7);
	assert_int_equal(c.wake_new, 7);
	assert_int_equal(c.kind[TK_EV_FORK], 7);
	assert_int_equal(c.kind[TK_EV_EXEC], 4);
	assert_int_equal(c.kind[TK_EV_EXIT], 8);
	assert_int_equal(c.with_payload, 14608);
	assert_int_equal(sch->ops->find_event(sch->arg, "sched:sched_switch", &id), 1);
	assert_string_equal(sch->ops->event_name(sch->arg, id), "sched:sched_switch");
	assert_int_equal(sch->ops->find_field(sch->arg, id, "next_comm", &f), 1);
	assert_true(f.flags & TK_FIELD_STRING);
	assert_int_equal(f.size, 16);
	assert_int_equal(sch->ops->find_field(sch->arg, id, "no_such_field", &f), 0);
	assert_string_equal(sch->ops->field_name(sch->arg, id, 0), "common_type");
	assert_int_equal(sch->ops->find_event(sch->arg, "no:such", &id), 0);
	tk_evsrc_close(s);
}

static void test_tdat_stacks(void **state)
{
	struct tk_evsrc *s = open_sample("syscalls-stack.dat");
	struct counts c;

	(void)state;
	drain(s, &c);
	/* one kernel_stack after each of the 28,336 syscall events, 4 frames each
	 * in trace-cmd report's text ("=> func (addr)" lines: 113,344) */
	assert_int_equal(c.kind[TK_EV_STACK], 28336);
	assert_int_equal(c.stacks_after_syscall, 28336);
	assert_int_equal(c.kind[TK_EV_GENERIC], 28336);
	assert_int_equal(c.stack_frames, 170017 - 1 - 56672);
	tk_evsrc_close(s);
}

static void test_pdat_sched(void **state)
{
	struct tk_evsrc *s = open_sample("perf-sched.data");
	const struct tk_schema *sch = tk_evsrc_get_schema(s);
	struct counts c;

	(void)state;
	drain(s, &c);
	assert_true(c.ordered);
	assert_int_equal(c.kind[TK_EV_SWITCH], 2339);
	assert_int_equal(c.kind[TK_EV_WAKEUP], 1397 + 7);
	assert_int_equal(c.waking, 1397);
	assert_int_equal(c.wake_new, 7);
	assert_int_equal(c.kind[TK_EV_MIGRATE], 109);
	assert_int_equal(c.tp_fork, 7);
	assert_int_equal(c.kind[TK_EV_RUNTIME], 2824);
	assert_int_equal(c.kind[TK_EV_EXIT], 8);
	assert_int_equal(c.kind[TK_EV_COMM], 75);
	assert_string_equal(sch->ops->comm(sch->arg, 3174), "busy");
	assert_int_equal(sch->ops->tgid(sch->arg, 3174), 3172);
	tk_evsrc_close(s);
}

static void test_pdat_callchains(void **state)
{
	struct tk_evsrc *s = open_sample("perf-tp-g.data");
	struct counts c;

	(void)state;
	drain(s, &c);
	assert_int_equal(c.kind[TK_EV_SWITCH], 2124);
	assert_int_equal(c.kind[TK_EV_WAKEUP], 1204);
	assert_int_equal(c.kind[TK_EV_STACK], 2124 + 1204);
	tk_evsrc_close(s);
}

static void test_errors(void **state)
{
	struct tk_evsrc *s = NULL;
	struct tk_err e;

	(void)state;
	tk_err_clear(&e);
	assert_true(tk_evsrc_open("/nonexistent/x.dat", NULL, &s, &e) < 0);
	assert_null(s);
	assert_int_equal(e.code, TK_EIO);
	tk_err_clear(&e);
	assert_true(tk_evsrc_open(TK_SAMPLES "/README.md", NULL, &s, &e) < 0);
	assert_null(s);
	assert_int_equal(e.code, TK_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tdat_sched),
		cmocka_unit_test(test_tdat_stacks),
		cmocka_unit_test(test_pdat_sched),
		cmocka_unit_test(test_pdat_callchains),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
