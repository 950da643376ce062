/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_PDAT_H
#define TK_FORMATS_PDAT_H

/*
 * Streaming reader for perf.data: file mode and pipe mode, either byte
 * order, several attrs (event selectors) told apart by sample id, every
 * PERF_SAMPLE_* field, COMPRESSED (81) and COMPRESSED2 (83) records decoded
 * as one continuous zstd stream, and the feature sections.
 *
 * Records come out in perf's order: a reorder queue sorted by (time, arrival)
 * is flushed at each FINISHED_ROUND up to the largest timestamp of the round
 * before (perf's ordered_events rule), and half of it when it passes its byte
 * cap, so memory is bounded whatever the file size. Records without a time
 * are handed out at once.
 *
 * Every value handed out is in host byte order. Pointers in a record are
 * borrowed and valid until the next tk_pdat_next().
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct tep_handle;
struct tep_event;
struct tk_pdat_reader;

/* perf_event_header.type values we name. */
enum tk_pdat_rtype {
	TK_PDAT_MMAP = 1,
	TK_PDAT_LOST = 2,
	TK_PDAT_COMM = 3,
	TK_PDAT_EXIT = 4,
	TK_PDAT_THROTTLE = 5,
	TK_PDAT_UNTHROTTLE = 6,
	TK_PDAT_FORK = 7,
	TK_PDAT_READ = 8,
	TK_PDAT_SAMPLE = 9,
	TK_PDAT_MMAP2 = 10,
	TK_PDAT_LOST_SAMPLES = 13,
	TK_PDAT_SWITCH = 14,
	TK_PDAT_SWITCH_CPU_WIDE = 15,
	TK_PDAT_KSYMBOL = 17,
	TK_PDAT_HEADER_ATTR = 64,
	TK_PDAT_HEADER_TRACING_DATA = 66,
	TK_PDAT_HEADER_BUILD_ID = 67,
	TK_PDAT_FINISHED_ROUND = 68,
	TK_PDAT_ID_INDEX = 69,
	TK_PDAT_THREAD_MAP = 73,
	TK_PDAT_CPU_MAP = 74,
	TK_PDAT_EVENT_UPDATE = 78,
	TK_PDAT_TIME_CONV = 79,
	TK_PDAT_HEADER_FEATURE = 80,
	TK_PDAT_COMPRESSED = 81,
	TK_PDAT_FINISHED_INIT = 82,
	TK_PDAT_COMPRESSED2 = 83,
};

/* PERF_SAMPLE_* bits (uapi perf_event.h). */
#define TK_PS_IP		(1ull << 0)
#define TK_PS_TID		(1ull << 1)
#define TK_PS_TIME		(1ull << 2)
#define TK_PS_ADDR		(1ull << 3)
#define TK_PS_READ		(1ull << 4)
#define TK_PS_CALLCHAIN		(1ull << 5)
#define TK_PS_ID		(1ull << 6)
#define TK_PS_CPU		(1ull << 7)
#define TK_PS_PERIOD		(1ull << 8)
#define TK_PS_STREAM_ID		(1ull << 9)
#define TK_PS_RAW		(1ull << 10)
#define TK_PS_BRANCH_STACK	(1ull << 11)
#define TK_PS_REGS_USER		(1ull << 12)
#define TK_PS_STACK_USER	(1ull << 13)
#define TK_PS_WEIGHT		(1ull << 14)
#define TK_PS_DATA_SRC		(1ull << 15)
#define TK_PS_IDENTIFIER	(1ull << 16)
#define TK_PS_TRANSACTION	(1ull << 17)
#define TK_PS_REGS_INTR		(1ull << 18)
#define TK_PS_PHYS_ADDR		(1ull << 19)
#define TK_PS_AUX		(1ull << 20)
#define TK_PS_CGROUP		(1ull << 21)
#define TK_PS_DATA_PAGE_SIZE	(1ull << 22)
#define TK_PS_CODE_PAGE_SIZE	(1ull << 23)
#define TK_PS_WEIGHT_STRUCT	(1ull << 24)

