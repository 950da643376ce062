/* SPDX-License-Identifier: MIT */
/*
 * trace.dat: per-CPU record streams and their merge.
 *
 * Each CPU of each buffer is a stream of ring-buffer sub-buffers ("pages"):
 * straight from the file mapping when uncompressed (consumed ranges are
 * dropped from the mapping, so resident memory stays bounded), or one
 * decompressed chunk at a time when compressed. A heap keyed on
 * (timestamp, stream index) merges the streams.
 *
 * The page walk follows the kernel's ring-buffer encoding (see
 * docs/trace-dat.md, "Sub-buffers") with the same timestamp rules as
 * libtraceevent's kbuffer, so times print identically; it is written here
 * rather than using kbuffer because every record length must be checked
 * against the sub-buffer before it is used, and the file may be hostile.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/cursor.h"
#include "core/event.h"
#include "formats/tdat-int.h"

#define TYPE_PADDING		29
#define TYPE_TIME_EXTEND	30
#define TYPE_TIME_STAMP		31
#define TS_SHIFT		27
#define TS_MSB			(0xf8ull << 56)
#define COMMIT_MASK		((1u << 27) - 1)
#define MISSED_EVENTS		(1ull << 31)
#define MISSED_STORED		(1ull << 30)

static uint64_t adjust_ts(const struct tk_tdat_reader *r, uint64_t ts)
{
	if (r->tsc_mult)
		ts = (uint64_t)(((unsigned __int128)ts * r->tsc_mult) >> r->tsc_shift);
	return ts + (uint64_t)r->ts_offset;
}

static int corrupt(struct tk_tdat_reader *r, struct tdat_stream *s, uint64_t at, const char *what)
{
	return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)at, "CPU %d: %s", s->cpu, what);
}

/* Release file pages this stream has consumed from our resident set. */
static void drop_consumed(struct tk_tdat_reader *r, struct tdat_stream *s)
{
	long hp = sysconf(_SC_PAGESIZE);
	uint64_t start, end;

	if (s->next_page - s->dropped < TK_TDAT_DROP_STEP || hp <= 0)
		return;
	start = (s->ci->data_offset + s->dropped + (uint64_t)hp - 1) & ~((uint64_t)hp - 1);
	end = (s->ci->data_offset + s->next_page - s->page_size) & ~((uint64_t)hp - 1);
	if (end > start)
		madvise(r->map + start, (size_t)(end - start), MADV_DONTNEED);
	s->dropped = s->next_page - s->page_size;
}

/* Read the next chunk of a compressed stream: u32 csize, u32 usize, data. */
static int load_chunk(struct tk_tdat_reader *r, struct tdat_stream *s)
{
	/* The size trace-cmd stores counts the chunks, not the u32 before them. */
	uint64_t end = s->ci->data_offset + 4 + s->ci->data_size;
	struct tk_cursor c;
	uint32_t csize, usize;
	const uint8_t *src;
	int ret;

	if (s->chunk_pos > end || end - s->chunk_pos < 8)
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)s->chunk_pos,
				  "CPU %d: chunk %u of %u lies past the CPU's data", s->cpu,
				  s->chunk_i + 1, s->nchunks);
	tk_cur_init(&c, r->map + s->chunk_pos, (size_t)(end - s->chunk_pos), s->chunk_pos, r->swap);
	csize = tk_cur_u32(&c);
	usize = tk_cur_u32(&c);
	if (csize > tk_cur_left(&c))
		return tk_err_set(&r->err, TK_ETRUNC, (int64_t)s->chunk_pos,
				  "CPU %d: chunk of %u compressed bytes runs past the CPU's data",
				  s->cpu, csize);
	if (usize > TK_TDAT_MAX_CHUNK || usize == 0)
		return tk_err_set(&r->err, usize ? TK_ELIMIT : TK_ECORRUPT, (int64_t)s->chunk_pos,
				  "CPU %d: chunk claims %u bytes uncompressed", s->cpu, usize);
	if (usize > s->ubuf_cap) {
		/* A zeroed pad after the chunk lets records be handed out in
		 * place (see tk_tdat_next). */
		uint8_t *n = realloc(s->ubuf, (size_t)usize + TK_TDAT_SCRATCH_PAD);

		if (!n)
			return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
		s->ubuf = n;
		s->ubuf_cap = usize;
	}
	src = tk_cur_bytes(&c, csize);
	ret = tk_zio_decompress(r->zio, src, csize, s->ubuf, usize, (int64_t)s->chunk_pos,
				&r->err);
	if (ret)
		return ret;
	s->chunk_off = s->chunk_pos;
	s->chunk_pos += 8 + (uint64_t)csize;
	s->chunk_i++;
	s->ubuf_len = usize;
	s->ubuf_next = 0;
	memset(s->ubuf + usize, 0, TK_TDAT_SCRATCH_PAD);
	r->bytes_read += 8 + (uint64_t)csize;
	/* A chunk after the first that is not whole pages would misalign the
	 * rest of the stream. */
	if (usize % s->page_size && s->chunk_i < s->nchunks)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)s->chunk_off,
				  "CPU %d: chunk of %u bytes is not a multiple of the %u-byte "
				  "sub-buffer",
				  s->cpu, usize, s->page_size);
	return 0;
}

