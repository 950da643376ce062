/* SPDX-License-Identifier: MIT */
/*
 * tk_evfold on hand-made event streams: where stacks attach (their CPU's
 * last event, other CPUs' events between), when an off-CPU interval starts
 * and ends, the filters (state, CPU, window, event), wakeup attribution,
 * and user frames above kernel frames.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/evfold.h"
#include "analyze/fold.h"
#include "core/stacks.h"
#include "core/strtab.h"

/* ---- a schema: comms by tid, two kernel symbols ---- */

static const char *s_comm(void *arg, uint32_t tid)
{
	(void)arg;
	switch (tid) {
	case 10: return "app";
	case 20: return "waker";
	default: return NULL;
	}
}

static uint32_t s_tgid(void *arg, uint32_t tid)
{
	(void)arg;
	return tid == 11 ? 10 : tid;
}

static const char *s_ksym(void *arg, uint64_t addr, uint64_t *off)
{
	(void)arg;
	(void)off;
	if (addr >= 0x1000 && addr < 0x1100)
		return "schedule";
	if (addr >= 0x2000 && addr < 0x2100)
		return "do_syscall_64";
	if (addr >= 0x3000 && addr < 0x3100)
		return "try_to_wake_up";
	return NULL;
}

static const char *s_str(void *arg, uint32_t id)
{
	(void)arg;
	return id == 1 ? "app" : id == 2 ? "app-renamed" : NULL;
}

static int s_find_event(void *arg, const char *name, uint32_t *id)
{
	(void)arg;
	(void)name;
	*id = 7;
	return 1;
}

static const struct tk_schema_ops ops = {
	.find_event = s_find_event,
	.str = s_str,
	.comm = s_comm,
	.tgid = s_tgid,
	.ksym = s_ksym,
};
static const struct tk_schema schema = { &ops, NULL };

/* ---- events ---- */

static const uint64_t kstack[] = { 0x1010, 0x2020 };	/* leaf first */
static const uint64_t ustack[] = { 0x401000, 0x402000 };
static const uint64_t wstack[] = { 0x3030, 0x2020 };

static struct tk_event sw(uint64_t ts, uint16_t cpu, uint32_t prev, uint16_t state, uint32_t next)
{
	struct tk_event e = { .ts = ts, .tid = prev, .cpu = cpu, .kind = TK_EV_SWITCH };

	e.u.sw.next_tid = next;
	e.u.sw.prev_state = state;
	e.u.sw.prev_comm = prev == 10 ? 1 : TK_NOSTR;
	e.u.sw.next_comm = TK_NOSTR;
	return e;
}

static struct tk_event stk(uint64_t ts, uint16_t cpu, uint32_t tid, const uint64_t *ips,
			   uint32_t n, bool user)
{
	struct tk_event e = { .ts = ts, .tid = tid, .cpu = cpu, .kind = TK_EV_STACK };

	e.u.stack.ips = ips;
	e.u.stack.n = n;
	e.u.stack.user = user;
	return e;
}

static struct tk_event gen(uint64_t ts, uint16_t cpu, uint32_t tid, uint32_t id)
{
	struct tk_event e = { .ts = ts, .tid = tid, .cpu = cpu, .kind = TK_EV_GENERIC };

	e.u.generic.event_id = id;
	return e;
}

static struct tk_event wake(uint64_t ts, uint16_t cpu, uint32_t waker, uint32_t target,
			    uint8_t flags)
{
	struct tk_event e = { .ts = ts, .tid = waker, .cpu = cpu, .kind = TK_EV_WAKEUP,
			      .flags = flags };

	e.u.wake.target_tid = target;
	e.u.wake.success = 1;
	return e;
}

/* ---- running a stream ---- */

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

static struct text out;
static struct tk_evfold_counts counts;

