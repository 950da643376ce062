/* SPDX-License-Identifier: MIT */
#ifndef TK_CORE_EVENT_H
#define TK_CORE_EVENT_H

#include <stdint.h>

/*
 * The common event model every analyzer sees (DESIGN.md 7): readers turn
 * their records into these; analyzers never see a file format. 32 bytes,
 * two per cache line.
 *
 * Scheduler tracepoints and perf's own task records become modelled kinds,
 * so analyzers need no field lookups for them. Every tracepoint, modelled
 * or not, also comes with its raw payload (struct tk_payload), which
 * analyzers that read arbitrary fields (hist, latency) decode through
 * core/schema.h.
 *
 * Strings (comms) are ids in the source's string table (TK_NOSTR: none);
 * the source's tk_schema turns them back into text.
 */
enum tk_event_kind {
	TK_EV_GENERIC = 0,	/* a tracepoint we do not model */
	TK_EV_LOST = 1,		/* events lost before this point on this CPU */
	TK_EV_SWITCH = 2,	/* sched_switch; tid = prev tid */
	TK_EV_WAKEUP = 3,	/* sched_wakeup, _wakeup_new, _waking; tid = waker */
	TK_EV_MIGRATE = 4,	/* sched_migrate_task; tid = current */
	TK_EV_FORK = 5,		/* sched_process_fork or perf FORK; tid = current */
	TK_EV_EXEC = 6,		/* sched_process_exec; tid = the task */
	TK_EV_EXIT = 7,		/* sched_process_exit or perf EXIT; tid = the task */
	TK_EV_COMM = 8,		/* perf COMM, task_rename: the task's new name */
	TK_EV_RUNTIME = 9,	/* sched_stat_runtime; tid = current */
	TK_EV_SAMPLE = 10,	/* perf sample that is not a tracepoint */
	/*
	 * The callchain of the event just before it on the same CPU (a
	 * trace.dat kernel_stack/user_stack record, which other CPUs' events
	 * may precede, or a perf sample's callchain, which comes right after
	 * its sample, context markers included). ips are borrowed until the
	 * next event.
	 */
	TK_EV_STACK = 11,
};

#define TK_NOSTR UINT32_MAX

struct tk_event {
	uint64_t ts;		/* ns after clock normalisation */
	uint32_t tid;		/* the task the event is about (see kinds) */
	uint16_t cpu;
	uint8_t kind;
	uint8_t flags;
	union {
		struct {
			uint32_t event_id;	/* format id in the source file */
			uint32_t size;		/* payload bytes */
		} generic;
		struct {
			uint64_t count;		/* 0 when unknown */
		} lost;
		struct {
			uint32_t next_tid;
			uint32_t prev_comm, next_comm;
			uint16_t prev_state;	/* TK_TASK_* bits, 0 = running */
			uint8_t prev_prio, next_prio;
		} sw;
		struct {
			uint32_t target_tid;
			uint32_t target_comm;
			uint16_t target_cpu;
			uint8_t prio;
			uint8_t success;	/* 1 unless the event says 0 */
		} wake;
		struct {
			uint32_t target_tid;
			uint32_t target_comm;
			uint16_t orig_cpu, dest_cpu;
			uint8_t prio;
		} mig;
		struct {
			uint32_t parent_tid;
			uint32_t child_tid;
			uint32_t child_comm;	/* TK_NOSTR for perf FORK */
			uint32_t child_pid;	/* thread group, 0 when unknown */
		} fork;
		struct {
			uint32_t comm;		/* new comm, TK_NOSTR when unknown */
			uint32_t old_tid;
		} exec;
		struct {
			uint32_t comm;
			uint32_t pid;		/* thread group, 0 when unknown */
			uint8_t prio;
		} exit;
		struct {
			uint32_t comm;
			uint32_t pid;		/* thread group, 0 when unknown */
		} comm;
		struct {
			uint64_t runtime;	/* ns */
			uint32_t target_tid;
			uint32_t target_comm;
		} rt;
		struct {
			uint64_t period;
			uint32_t pid;		/* thread group */
			uint32_t attr;		/* event selector index */
		} sample;
		struct {
			const uint64_t *ips;	/* leaf first; borrowed */
			uint32_t n;
			uint8_t user;		/* 1: user-space frames only */
		} stack;
		uint8_t raw[16];
	} u;
};

/* flags */
#define TK_EVF_LOST_UNKNOWN 0x01	/* TK_EV_LOST: the count was not recorded */
#define TK_EVF_WAKE_NEW 0x02		/* TK_EV_WAKEUP: sched_wakeup_new */
#define TK_EVF_WAKING 0x04		/* TK_EV_WAKEUP: sched_waking */
#define TK_EVF_PREEMPT 0x08		/* TK_EV_SWITCH: prev was preempted (R+) */
#define TK_EVF_COMM_EXEC 0x10		/* TK_EV_COMM: the rename came with exec */

/*
 * Task states as sched_switch reports them (the kernel's TASK_REPORT bits,
 * stable since 4.14): 0 is running/runnable ("R").
 */
#define TK_TASK_S 0x0001	/* interruptible sleep */
#define TK_TASK_D 0x0002	/* uninterruptible */
#define TK_TASK_T 0x0004	/* stopped */
#define TK_TASK_t 0x0008	/* traced */
#define TK_TASK_X 0x0010	/* dead */
#define TK_TASK_Z 0x0020	/* zombie */
#define TK_TASK_P 0x0040	/* parked */
#define TK_TASK_I 0x0080	/* idle kernel thread */

/*
 * The raw tracepoint record behind an event (common fields included, file
 * byte order), for analyzers that read arbitrary fields. Borrowed until
 * the next event.
 */
struct tk_payload {
	uint32_t event_id;
	uint32_t size;
	const uint8_t *data;
};

/*
 * What the recording says about the current event beyond the model, for
 * analyzers that reproduce a peer's bookkeeping exactly (perf sched keeps
 * its threads by the perf sample header's pid/tid, which is -1 for a task
 * that is exiting, and by a FORK record's ppid). Borrowed until the next
 * event. trace.dat: tid is the record's common_pid, pid and ppid -1.
 */
struct tk_evmeta {
	int32_t pid, tid;	/* perf sample or task record pid/tid */
	int32_t ppid, ptid;	/* perf FORK/EXIT only, else -1 */
};

_Static_assert(sizeof(struct tk_event) == 32, "tk_event must stay 32 bytes");

#endif
