/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_TDAT_INT_H
#define TK_FORMATS_TDAT_INT_H

#include <stddef.h>
#include <stdint.h>

#include <traceevent/event-parse.h>

#include "core/heap.h"
#include "formats/tdat.h"
#include "formats/zio.h"

/* Named bounds: everything read from a file is checked against these. */
#define TK_TDAT_MAX_CPUS	65536
#define TK_TDAT_MAX_BUFFERS	TK_TDAT_MAX_BUFFERS_PUBLIC
#define TK_TDAT_MAX_PAGE	(16u << 20)	/* sub-buffer size */
#define TK_TDAT_MIN_PAGE	64u
#define TK_TDAT_MAX_META	(512ull << 20)	/* one decompressed metadata section */
#define TK_TDAT_MAX_CHUNK	(64u << 20)	/* one decompressed data chunk */
#define TK_TDAT_MAX_OPTSECT	4096		/* v7 options sections in a chain */
#define TK_TDAT_MAX_SECTIONS	8192		/* entries kept for `dump` */
/* Reads through a record's __data_loc fields reach at most 2 x 64 KiB past
 * its start; records are copied into a zeroed scratch area this much larger
 * than a sub-buffer, so libtraceevent never reads outside our memory. */
#define TK_TDAT_SCRATCH_PAD	(2u * 65536u + 16u)
/* Bytes after a record that are copied with it (see tk_tdat_next). */
#define TK_TDAT_TAIL_COPY	512u
/* Consumed file data is dropped from the mapping in steps of this size. */
#define TK_TDAT_DROP_STEP	(4u << 20)

struct tdat_buffer {
	struct tk_tdat_buffer_info info;
	char *name;
	char *clock;
	uint64_t section_off;		/* v7: BUFFER section header; v6: "flyrecord" */
	struct tk_tdat_cpu_info *cpus;	/* entries with data, sorted by cpu */
	int ncpu_entries;
};

struct tdat_stream {
	int buffer;
	int cpu;
	struct tk_tdat_cpu_info *ci;
	uint32_t page_size;
	bool compressed;
	bool selected;

	/* uncompressed: pages come straight from the file mapping */
	uint64_t next_page;		/* offset from data start of the next page */
	uint64_t dropped;		/* bytes from data start already dropped */

	/* compressed: chunk list */
	uint32_t nchunks;
	uint32_t chunk_i;
	uint64_t chunk_pos;		/* file offset of the next chunk header */
	uint8_t *ubuf;
	size_t ubuf_cap;
	size_t ubuf_len;
	size_t ubuf_next;		/* offset in ubuf of the next page */
	uint64_t chunk_off;		/* file offset of the current chunk (errors) */

	/* current sub-buffer */
	const uint8_t *page;
	uint32_t plen;			/* readable bytes of this page (<= page_size) */
	uint64_t page_off;		/* file offset (or chunk offset) for errors */
	uint32_t data_start;		/* 8 + kernel long */
	uint32_t commit;		/* data bytes */
	uint32_t next;			/* offset of the next record, from data start */
	uint64_t ts;			/* running timestamp (raw) */
	int64_t page_missed;

	/* current record */
	bool has_rec;
	uint64_t rec_ts;		/* adjusted */
	const uint8_t *rec_data;
	uint32_t rec_size;		/* payload bytes */
	uint32_t rec_hdr;		/* header bytes before the payload */
	uint32_t rec_pos;		/* record header offset from data start */
	int64_t rec_missed;
};

struct tk_tdat_reader {
	struct tk_err err;
	struct tk_tdat_opts opts;
	struct tk_tdat_info info;
	int fd;
	uint8_t *map;			/* whole file, read-only; dropped behind readers */
	uint64_t size;
	bool swap;

	struct tep_handle *tep;
	struct tep_plugin_list *plugins;
	struct tk_zio *zio;

	char *codec_version;
	char *uname;
	char *tracer_version;
	char *cpustats;
	size_t cpustats_len;
	char *top_clock;		/* TRACECLOCK option (v6) or top buffer's clock */
	bool have_traceclock;
	int64_t ts_offset;
	uint32_t tsc_mult, tsc_shift;
	int ncpus;			/* header / CPUCOUNT */
	uint64_t cpu_table_bytes;	/* v6 CPU tables read so far */

	struct tdat_buffer buffers[TK_TDAT_MAX_BUFFERS];
	int nbuffers;

	struct tk_tdat_section *sections;
	int nsections;

	/* v7 section offsets from options 16..21 */
	uint64_t meta_off[6];
	bool meta_have[6];

	struct tdat_stream *streams;
	int nstreams;
	struct tk_heap heap;
	int last;			/* stream whose record was handed out, -1 none */
	bool started;
	uint8_t *scratch;
	size_t scratch_len;
	size_t scratch_used;
	struct tep_record rec;
	uint64_t bytes_read;
};

/* tdat-read.c */
void tk_tdat__add_section(struct tk_tdat_reader *r, const char *name, int id, uint64_t off,
			  uint64_t size, uint64_t usize, bool compressed);
/* tdat-stream.c */
int tk_tdat__streams_init(struct tk_tdat_reader *r);
void tk_tdat__streams_fini(struct tk_tdat_reader *r);

#endif