/* Callchain context markers (entries >= (u64)-4095). */
#define TK_PDAT_CTX_HV		((uint64_t)-32)
#define TK_PDAT_CTX_KERNEL	((uint64_t)-128)
#define TK_PDAT_CTX_USER	((uint64_t)-512)
#define TK_PDAT_CTX_GUEST	((uint64_t)-2048)
#define TK_PDAT_CTX_GUEST_KERNEL ((uint64_t)-2176)
#define TK_PDAT_CTX_GUEST_USER	((uint64_t)-2560)
#define TK_PDAT_CTX_MAX		((uint64_t)-4095)

/* header.misc cpumode (bits 0-2). */
enum tk_pdat_cpumode {
	TK_PDAT_CPUMODE_UNKNOWN = 0,
	TK_PDAT_CPUMODE_KERNEL = 1,
	TK_PDAT_CPUMODE_USER = 2,
	TK_PDAT_CPUMODE_HV = 3,
	TK_PDAT_CPUMODE_GUEST_KERNEL = 4,
	TK_PDAT_CPUMODE_GUEST_USER = 5,
};
#define TK_PDAT_MISC_CPUMODE_MASK	0x7
#define TK_PDAT_MISC_COMM_EXEC		(1u << 13)	/* COMM */
#define TK_PDAT_MISC_SWITCH_OUT		(1u << 13)	/* SWITCH */
#define TK_PDAT_MISC_MMAP_BUILD_ID	(1u << 14)	/* MMAP2 */

/* Feature bits (perf's HEADER_*). */
enum tk_pdat_feat {
	TK_PDAT_FEAT_TRACING_DATA = 1,
	TK_PDAT_FEAT_BUILD_ID = 2,
	TK_PDAT_FEAT_HOSTNAME = 3,
	TK_PDAT_FEAT_OSRELEASE = 4,
	TK_PDAT_FEAT_VERSION = 5,
	TK_PDAT_FEAT_ARCH = 6,
	TK_PDAT_FEAT_NRCPUS = 7,
	TK_PDAT_FEAT_CPUDESC = 8,
	TK_PDAT_FEAT_CPUID = 9,
	TK_PDAT_FEAT_TOTAL_MEM = 10,
	TK_PDAT_FEAT_CMDLINE = 11,
	TK_PDAT_FEAT_EVENT_DESC = 12,
	TK_PDAT_FEAT_SAMPLE_TIME = 21,
	TK_PDAT_FEAT_CLOCKID = 23,
	TK_PDAT_FEAT_COMPRESSED = 27,
	TK_PDAT_FEAT_CLOCK_DATA = 29,
};

struct tk_pdat_opts {
	size_t reorder_max;	/* bytes the reorder queue may hold; 0 = 64 MiB */
	bool unordered;		/* hand records out in file order */
	bool no_plugins;	/* do not load libtraceevent's print plugins */
};

/* One event selector (perf_event_attr + what the features say of it). */
struct tk_pdat_attr {
	uint32_t type;			/* PERF_TYPE_*: 0 hw, 1 sw, 2 tracepoint, ... */
	uint32_t size;			/* attr.size as stored */
	uint64_t config;
	uint64_t sample_period;		/* or sample_freq when freq */
	uint64_t sample_type;		/* TK_PS_* */
	uint64_t read_format;
	uint64_t flags;			/* the bitfield word at offset 40 */
	uint64_t branch_sample_type;
	uint64_t sample_regs_user;
	uint32_t sample_stack_user;
	int32_t clockid;
	uint64_t sample_regs_intr;
	bool freq;			/* flags bit 10 */
	bool sample_id_all;		/* flags bit 18 */
	uint8_t precise_ip;		/* flags bits 15-16 */
	const char *name;		/* EVENT_DESC / EVENT_UPDATE name, or NULL */
	const uint64_t *ids;		/* sample ids of this attr */
	uint32_t nids;
	struct tep_event *tp;		/* tracepoint format (type 2 with TRACING_DATA), or NULL */
};