/* Make the next sub-buffer current. Returns 1, 0 at the end, or < 0. */
static int next_page(struct tk_tdat_reader *r, struct tdat_stream *s)
{
	uint32_t kl = (uint32_t)r->info.kernel_long_size;
	struct tk_cursor c;
	uint64_t commit;

	if (!s->compressed) {
		uint64_t left = s->ci->data_size - s->next_page;

		if (!left)
			return 0;
		s->plen = left < s->page_size ? (uint32_t)left : s->page_size;
		s->page = r->map + s->ci->data_offset + s->next_page;
		s->page_off = s->ci->data_offset + s->next_page;
		s->next_page += s->plen;
		r->bytes_read += s->plen;
		drop_consumed(r, s);
	} else {
		while (s->ubuf_next >= s->ubuf_len) {
			int ret;

			if (s->chunk_i >= s->nchunks)
				return 0;
			ret = load_chunk(r, s);
			if (ret)
				return ret;
		}
		s->plen = s->ubuf_len - s->ubuf_next < s->page_size
				  ? (uint32_t)(s->ubuf_len - s->ubuf_next)
				  : s->page_size;
		s->page = s->ubuf + s->ubuf_next;
		s->page_off = s->chunk_off;
		s->ubuf_next += s->plen;
	}
	s->ci->pages++;

	/* u64 time_stamp; kernel long commit (length + MISSED flags); data */
	s->data_start = 8 + kl;
	if (s->plen < s->data_start)
		return corrupt(r, s, s->page_off, "sub-buffer shorter than its header");
	tk_cur_init(&c, s->page, s->plen, s->page_off, r->swap);
	s->ts = tk_cur_u64(&c);
	commit = kl == 8 ? tk_cur_u64(&c) : tk_cur_u32(&c);
	s->commit = (uint32_t)commit & COMMIT_MASK;
	if (s->commit > s->plen - s->data_start)
		return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)s->page_off,
				  "CPU %d: sub-buffer says %u bytes of data, it can hold %u", s->cpu,
				  s->commit, s->plen - s->data_start);
	s->next = 0;
	s->page_missed = 0;
	if (commit & MISSED_EVENTS) {
		if (commit & MISSED_STORED) {
			uint64_t at = (uint64_t)s->data_start + s->commit;

			if (at + kl > s->plen)
				return corrupt(r, s, s->page_off, "lost-event count past the sub-buffer");
			s->page_missed = (int64_t)(kl == 8 ? tk_load_u64(s->page + at, r->swap)
							   : tk_load_u32(s->page + at, r->swap));
			if (s->page_missed < 0)
				s->page_missed = 0;
			s->ci->lost_events += (uint64_t)s->page_missed;
		} else {
			s->page_missed = -1;
			s->ci->lost_unknown++;
		}
	}
	return 1;
}

/*
 * Decode records of the current page until a data record is found.
 * Returns 1 with the record set, 0 at the end of the page, or < 0.
 */
