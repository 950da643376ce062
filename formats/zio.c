/* SPDX-License-Identifier: MIT */
#include "formats/zio.h"

#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>

struct tk_zio {
	enum tk_zio_codec codec;
	ZSTD_DCtx *zstd;
};

/* 2^27 = 128 MiB window: far above what trace-cmd or perf write, and a hard
 * bound on what a hostile frame can make the decoder allocate. */
#define TK_ZSTD_WINDOW_LOG_MAX 27

struct tk_zio *tk_zio_create(enum tk_zio_codec codec)
{
	struct tk_zio *z = calloc(1, sizeof(*z));

	if (!z)
		return NULL;
	z->codec = codec;
	if (codec == TK_ZIO_ZSTD) {
		z->zstd = ZSTD_createDCtx();
		if (!z->zstd) {
			free(z);
			return NULL;
		}
		ZSTD_DCtx_setParameter(z->zstd, ZSTD_d_windowLogMax, TK_ZSTD_WINDOW_LOG_MAX);
	}
	return z;
}

void tk_zio_destroy(struct tk_zio *z)
{
	if (!z)
		return;
	ZSTD_freeDCtx(z->zstd);
	free(z);
}

static int do_zlib(const void *src, size_t src_len, void *dst, size_t dst_len, int64_t at,
		   struct tk_err *err)
{
	uLongf out = dst_len;
	int ret;

	if (src_len > (uLong)-1 || dst_len > (uLongf)-1)
		return tk_err_set(err, TK_ELIMIT, at, "zlib block too large");
	ret = uncompress(dst, &out, src, (uLong)src_len);
	if (ret == Z_MEM_ERROR)
		return tk_err_set(err, TK_ENOMEM, at, "zlib: out of memory");
	if (ret != Z_OK)
		return tk_err_set(err, TK_ECORRUPT, at, "zlib block does not decompress (%s)",
				  ret == Z_BUF_ERROR ? "larger than its declared size"
						     : "corrupt data");
	if (out != dst_len)
		return tk_err_set(err, TK_ECORRUPT, at,
				  "zlib block gives %lu bytes, header says %zu", (unsigned long)out,
				  dst_len);
	return 0;
}

static int do_zstd(ZSTD_DCtx *dctx, const void *src, size_t src_len, void *dst, size_t dst_len,
		   int64_t at, struct tk_err *err)
{
	ZSTD_inBuffer in = { src, src_len, 0 };
	ZSTD_outBuffer out = { dst, dst_len, 0 };
	size_t ret;

	/* Streaming API: trace-cmd's frames carry no content size, and a frame
	 * that wants to write more than dst_len must stop, not overflow. */
	ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
	for (;;) {
		ret = ZSTD_decompressStream(dctx, &out, &in);
		if (ZSTD_isError(ret))
			return tk_err_set(err, TK_ECORRUPT, at, "zstd block does not decompress (%s)",
					  ZSTD_getErrorName(ret));
		if (ret == 0 || in.pos == in.size)
			break;
		if (out.pos == out.size) {
			/* Output full but the frame goes on: it may only consume
			 * input now; any byte of output means it is too large. */
			uint8_t probe;
			ZSTD_outBuffer extra = { &probe, 1, 0 };

			ret = ZSTD_decompressStream(dctx, &extra, &in);
			if (ZSTD_isError(ret) || extra.pos)
				return tk_err_set(err, TK_ECORRUPT, at,
						  "zstd block is larger than its declared %zu bytes",
						  dst_len);
			if (ret == 0 || in.pos == in.size)
				break;
		}
	}
	if (ret != 0 || out.pos != dst_len)
		return tk_err_set(err, TK_ECORRUPT, at,
				  "zstd block gives %zu bytes, header says %zu%s", out.pos, dst_len,
				  ret != 0 ? " (frame incomplete)" : "");
	return 0;
}

int tk_zio_decompress(struct tk_zio *z, const void *src, size_t src_len, void *dst,
		      size_t dst_len, int64_t at, struct tk_err *err)
{
	if (z->codec == TK_ZIO_ZLIB)
		return do_zlib(src, src_len, dst, dst_len, at, err);
	return do_zstd(z->zstd, src, src_len, dst, dst_len, at, err);
}
