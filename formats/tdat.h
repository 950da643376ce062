/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_TDAT_H
#define TK_FORMATS_TDAT_H

/*
 * Streaming reader for trace-cmd's trace.dat, versions 6 and 7 (none, zlib
 * or zstd), either byte order, kernel long size 4 or 8, with extra buffers.
 *
 * Records come out merged in timestamp order (ties: lower buffer, then lower
 * CPU, as trace-cmd orders them). Memory is O(CPUs x sub-buffer) for
 * uncompressed files and O(CPUs x chunk) for compressed ones: the data is
 * never loaded whole. Event formats, kallsyms, printk formats and saved
 * cmdlines come from the file into a libtraceevent handle, so a file prints
 * the same on any machine.
 *
 * Ownership: pointers returned as function values are borrowed from the
 * reader; a record returned by tk_tdat_next() is valid until the next call.
 */

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct tep_handle;
struct tep_record;
struct tk_tdat_reader;

struct tk_tdat_opts {
	bool raw_ts;		/* ignore DATE/OFFSET/TSC2NSEC: timestamps as recorded */
	bool no_plugins;	/* do not load libtraceevent's print plugins */
	bool no_symbols;	/* skip kallsyms and printk formats (nothing is printed) */
};

enum tk_tdat_codec {
	TK_TDAT_CODEC_NONE,
	TK_TDAT_CODEC_ZLIB,
	TK_TDAT_CODEC_ZSTD,
};

struct tk_tdat_info {
	int version;			/* 6 or 7 */
	enum tk_tdat_codec codec;
	const char *codec_name;		/* "none", "zlib", "zstd" */
	const char *codec_version;	/* as stored ("" for none or v6) */
	bool big_endian;
	int file_long_size;		/* the header byte: recorder's user-space long */
	int kernel_long_size;		/* from header_page: what pages use */
	uint32_t page_size;		/* sub-buffer size of the top buffer */
	int ncpus;			/* CPU count of the top buffer */
	const char *clock;		/* selected trace clock, e.g. "local" */
	bool in_usecs;			/* timestamps are ns of a time clock */
	const char *uname;		/* UNAME option or NULL */
	const char *tracer_version;	/* VERSION option or NULL */
	int64_t ts_offset;		/* ns added to every timestamp (DATE, OFFSET) */
	int nbuffers;			/* 1 + extra instances */
	uint64_t file_size;
	int nevent_formats;		/* formats parsed from the file */
};

struct tk_tdat_buffer_info {
	const char *name;		/* "" for the top instance */
	const char *clock;
	uint32_t page_size;
	int ncpus;
	bool compressed;
};

/* Per CPU of one buffer: where its data lies and what was lost. */
struct tk_tdat_cpu_info {
	int cpu;
	uint64_t data_offset;
	uint64_t data_size;		/* on disk (compressed size when compressed) */
	uint64_t pages;			/* sub-buffers read so far */
	uint64_t lost_events;		/* counts stored in sub-buffer headers */
	uint64_t lost_unknown;		/* sub-buffers flagged lost without a count */
	uint64_t overrun;		/* from the CPUSTAT option, if present */
	bool has_stats;
};

/* One structural piece of the file, for `tracekit dump`. */
struct tk_tdat_section {
	const char *name;		/* static description */
	uint64_t offset;
	uint64_t size;			/* bytes on disk */
	uint64_t usize;			/* bytes after decompression (== size if not compressed) */
	int id;				/* option/section id, -1 for v6 items */
	bool compressed;
};

/* What tk_tdat_next() hands out. */
struct tk_tdat_rec {
	struct tep_record *rec;		/* ts, cpu, data, size, missed_events, offset */
	int buffer;			/* 0 = top instance */
	int cpu;
};

/* Upper bound on nbuffers, for callers sizing arrays. */
#define TK_TDAT_MAX_BUFFERS_PUBLIC 256

int tk_tdat_open(const char *path, const struct tk_tdat_opts *opts,
		 struct tk_tdat_reader **out, struct tk_err *err);
void tk_tdat_close(struct tk_tdat_reader *r);

const struct tk_tdat_info *tk_tdat_get_info(const struct tk_tdat_reader *r);
struct tep_handle *tk_tdat_get_tep(const struct tk_tdat_reader *r);
const struct tk_tdat_buffer_info *tk_tdat_get_buffer(const struct tk_tdat_reader *r, int i);
/* CPU entries with data of buffer i (sorted by CPU); n set to the count. */
const struct tk_tdat_cpu_info *tk_tdat_get_cpus(const struct tk_tdat_reader *r, int buffer,
						int *n);
const struct tk_tdat_section *tk_tdat_get_sections(const struct tk_tdat_reader *r, int *n);
/* Raw text of the CPUSTAT options ("" if none). */
const char *tk_tdat_get_cpustats(const struct tk_tdat_reader *r);

/*
 * Only read these CPUs (a bitmap of `nbits` bits; NULL = all). Call before
 * the first tk_tdat_next(). Unselected CPUs are never touched.
 */
int tk_tdat_select_cpus(struct tk_tdat_reader *r, const uint64_t *bits, int nbits);

/* 1: *out filled; 0: end of data; < 0: error (see tk_tdat_get_err). */
int tk_tdat_next(struct tk_tdat_reader *r, struct tk_tdat_rec *out);

struct tk_event;
/* The record in the common event model (generic kind: id, pid, cpu, ts). */
void tk_tdat_to_event(const struct tk_tdat_reader *r, const struct tk_tdat_rec *tr,
		      struct tk_event *ev);

/* Bytes of CPU data consumed so far (for progress). */
uint64_t tk_tdat_bytes_read(const struct tk_tdat_reader *r);

const struct tk_err *tk_tdat_get_err(const struct tk_tdat_reader *r);

#endif