/* Fields a SAMPLE carries (those not in sample_type are 0 / NULL). */
struct tk_pdat_sample {
	uint64_t id;			/* IDENTIFIER or ID */
	uint64_t ip;
	uint32_t pid, tid;
	uint64_t time;
	uint64_t addr;
	uint64_t stream_id;
	uint32_t cpu;
	uint64_t period;
	const uint64_t *callchain;	/* nr entries, markers included, host order */
	uint64_t nr;
	const uint8_t *raw;		/* tracepoint payload, followed by zero padding */
	uint32_t raw_size;
	const uint64_t *read;		/* read_format values, host order */
	uint32_t read_nwords;
	uint64_t branch_nr;
	const uint64_t *branch;		/* branch_nr x {from, to, flags} */
	uint64_t regs_user_abi;
	const uint64_t *regs_user;
	uint32_t regs_user_n;
	uint64_t stack_user_size;
	uint64_t weight;
	uint64_t data_src;
	uint64_t transaction;
	uint64_t phys_addr;
	uint64_t cgroup;
	uint64_t data_page_size;
	uint64_t code_page_size;
};

/* The sample_id trailer of non-sample records (sample_id_all). */
struct tk_pdat_sid {
	uint32_t pid, tid;
	uint64_t time;
	uint64_t id;
	uint64_t stream_id;
	uint32_t cpu;
	bool valid;			/* a trailer was present and parsed */
};

struct tk_pdat_rec {
	uint32_t type;			/* enum tk_pdat_rtype (or any other value) */
	uint16_t misc;
	uint16_t size;			/* header.size */
	uint64_t offset;		/* file offset of the record, or of the
					 * COMPRESSED record holding it */
	uint64_t time;			/* sample / sample_id time, or (uint64_t)-1 */
	int attr;			/* index into the attrs, -1 when unknown */
	struct tk_pdat_sid sid;		/* non-samples */
	union {
		struct tk_pdat_sample sample;
		struct {		/* MMAP and MMAP2 */
			uint32_t pid, tid;
			uint64_t start, len, pgoff;
			uint32_t maj, min;
			uint64_t ino, ino_generation;
			uint32_t prot, flags;
			uint8_t build_id[20];
			uint8_t build_id_size;	/* > 0 when misc has MMAP_BUILD_ID */
			const char *filename;
		} mmap;
		struct {
			uint32_t pid, tid;
			const char *comm;
			bool exec;		/* misc COMM_EXEC */
		} comm;
		struct {		/* FORK and EXIT */
			uint32_t pid, ppid, tid, ptid;
			uint64_t time;
		} fork;
		struct {		/* LOST (id, lost) and LOST_SAMPLES (lost) */
			uint64_t id;
			uint64_t lost;
		} lost;
		struct {		/* THROTTLE / UNTHROTTLE */
			uint64_t time, id, stream_id;
		} throttle;
		struct {		/* SWITCH_CPU_WIDE */
			uint32_t next_prev_pid, next_prev_tid;
		} sw;
		struct {		/* KSYMBOL */
			uint64_t addr;
			uint32_t len;
			uint16_t ksym_type, flags;
			const char *name;
		} ksymbol;
	} u;
	const uint8_t *data;		/* the whole record, file byte order */
};

/* Build id of one DSO, from the BUILD_ID feature or HEADER_BUILD_ID records. */
struct tk_pdat_buildid {
	int32_t pid;			/* -1: host kernel and modules */
	uint16_t cpumode;		/* misc & 7 */
	uint8_t id[20];
	uint8_t size;			/* bytes of id that count (20 when unknown) */
	const char *filename;
};

