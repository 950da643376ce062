/* SPDX-License-Identifier: MIT */
#ifndef TK_CORE_CURSOR_H
#define TK_CORE_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * A bounded reader over bytes in memory. Loads go through memcpy (no
 * alignment or aliasing UB), swap when the data's byte order differs from
 * ours, and on short input set a sticky `trunc` flag and return 0, so a
 * parser reads a whole structure and checks once (cairo's sticky status).
 * `file_off` is the file offset of `base`, so errors can name offsets.
 */
struct tk_cursor {
	const uint8_t *base;
	size_t pos;
	size_t end;
	uint64_t file_off;
	bool swap;
	bool trunc;
};

static inline void tk_cur_init(struct tk_cursor *c, const void *base, size_t len,
			       uint64_t file_off, bool swap)
{
	c->base = base;
	c->pos = 0;
	c->end = len;
	c->file_off = file_off;
	c->swap = swap;
	c->trunc = false;
}

static inline size_t tk_cur_left(const struct tk_cursor *c)
{
	return c->trunc ? 0 : c->end - c->pos;
}

/* File offset of the next byte to read. */
static inline uint64_t tk_cur_off(const struct tk_cursor *c)
{
	return c->file_off + c->pos;
}

static inline const uint8_t *tk_cur_bytes(struct tk_cursor *c, size_t n)
{
	const uint8_t *p;

	if (c->trunc || c->end - c->pos < n) {
		c->trunc = true;
		return NULL;
	}
	p = c->base + c->pos;
	c->pos += n;
	return p;
}

static inline uint8_t tk_cur_u8(struct tk_cursor *c)
{
	const uint8_t *p = tk_cur_bytes(c, 1);

	return p ? *p : 0;
}

static inline uint16_t tk_cur_u16(struct tk_cursor *c)
{
	const uint8_t *p = tk_cur_bytes(c, 2);
	uint16_t v;

	if (!p)
		return 0;
	memcpy(&v, p, 2);
	return c->swap ? __builtin_bswap16(v) : v;
}

static inline uint32_t tk_cur_u32(struct tk_cursor *c)
{
	const uint8_t *p = tk_cur_bytes(c, 4);
	uint32_t v;

	if (!p)
		return 0;
	memcpy(&v, p, 4);
	return c->swap ? __builtin_bswap32(v) : v;
}

static inline uint64_t tk_cur_u64(struct tk_cursor *c)
{
	const uint8_t *p = tk_cur_bytes(c, 8);
	uint64_t v;

	if (!p)
		return 0;
	memcpy(&v, p, 8);
	return c->swap ? __builtin_bswap64(v) : v;
}

/*
 * A NUL-terminated string inside the bounds; NULL (and trunc) when no NUL
 * is found before the end.
 */
static inline const char *tk_cur_str0(struct tk_cursor *c)
{
	const uint8_t *p, *nul;

	if (c->trunc)
		return NULL;
	p = c->base + c->pos;
	nul = memchr(p, 0, c->end - c->pos);
	if (!nul) {
		c->trunc = true;
		return NULL;
	}
	c->pos += (size_t)(nul - p) + 1;
	return (const char *)p;
}

/* Loads from a raw pointer in a given byte order. */
static inline uint32_t tk_load_u32(const void *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static inline uint64_t tk_load_u64(const void *p, bool swap)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return swap ? __builtin_bswap64(v) : v;
}

static inline bool tk_host_bigendian(void)
{
	return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
}

#endif