/* Fold evs with opts (schema filled in); the folded text. */
static const char *run(const struct tk_fold_opts *fo, struct tk_evfold_opts eo,
		       const struct tk_event *evs, size_t n)
{
	struct tk_fold *f = tk_fold_create(fo, NULL);
	struct tk_evfold *e;
	size_t i;

	assert_non_null(f);
	eo.schema = &schema;
	e = tk_evfold_create(f, &eo, NULL);
	assert_non_null(e);
	for (i = 0; i < n; i++)
		assert_int_equal(tk_evfold_event(e, &evs[i], NULL), 0);
	assert_int_equal(tk_evfold_finish(e), 0);
	counts = *tk_evfold_get_counts(e);
	out.names = tk_fold_get_names(f);
	out.len = 0;
	out.buf[0] = '\0';
	assert_int_equal(tk_stacks_walk_sorted(tk_fold_get_stacks(f), out.names, append, &out), 0);
	tk_evfold_destroy(e);
	tk_fold_destroy(f);
	return out.buf;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * app (10) sleeps at 100 on CPU 0; its stack comes after an event of CPU 1;
 * it runs again at 350 on CPU 1. Task 11 is preempted at 200 and runs at
 * 260, with no stack. Task 12 leaves at 300 and never comes back.
 */
static const struct tk_event offcpu[] = {
	{ .ts = 100, .tid = 10, .cpu = 0, .kind = TK_EV_SWITCH,
	  .u.sw = { .next_tid = 0, .prev_comm = 1, .next_comm = TK_NOSTR, .prev_state = TK_TASK_S } },
	{ .ts = 101, .tid = 20, .cpu = 1, .kind = TK_EV_GENERIC },
	{ .ts = 102, .tid = 10, .cpu = 0, .kind = TK_EV_STACK,
	  .u.stack = { .ips = kstack, .n = 2 } },
	{ .ts = 200, .tid = 11, .cpu = 1, .kind = TK_EV_SWITCH,
	  .u.sw = { .next_tid = 20, .prev_comm = TK_NOSTR, .next_comm = TK_NOSTR, .prev_state = 0 } },
	{ .ts = 260, .tid = 0, .cpu = 0, .kind = TK_EV_SWITCH,
	  .u.sw = { .next_tid = 11, .prev_comm = TK_NOSTR, .next_comm = TK_NOSTR, .prev_state = 0 } },
	{ .ts = 300, .tid = 12, .cpu = 0, .kind = TK_EV_SWITCH,
	  .u.sw = { .next_tid = 0, .prev_comm = TK_NOSTR, .next_comm = TK_NOSTR, .prev_state = TK_TASK_D } },
	{ .ts = 350, .tid = 20, .cpu = 1, .kind = TK_EV_SWITCH,
	  .u.sw = { .next_tid = 10, .prev_comm = TK_NOSTR, .next_comm = TK_NOSTR, .prev_state = 0 } },
};

static void test_offcpu(void **state)
{
	struct tk_fold_opts fo = { .tid = true };
	struct tk_evfold_opts eo = { .mode = TK_EVFOLD_OFFCPU };

	(void)state;
	assert_string_equal(run(&fo, eo, offcpu, N(offcpu)),
			    ":11-10/11 60\n"
			    "app-10/10;do_syscall_64;schedule 250\n");
	assert_int_equal(counts.switches, 5);
	assert_int_equal(counts.kept, 2);
	assert_int_equal(counts.no_stack, 1);
	assert_int_equal(counts.weight, 310);
	/* 12 never came back; 20 was still out at the end too */
	assert_int_equal(counts.open_at_end, 2);
}

static void test_offcpu_filters(void **state)
{
	struct tk_fold_opts fo = { 0 };
	struct tk_evfold_opts eo = { .mode = TK_EVFOLD_OFFCPU };
	uint64_t cpu1 = 2;

	(void)state;
	/* R only: the preempted task */
	eo.states = TK_EVFOLD_STATE_R;
	assert_string_equal(run(&fo, eo, offcpu, N(offcpu)), ":11 60\n");
	/* S: app only */
	eo.states = TK_TASK_S;
	assert_string_equal(run(&fo, eo, offcpu, N(offcpu)), "app;do_syscall_64;schedule 250\n");
	/* the switch-out's CPU decides: 11 left CPU 1 */
	eo.states = 0;
	eo.cpus = &cpu1;
	eo.ncpubits = 64;
	assert_string_equal(run(&fo, eo, offcpu, N(offcpu)), ":11 60\n");
	/* a window clips: [150, 250] keeps 100 of app's 250 and 50 of 11's 60 */
	eo.cpus = NULL;
	eo.from = 150;
	eo.to = 250;
	assert_string_equal(run(&fo, eo, offcpu, N(offcpu)),
			    ":11 50\napp;do_syscall_64;schedule 100\n");
	/* --comm, and --no-comm */
	eo.from = eo.to = 0;
	fo.comms = (const char *const[]){ "app" };
	fo.ncomms = 1;
	assert_string_equal(run(&fo, eo, offcpu, N(offcpu)), "app;do_syscall_64;schedule 250\n");
	fo.comms = NULL;
	fo.ncomms = 0;
	fo.no_comm = true;
	fo.annotate_kernel = true;
	assert_string_equal(run(&fo, eo, offcpu, N(offcpu)),
			    "do_syscall_64_[k];schedule_[k] 250\n");
}

/* Switched in on another CPU before its own CPU had a next event: the stack still counts. */
static void test_offcpu_stack_late(void **state)
{
	struct tk_event evs[] = {
		sw(100, 0, 10, TK_TASK_S, 0),
		stk(101, 0, 10, kstack, 2, false),
		sw(150, 1, 20, 0, 10),
		gen(160, 0, 0, 7),
	};
	struct tk_fold_opts fo = { 0 };
	struct tk_evfold_opts eo = { .mode = TK_EVFOLD_OFFCPU };

	(void)state;
	assert_string_equal(run(&fo, eo, evs, N(evs)), "app;do_syscall_64;schedule 50\n");
	/* the comm of the switch-out (prev_comm), not the latest one */
	evs[0].u.sw.prev_comm = 2;
	assert_string_equal(run(&fo, eo, evs, N(evs)), "app-renamed;do_syscall_64;schedule 50\n");
	/* a stack of another task on that CPU is not this switch's */
	evs[0].u.sw.prev_comm = 1;
	evs[1].tid = 20;
	assert_string_equal(run(&fo, eo, evs, N(evs)), "app 50\n");
}

/* The waker's stack gets the woken task's sleep, until the (first) wakeup. */
static void test_wakeup(void **state)
{
	struct tk_event evs[] = {
		sw(100, 0, 10, TK_TASK_S, 0),
		stk(101, 0, 10, kstack, 2, false),
		wake(170, 1, 20, 10, TK_EVF_WAKING),
		wake(175, 1, 20, 10, 0),		/* the sched_wakeup of the same wakeup */
		stk(171, 1, 20, wstack, 2, false),
		wake(180, 1, 20, 10, TK_EVF_WAKING),	/* already woken */
		sw(200, 0, 0, 0, 10),
	};
	struct tk_fold_opts fo = { 0 };
	struct tk_evfold_opts eo = { .mode = TK_EVFOLD_WAKEUP, .use_waking = true };

	(void)state;
	/* the stack (ts 171) follows the sched_wakeup (175) in this stream, so
	 * it belongs to that event, which the waking mode does not use */
	assert_string_equal(run(&fo, eo, evs, N(evs)), "app;waker 70\n");
	assert_int_equal(counts.no_stack, 1);
	evs[3] = evs[4];
	evs[4] = wake(175, 1, 20, 10, 0);
	assert_string_equal(run(&fo, eo, evs, N(evs)), "app;waker;do_syscall_64;try_to_wake_up 70\n");
	assert_int_equal(counts.wakeups, 2);
	/* without sched_waking in the source, sched_wakeup is the waker's event */
	eo.use_waking = false;
	assert_string_equal(run(&fo, eo, evs, N(evs)), "app;waker 75\n");
	/* --state D: app slept in S */
	eo.use_waking = true;
	eo.states = TK_TASK_D;
	assert_string_equal(run(&fo, eo, evs, N(evs)), "");
}

/* On-CPU: each event's stack counts 1; user frames above kernel frames. */
static void test_oncpu(void **state)
{
	struct tk_event evs[] = {
		gen(100, 0, 10, 7),
		gen(101, 1, 11, 8),
		stk(102, 0, 10, kstack, 2, false),
		stk(103, 0, 10, ustack, 2, true),
		stk(104, 1, 11, kstack, 1, false),
		gen(105, 0, 10, 7),		/* no stack: not counted */
		gen(106, 0, 10, 7),
		stk(107, 0, 10, kstack, 2, false),
	};
	struct tk_fold_opts fo = { .addrs = true };
	struct tk_evfold_opts eo = { .mode = TK_EVFOLD_ONCPU };
	const uint32_t only7[] = { 7 };

	(void)state;
	assert_string_equal(run(&fo, eo, evs, N(evs)),
			    ":11;schedule 1\n"
			    "app;[unknown <402000>];[unknown <401000>];do_syscall_64;schedule 1\n"
			    "app;do_syscall_64;schedule 1\n");
	assert_int_equal(counts.stacks, 4);
	eo.events = only7;
	eo.nevents = 1;
	fo.addrs = false;
	assert_string_equal(run(&fo, eo, evs, N(evs)),
			    "app;[unknown];[unknown];do_syscall_64;schedule 1\n"
			    "app;do_syscall_64;schedule 1\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offcpu),
		cmocka_unit_test(test_offcpu_filters),
		cmocka_unit_test(test_offcpu_stack_late),
		cmocka_unit_test(test_wakeup),
		cmocka_unit_test(test_oncpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
