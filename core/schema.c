/* SPDX-License-Identifier: MIT */
#include "core/schema.h"

#include <string.h>

/* Host byte order is little endian (x86_64, arm64); see load(). */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "load() assumes a little-endian host");

static uint64_t load(const uint8_t *p, uint32_t size, bool big, bool sign)
{
	uint64_t v = 0;
	uint32_t i;

	/* The common sizes in one load each; this runs per field per event. */
	if (!big || size == 1) {
		switch (size) {
		case 1: return sign ? (uint64_t)(int64_t)(int8_t)p[0] : p[0];
		case 2: { uint16_t x; memcpy(&x, p, 2);
			  return sign ? (uint64_t)(int64_t)(int16_t)x : x; }
		case 4: { uint32_t x; memcpy(&x, p, 4);
			  return sign ? (uint64_t)(int64_t)(int32_t)x : x; }
		case 8: memcpy(&v, p, 8); return v;
		default: break;
		}
	}
	if (size > 8)
		size = 8;
	for (i = 0; i < size; i++) {
		uint32_t shift = big ? 8 * (size - 1 - i) : 8 * i;

		v |= (uint64_t)p[i] << shift;
	}
	if (sign && size > 0 && size < 8 && (v >> (8 * size - 1)) & 1)
		v |= ~0ull << (8 * size);
	return v;
}

uint64_t tk_field_u64(const struct tk_field *f, const struct tk_payload *p)
{
	if (!f || !p || f->offset > p->size || f->size > p->size - f->offset || f->size == 0)
		return 0;
	return load(p->data + f->offset, f->elem_size ? f->elem_size : f->size,
		    f->flags & TK_FIELD_BIGENDIAN, f->flags & TK_FIELD_SIGNED);
}

uint64_t tk_field_elem(const struct tk_field *f, const struct tk_payload *p, uint32_t i)
{
	uint64_t off;

	if (!f || !p || !f->elem_size)
		return 0;
	off = (uint64_t)f->offset + (uint64_t)i * f->elem_size;
	if (off > p->size || f->elem_size > p->size - off)
		return 0;
	return load(p->data + off, f->elem_size, f->flags & TK_FIELD_BIGENDIAN,
		    f->flags & TK_FIELD_SIGNED);
}

const char *tk_field_str(const struct tk_field *f, const struct tk_payload *p, size_t *len)
{
	uint32_t off, size;
	const char *s;
	const void *nul;

	*len = 0;
	if (!f || !p || f->offset > p->size || f->size > p->size - f->offset)
		return "";
	off = f->offset;
	size = f->size;
	if (f->flags & TK_FIELD_DYNAMIC) {
		/* __data_loc: low 16 bits offset, high 16 bits length */
		uint32_t loc;

		if (f->size < 4)
			return "";
		loc = (uint32_t)load(p->data + f->offset, 4, f->flags & TK_FIELD_BIGENDIAN, false);
		off = loc & 0xffff;
		size = loc >> 16;
		if (off > p->size || size > p->size - off)
			return "";
	}
	s = (const char *)p->data + off;
	nul = memchr(s, 0, size);
	*len = nul ? (size_t)((const char *)nul - s) : size;
	return s;
}
