/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>
#include <zstd.h>

#include "formats/zio.h"

static uint8_t plain[10000], packed[12000], out[10001];

static void fill(void)
{
	size_t i;

	for (i = 0; i < sizeof(plain); i++)
		plain[i] = (uint8_t)(i * 7 % 13);
}

static void test_zstd_roundtrip_and_lies(void **state)
{
	struct tk_zio *z = tk_zio_create(TK_ZIO_ZSTD);
	struct tk_err e;
	size_t n;

	(void)state;
	fill();
	n = ZSTD_compress(packed, sizeof(packed), plain, sizeof(plain), 3);
	assert_false(ZSTD_isError(n));
	tk_err_clear(&e);
	assert_int_equal(tk_zio_decompress(z, packed, n, out, sizeof(plain), 0, &e), 0);
	assert_memory_equal(out, plain, sizeof(plain));
	/* declared size too small: must stop, not overflow */
	tk_err_clear(&e);
	assert_int_equal(tk_zio_decompress(z, packed, n, out, 100, 7, &e), -TK_ECORRUPT);
	assert_int_equal(e.offset, 7);
	/* declared size too large */
	tk_err_clear(&e);
	assert_int_equal(tk_zio_decompress(z, packed, n, out, sizeof(plain) + 1, 0, &e),
			 -TK_ECORRUPT);
	/* cut frame */
	tk_err_clear(&e);
	assert_int_equal(tk_zio_decompress(z, packed, n / 2, out, sizeof(plain), 0, &e),
			 -TK_ECORRUPT);
	/* garbage */
	tk_err_clear(&e);
	memset(packed, 0x5a, 64);
	assert_int_equal(tk_zio_decompress(z, packed, 64, out, sizeof(plain), 0, &e),
			 -TK_ECORRUPT);
	tk_zio_destroy(z);
}

static void test_zlib_roundtrip_and_lies(void **state)
{
	struct tk_zio *z = tk_zio_create(TK_ZIO_ZLIB);
	uLongf n = sizeof(packed);
	struct tk_err e;

	(void)state;
	fill();
	assert_int_equal(compress2(packed, &n, plain, sizeof(plain), 9), Z_OK);
	tk_err_clear(&e);
	assert_int_equal(tk_zio_decompress(z, packed, n, out, sizeof(plain), 0, &e), 0);
	assert_memory_equal(out, plain, sizeof(plain));
	tk_err_clear(&e);
	assert_int_equal(tk_zio_decompress(z, packed, n, out, 100, 0, &e), -TK_ECORRUPT);
	tk_err_clear(&e);
	assert_int_equal(tk_zio_decompress(z, packed, n, out, sizeof(plain) + 1, 0, &e),
			 -TK_ECORRUPT);
	tk_zio_destroy(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zstd_roundtrip_and_lies),
		cmocka_unit_test(test_zlib_roundtrip_and_lies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