struct tk_pdat_info {
	bool pipe;
	bool swapped;			/* file byte order differs from ours */
	uint64_t file_size;
	uint64_t data_offset, data_size;	/* file mode */
	uint64_t features[4];		/* adds_features bitmap (file mode; pipe: seen) */
	int nattrs;
	const char *hostname, *osrelease, *version, *arch;	/* NULL when absent */
	const char *cpudesc, *cpuid;
	uint32_t nr_cpus_avail, nr_cpus_online;
	uint64_t total_mem_kb;
	const char *cmdline;		/* CMDLINE joined with spaces, or NULL */
	bool compressed;		/* COMPRESSED feature present */
	uint32_t comp_type, comp_level, comp_ratio, comp_mmap_len;
	uint64_t clock_res_ns;		/* CLOCKID feature */
	bool has_clock_data;		/* CLOCK_DATA feature */
	int32_t clock_clockid;
	uint64_t clock_tod_ns, clock_clk_ns;
	uint64_t sample_time_first, sample_time_last;	/* SAMPLE_TIME, 0 if absent */
	bool has_tracing_data;
	/* data.size was 0 (perf record was killed before patching it): the
	 * records were read up to the end of the file, and the bytes of a
	 * last record cut short are counted here, not reported as an error. */
	bool salvaged;
	uint64_t salvage_dropped;
};

/* Counters, for stat and for the tests. */
struct tk_pdat_counts {
	uint64_t records;		/* handed out */
	uint64_t by_type[128];		/* per header.type (>= 128 counted in [127]) */
	uint64_t unknown;		/* records of types we do not parse: their payload
					 * is skipped by size; they are still handed
					 * out (type, size, data, sid, time) */
	uint64_t compressed_bytes;	/* payload of COMPRESSED records */
	uint64_t decompressed_bytes;
	uint64_t unordered;		/* records older than the last flush (perf warns) */
	uint64_t lost;			/* sum of LOST.lost */
	uint64_t lost_samples;		/* sum of LOST_SAMPLES.lost */
};

int tk_pdat_open(const char *path, const struct tk_pdat_opts *opts,
		 struct tk_pdat_reader **out, struct tk_err *err);
/* Pipe mode from a file descriptor (stdin); the reader does not close it. */
int tk_pdat_open_fd(int fd, const char *name, const struct tk_pdat_opts *opts,
		    struct tk_pdat_reader **out, struct tk_err *err);
void tk_pdat_close(struct tk_pdat_reader *r);

/* 1: *out filled; 0: end of data; < 0: error (see tk_pdat_get_err). */
int tk_pdat_next(struct tk_pdat_reader *r, struct tk_pdat_rec *out);

/*
 * In pipe mode attrs, features and tracing data arrive as records, so these
 * grow while reading; in file mode they are complete after open. An attr
 * pointer stays valid until tk_pdat_close(); the build-id array may move
 * when a HEADER_BUILD_ID record adds to it.
 */
const struct tk_pdat_info *tk_pdat_get_info(const struct tk_pdat_reader *r);
const struct tk_pdat_attr *tk_pdat_get_attr(const struct tk_pdat_reader *r, int i);
int tk_pdat_nattrs(const struct tk_pdat_reader *r);
const struct tk_pdat_buildid *tk_pdat_get_buildids(const struct tk_pdat_reader *r, int *n);
/* libtraceevent handle with the file's tracepoint formats (never NULL). */
struct tep_handle *tk_pdat_get_tep(const struct tk_pdat_reader *r);
const struct tk_pdat_counts *tk_pdat_get_counts(const struct tk_pdat_reader *r);
/* Bytes of input consumed so far (for progress). */
uint64_t tk_pdat_bytes_read(const struct tk_pdat_reader *r);
const struct tk_err *tk_pdat_get_err(const struct tk_pdat_reader *r);

/* True when the first bytes are a perf.data magic (either byte order). */
bool tk_pdat_is_magic(const void *buf, size_t len);

#endif
