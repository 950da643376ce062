/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_PDAT_INT_H
#define TK_FORMATS_PDAT_INT_H

/*
 * perf.data reader internals, shared by pdat-read.c (header, attrs,
 * features, tracing data, open/close) and pdat-rec.c (the record source,
 * compressed records, the reorder queue, record decoding).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <traceevent/event-parse.h>
#include <zstd.h>

#include "core/cursor.h"
#include "formats/pdat.h"

/* Named bounds: everything read from a file is checked against these. */
#define TK_PDAT_MAX_ATTRS	4096		/* event selectors */
#define TK_PDAT_MAX_IDS		(1u << 20)	/* sample ids over all attrs */
#define TK_PDAT_MAX_ATTR_SIZE	4096		/* attr.size (perf's is 136 today) */
#define TK_PDAT_MIN_ATTR_SIZE	64		/* PERF_ATTR_SIZE_VER0 */
#define TK_PDAT_MAX_FEATURE	(256ull << 20)	/* one feature section */
#define TK_PDAT_MAX_TRACING	(256ull << 20)	/* tracing data (feature or record 66) */
#define TK_PDAT_MAX_STRING	(1u << 20)	/* one feature string */
#define TK_PDAT_MAX_CMDLINE	4096		/* CMDLINE arguments */
#define TK_PDAT_MAX_BUILDIDS	65536		/* BUILD_ID entries kept */
/* A record is at most 64 KiB (u16 header.size); a record carried over
 * between compressed chunks is one of those. */
#define TK_PDAT_MAX_RECORD	65536u
/* Pipe mode reads through a buffer of this size (at least two records). */
#define TK_PDAT_PIPE_BUF	(256u << 10)
/* Decompressed bytes are produced into a buffer of this size; records are
 * handed out from it, so memory does not depend on the compression ratio. */
#define TK_PDAT_DECOMP_BUF	(1u << 20)
/* 2^27 = 128 MiB: perf -z uses far less (level 1: 2^19; level 22: 2^27). */
#define TK_PDAT_ZSTD_WINDOW_LOG_MAX 27
/* The reorder queue copies records into blocks of this size. */
#define TK_PDAT_QBLOCK		(256u << 10)
#define TK_PDAT_QBLOCK_SPARE	4		/* empty blocks kept for reuse */
#define TK_PDAT_DEFAULT_REORDER	(64ull << 20)
/* RAW payloads are copied into a zeroed area this much larger than the
 * payload: a __data_loc field reaches at most 2 x 64 KiB past the start
 * (see TK_TDAT_SCRATCH_PAD and formats/tep-guard.h), so libtraceevent never
 * reads outside our memory. */
#define TK_PDAT_RAW_PAD		(2u * 65536u + 16u)
/* Consumed file data is dropped from the mapping in steps of this size. */
#define TK_PDAT_DROP_STEP	(4u << 20)

#define TK_PDAT_HEADER_SIZE	104		/* file header with the feature bitmap */
#define TK_PDAT_HEADER_SIZE_OLD	72		/* before adds_features */
#define TK_PDAT_PIPE_HEADER	16
#define TK_PDAT_NFEAT		256
#define TK_PDAT_NO_TIME		((uint64_t)-1)

struct pdat_attr {
	struct tk_pdat_attr pub;
	uint64_t *ids;
	uint32_t ids_cap;
	char *name;
	int id_pos;			/* u64 index of the id in a SAMPLE, -1 none */
	int is_pos;			/* u64s from the end of a non-sample, -1 none */
	uint32_t sid_size;		/* bytes of the sample_id trailer */
};

/* id -> attr index, open addressing (ids are never 0: 0 is "empty"). */
struct pdat_idmap {
	uint64_t *keys;
	int32_t *vals;
	uint32_t cap;			/* power of two */
	uint32_t n;
};

/* One queued record: a copy in a queue block. */
struct pdat_qent {
	uint64_t time;
	uint64_t seq;			/* arrival order: ties keep file order */
	uint64_t offset;		/* file offset (or of the COMPRESSED record) */
	uint32_t block;
	uint32_t pos;			/* in the block */
	int32_t attr;
	uint16_t size;
};

struct pdat_qblock {
	uint8_t *mem;
	uint32_t used;
	uint32_t live;			/* queued records still in it */
};

/* Where raw records come from next. */
enum pdat_src {
	PDAT_SRC_FILE,			/* mmap of a regular file */
	PDAT_SRC_PIPE,			/* bounded buffer over an fd */
};

struct tk_pdat_reader {
	struct tk_err err;
	struct tk_pdat_opts opts;
	struct tk_pdat_info info;
	struct tk_pdat_counts counts;
	bool swap;

