/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_TDAT_WRITE_H
#define TK_FORMATS_TDAT_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/*
 * trace.dat writer (versions 6 and 7; v7 sections optionally zlib or zstd
 * compressed), the half of formats/ the recorder links. It knows nothing of
 * tracefs: the caller hands it the text files and the raw sub-buffers.
 *
 * Use: tk_tdatw_open(), tk_tdatw_write_meta() once, then for each CPU in
 * ascending order tk_tdatw_cpu_begin(), tk_tdatw_cpu_write() (whole
 * sub-buffers), tk_tdatw_cpu_end(), then tk_tdatw_finish(). The status is
 * sticky (cairo): after the first error every call returns it again, so a
 * caller may check only the last one. The file descriptor stays the
 * caller's; the writer uses pwrite() at offsets it tracks, from offset 0.
 */

enum tk_tdatw_codec {
	TK_TDATW_NONE = 0,
	TK_TDATW_ZLIB,
	TK_TDATW_ZSTD,
};

/* A borrowed byte range. */
struct tk_tdatw_blob {
	const char *data;
	size_t len;
};

/* The event formats of one system (events/SYSTEM/EVENT/format files). */
struct tk_tdatw_system {
	const char *name;
	const struct tk_tdatw_blob *formats;
	size_t nformats;
};

/*
 * Everything before the CPU data. All pointers are borrowed for the call.
 * Text items may be empty (len 0) as trace-cmd allows.
 */
struct tk_tdatw_meta {
	struct tk_tdatw_blob header_page;	/* events/header_page */
	struct tk_tdatw_blob header_event;	/* events/header_event */
	const struct tk_tdatw_blob *ftrace_formats;	/* events/ftrace/ * /format */
	size_t nftrace;
	const struct tk_tdatw_system *systems;	/* every other system */
	size_t nsystems;
	struct tk_tdatw_blob kallsyms;
	struct tk_tdatw_blob printk;		/* printk_formats */
	struct tk_tdatw_blob cmdlines;		/* saved_cmdlines */
	const char *trace_clock;		/* contents of trace_clock ("[local] global ...") */
	const char *clock;			/* the selected clock ("local") */
	const char *uname;			/* "sysname nodename release machine" */
	const char *version;			/* recorder version */
	const struct tk_tdatw_blob *cpustats;	/* per_cpu/cpuN/stats, ncpus entries */
};

struct tk_tdatw_opts {
	int version;			/* 6 or 7 */
	enum tk_tdatw_codec codec;	/* v7 only; v6 must be NONE */
	uint32_t page_size;		/* sub-buffer size */
	int long_size;			/* the recorder's sizeof(long) */
	int ncpus;
};

/* Bytes of raw data per compressed chunk: 10 sub-buffers, as trace-cmd. */
#define TK_TDATW_PAGES_PER_CHUNK 10

struct tk_tdatw;

/* Returns NULL with err set (bad options, out of memory). */
struct tk_tdatw *tk_tdatw_open(int fd, const char *name, const struct tk_tdatw_opts *opts,
			       struct tk_err *err);
int tk_tdatw_write_meta(struct tk_tdatw *w, const struct tk_tdatw_meta *meta);
int tk_tdatw_cpu_begin(struct tk_tdatw *w, int cpu);
/* len must be a multiple of the page size. */
int tk_tdatw_cpu_write(struct tk_tdatw *w, const void *data, size_t len);
int tk_tdatw_cpu_end(struct tk_tdatw *w);
/* Writes the closing pieces; the file is complete when this returns 0. */
int tk_tdatw_finish(struct tk_tdatw *w);
/* Bytes written so far (the file size after finish). */
uint64_t tk_tdatw_get_size(const struct tk_tdatw *w);
const struct tk_err *tk_tdatw_get_err(const struct tk_tdatw *w);
void tk_tdatw_destroy(struct tk_tdatw *w);

const char *tk_tdatw_codec_name(enum tk_tdatw_codec codec);

#endif