static int page_record(struct tk_tdat_reader *r, struct tdat_stream *s)
{
	const uint8_t *d = s->page + s->data_start;
	uint32_t limit = s->plen - s->data_start;	/* what we may read */

	while (s->next < s->commit) {
		uint32_t pos = s->next, w, type, delta, len, idx;

		if (limit - pos < 4)
			return corrupt(r, s, s->page_off, "record header past the sub-buffer");
		w = tk_load_u32(d + pos, r->swap);
		if (r->info.big_endian) {
			type = w >> 27;
			delta = w & ((1u << 27) - 1);
		} else {
			type = w & 31;
			delta = w >> 5;
		}
		if (type >= TYPE_PADDING || type == 0) {
			if (limit - pos < 8)
				return corrupt(r, s, s->page_off, "record past the sub-buffer");
		}
		switch (type) {
		case TYPE_PADDING:
			len = tk_load_u32(d + pos + 4, r->swap);
			idx = pos + 4;
			s->ts += delta;
			if (len > limit - idx)
				s->next = s->commit;	/* runs to the end: stop here */
			else
				s->next = idx + len;
			continue;
		case TYPE_TIME_EXTEND:
			s->ts += ((uint64_t)tk_load_u32(d + pos + 4, r->swap) << TS_SHIFT) + delta;
			s->next = pos + 8;
			continue;
		case TYPE_TIME_STAMP:
			s->ts = (((uint64_t)tk_load_u32(d + pos + 4, r->swap) << TS_SHIFT) + delta) |
				(s->ts & TS_MSB);
			s->next = pos + 8;
			continue;
		case 0:
			len = tk_load_u32(d + pos + 4, r->swap);
			if (len < 4)
				return corrupt(r, s, s->page_off, "record length below 4");
			len = ((len - 4) + 3) & ~3u;
			idx = pos + 8;
			break;
		default:
			len = type * 4;
			idx = pos + 4;
			break;
		}
		if (len > limit - idx)
			return corrupt(r, s, s->page_off, "record runs past the sub-buffer");
		s->ts += delta;
		s->next = idx + len;
		s->rec_data = d + idx;
		s->rec_size = len;
		s->rec_hdr = idx - pos;
		s->rec_pos = pos;
		/* As kbuffer does: only a record at the very start of the page
		 * carries the page's lost-event mark. */
		s->rec_missed = pos == 0 ? s->page_missed : 0;
		s->rec_ts = adjust_ts(r, s->ts);
		return 1;
	}
	return 0;
}

static int advance(struct tk_tdat_reader *r, struct tdat_stream *s)
{
	for (;;) {
		int ret;

		if (s->page) {
			ret = page_record(r, s);
			if (ret)
				return ret;
		}
		ret = next_page(r, s);
		if (ret <= 0) {
			s->page = NULL;
			return ret;
		}
	}
}

static int stream_start(struct tk_tdat_reader *r, struct tdat_stream *s)
{
	if (s->compressed) {
		struct tk_cursor c;

		/* u32 nchunks, then data_size bytes of chunks */
		if (r->size - s->ci->data_offset - s->ci->data_size < 4)
			return tk_err_set(&r->err, TK_ETRUNC, (int64_t)s->ci->data_offset,
					  "CPU %d: compressed data runs past the end of the file",
					  s->cpu);
		tk_cur_init(&c, r->map + s->ci->data_offset, (size_t)s->ci->data_size + 4,
			    s->ci->data_offset, r->swap);
		s->nchunks = tk_cur_u32(&c);
		/* each chunk needs at least its 8-byte header */
		if ((uint64_t)s->nchunks * 8 > tk_cur_left(&c))
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)s->ci->data_offset,
					  "CPU %d: %u chunks cannot fit in %" PRIu64 " bytes", s->cpu,
					  s->nchunks, s->ci->data_size);
		s->chunk_pos = s->ci->data_offset + 4;
	}
	return advance(r, s);
}

int tk_tdat__streams_init(struct tk_tdat_reader *r)
{
	int i, j, n = 0;
	uint32_t maxpage = 0;

	for (i = 0; i < r->nbuffers; i++)
		n += r->buffers[i].ncpu_entries;
	r->streams = calloc(n ? (size_t)n : 1, sizeof(*r->streams));
	if (!r->streams || tk_heap_init(&r->heap, (size_t)n))
		return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
	for (i = 0; i < r->nbuffers; i++) {
		struct tdat_buffer *b = &r->buffers[i];

		if (b->info.page_size < TK_TDAT_MIN_PAGE || b->info.page_size > TK_TDAT_MAX_PAGE)
			return tk_err_set(&r->err, TK_ECORRUPT, (int64_t)b->section_off,
					  "buffer '%s': sub-buffer size %u out of range", b->info.name,
					  b->info.page_size);
		if (b->info.page_size > maxpage)
			maxpage = b->info.page_size;
		for (j = 0; j < b->ncpu_entries; j++) {
			struct tdat_stream *s = &r->streams[r->nstreams++];

			s->buffer = i;
			s->cpu = b->cpus[j].cpu;
			s->ci = &b->cpus[j];
			s->page_size = b->info.page_size;
			s->compressed = b->info.compressed;
			s->selected = true;
		}
	}
	r->scratch_len = (size_t)maxpage + TK_TDAT_SCRATCH_PAD;
	r->scratch = calloc(1, r->scratch_len);
	if (!r->scratch)
		return tk_err_set(&r->err, TK_ENOMEM, -1, "out of memory");
	return 0;
}

void tk_tdat__streams_fini(struct tk_tdat_reader *r)
{
	int i;

	for (i = 0; i < r->nstreams; i++)
		free(r->streams[i].ubuf);
	free(r->streams);
	r->streams = NULL;
	tk_heap_fini(&r->heap);
	free(r->scratch);
	r->scratch = NULL;
}