	/* input */
	enum pdat_src src;
	int fd;
	bool own_fd;
	uint8_t *map;			/* file mode: whole file, read-only */
	uint64_t size;			/* file mode: file size */
	uint64_t pos;			/* file offset of the next record */
	uint64_t data_end;		/* file mode: end of the records */
	uint64_t dropped;		/* file mode: mapping dropped up to here */
	uint8_t *pbuf;			/* pipe mode */
	size_t pbuf_start, pbuf_end;
	bool pipe_eof;
	uint64_t bytes_read;

	/* attrs */
	struct pdat_attr **attrs;	/* each allocated once: stable pointers */
	int nattrs;
	int attrs_cap;
	struct pdat_idmap idmap;
	uint64_t nids;
	bool mixed_pos;			/* attrs disagree on id_pos / is_pos */

	/* features */
	char *strs[TK_PDAT_NFEAT];	/* string features by id */
	char *cmdline;
	struct tk_pdat_buildid *buildids;
	int nbuildids;
	int buildids_cap;

	/* libtraceevent */
	struct tep_handle *tep;
	struct tep_plugin_list *plugins;
	bool plugins_loaded;

	/* compressed records: one stream over all of them */
	ZSTD_DStream *zds;
	const uint8_t *zin;		/* compressed bytes of the current record */
	size_t zin_len, zin_pos;
	uint64_t zrec_off;		/* file offset of that COMPRESSED record */
	uint8_t *dbuf;			/* decompressed records */
	size_t dbuf_start, dbuf_end;
	bool in_decomp;			/* records come from dbuf */
	bool zflush;			/* zstd may hold output for a full dbuf */

	/* reorder queue (perf's ordered_events) */
	struct pdat_qent *q;		/* min-heap on (time, seq) */
	size_t qn, qcap;
	struct pdat_qblock *blocks;
	uint32_t nblocks, blocks_cap;
	int32_t cur_block;		/* block being filled, -1 none */
	uint32_t nmem_blocks;		/* blocks with memory */
	uint32_t nspare;		/* of those, empty and kept for reuse */
	uint64_t qlive;			/* bytes of queued records and entries */
	uint64_t seq;
	uint64_t q_max;			/* largest time in the queue */
	uint64_t next_flush;		/* perf's oe->next_flush (0: none yet) */
	uint64_t last_flush;		/* time of the last record flushed */
	int flushing;			/* 0, or one of enum pdat_flush */
	uint64_t flush_to;
	int32_t held_block;		/* block of the record handed out last */
	/* FINISHED_ROUND waiting for the records it flushes; also the copy
	 * of a record whose out-of-record payload moved the pipe buffer */
	uint8_t pend[TK_PDAT_MAX_RECORD];
	uint32_t pend_size;
	uint64_t pend_off;
	bool have_pend;
	bool ended;

	/* what a handed-out record points into */
	uint64_t *words;		/* callchain, read values, branches, regs */
	size_t words_cap;
	uint8_t *raw;			/* RAW copy + TK_PDAT_RAW_PAD zeroes */
	size_t raw_used;		/* bytes of raw that may be non-zero */
};

enum pdat_flush {
	PDAT_FLUSH_NONE = 0,
	PDAT_FLUSH_TIME,		/* pop while top.time <= flush_to */
	PDAT_FLUSH_BYTES,		/* pop while the queue holds more than half its cap */
};

/* pdat-read.c */
int tk_pdat__add_attr(struct tk_pdat_reader *r, struct tk_cursor *c, uint32_t attr_bytes,
		      int64_t at);
int tk_pdat__add_ids(struct tk_pdat_reader *r, int attr, struct tk_cursor *c, uint64_t n,
		     int64_t at);
int tk_pdat__feature(struct tk_pdat_reader *r, int feat, const uint8_t *p, uint64_t len,
		     uint64_t at);
int tk_pdat__tracing_data(struct tk_pdat_reader *r, const uint8_t *p, uint64_t len,
			  uint64_t at);
int tk_pdat__buildid_entry(struct tk_pdat_reader *r, struct tk_cursor *c, uint16_t misc,
			   uint32_t size, int64_t at);
int tk_pdat__set_attr_name(struct tk_pdat_reader *r, int attr, const char *name, size_t n);
int tk_pdat__attr_of_id(const struct tk_pdat_reader *r, uint64_t id);

/* pdat-rec.c */
int tk_pdat__rec_init(struct tk_pdat_reader *r);
void tk_pdat__rec_fini(struct tk_pdat_reader *r);

#endif
