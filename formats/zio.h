/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_ZIO_H
#define TK_FORMATS_ZIO_H

#include <stddef.h>

#include "core/err.h"

/*
 * One-shot block decompression for the codecs trace-cmd uses: zlib-wrapped
 * deflate (RFC 1950) and zstd frames. The caller sizes `dst` from the block
 * header; output beyond it is an error, never an overflow.
 */
enum tk_zio_codec {
	TK_ZIO_ZLIB = 1,
	TK_ZIO_ZSTD = 2,
};

struct tk_zio;

/* Returns NULL on allocation failure. */
struct tk_zio *tk_zio_create(enum tk_zio_codec codec);
void tk_zio_destroy(struct tk_zio *z);

/*
 * Decompress src into dst; the result must be exactly dst_len bytes.
 * Returns 0 or a negative TK_E code with a message in err (offset: `at`).
 */
int tk_zio_decompress(struct tk_zio *z, const void *src, size_t src_len, void *dst,
		      size_t dst_len, int64_t at, struct tk_err *err);

#endif