int tk_tdat_select_cpus(struct tk_tdat_reader *r, const uint64_t *bits, int nbits)
{
	int i;

	if (r->started)
		return tk_err_set(&r->err, TK_EINVAL, -1, "CPU selection after reading began");
	for (i = 0; i < r->nstreams; i++) {
		int cpu = r->streams[i].cpu;

		r->streams[i].selected =
			!bits || (cpu < nbits && (bits[cpu / 64] >> (cpu % 64)) & 1);
	}
	return 0;
}

static int start(struct tk_tdat_reader *r)
{
	int i, ret;

	r->started = true;
	for (i = 0; i < r->nstreams; i++) {
		struct tdat_stream *s = &r->streams[i];

		if (!s->selected)
			continue;
		ret = stream_start(r, s);
		if (ret < 0)
			return ret;
		if (ret)
			tk_heap_push(&r->heap, s->rec_ts, (uint32_t)i);
	}
	return 0;
}

int tk_tdat_next(struct tk_tdat_reader *r, struct tk_tdat_rec *out)
{
	struct tdat_stream *s;
	uint32_t total, tail;
	const uint8_t *data;
	int ret;

	if (r->err.code)
		return -r->err.code;
	if (!r->started) {
		ret = start(r);
		if (ret)
			return ret;
	}
	if (r->last >= 0) {
		s = &r->streams[r->last];
		r->last = -1;
		ret = advance(r, s);
		if (ret < 0)
			return ret;
		if (ret)
			tk_heap_replace_top(&r->heap, s->rec_ts);
		else
			tk_heap_pop(&r->heap);
	}
	if (!r->heap.n)
		return 0;
	r->last = (int)tk_heap_top(&r->heap)->idx;
	s = &r->streams[r->last];

	/* The copy sits in a zeroed area larger than any reach of a
	 * __data_loc field, so decoding a hostile record stays in bounds.
	 * Some bytes after the record come along: formats with fixed arrays
	 * longer than the record (kernel_stack's caller[8]) are read past its
	 * end by libtraceevent, and trace-cmd then shows the bytes that follow
	 * in its buffer (into the next sub-buffer); we show the same. */
	total = s->rec_size;
	if (s->compressed)
		tail = (uint32_t)(s->ubuf + s->ubuf_len - (s->rec_data + total));
	else
		tail = (uint32_t)(r->map + s->ci->data_offset + s->ci->data_size -
				  (s->rec_data + total));
	/*
	 * In place when what a reader may see is what the copy would hold:
	 * the first TAIL_COPY bytes after the record are this CPU's own data
	 * (or the zeroed pad after a chunk), and everything a __data_loc can
	 * reach lies inside our memory (the file mapping, or the pad).
	 * Copying every record cost 40% of a full read.
	 */
	if (s->compressed ? true
			  : (tail >= TK_TDAT_TAIL_COPY &&
			     (uint64_t)(s->rec_data - r->map) + TK_TDAT_SCRATCH_PAD <= r->size)) {
		data = s->rec_data;
	} else {
		total += tail < TK_TDAT_TAIL_COPY ? tail : TK_TDAT_TAIL_COPY;
		memcpy(r->scratch, s->rec_data, total);
		if (r->scratch_used > total)
			memset(r->scratch + total, 0, r->scratch_used - total);
		r->scratch_used = total;
		data = r->scratch;
	}

	memset(&r->rec, 0, sizeof(r->rec));
	r->rec.ts = s->rec_ts;
	r->rec.cpu = s->cpu;
	r->rec.data = (void *)(uintptr_t)data;
	r->rec.size = (int)s->rec_size;
	r->rec.record_size = (int)(s->rec_size + s->rec_hdr);
	r->rec.missed_events = s->rec_missed;
	r->rec.offset = s->compressed ? s->page_off : s->page_off + s->data_start + s->rec_pos;
	r->rec.ref_count = 1;
	out->rec = &r->rec;
	out->buffer = s->buffer;
	out->cpu = s->cpu;
	return 1;
}

void tk_tdat_to_event(const struct tk_tdat_reader *r, const struct tk_tdat_rec *tr,
		      struct tk_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts = tr->rec->ts;
	ev->cpu = (uint16_t)tr->cpu;
	ev->kind = TK_EV_GENERIC;
	ev->tid = (uint32_t)tep_data_pid(r->tep, tr->rec);
	ev->u.generic.event_id = (uint32_t)tep_data_type(r->tep, tr->rec);
	ev->u.generic.size = (uint32_t)tr->rec->size;
}
