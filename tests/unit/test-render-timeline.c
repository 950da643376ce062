/* SPDX-License-Identifier: MIT */
/*
 * The timeline picture, read back through cairo: size, slice colours where
 * the raster says a task ran, blank where the CPU was idle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cairo.h>

#include "analyze/timebin.h"
#include "render/timeline.h"

struct mem {
	const unsigned char *p;
	size_t len, pos;
};

static cairo_status_t read_fn(void *closure, unsigned char *data, unsigned int len)
{
	struct mem *m = closure;

	if (m->len - m->pos < len)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, m->p + m->pos, len);
	m->pos += len;
	return CAIRO_STATUS_SUCCESS;
}

static void sw(struct tk_timebin *tb, uint64_t ts, uint16_t cpu, uint32_t prev, uint32_t next)
{
	struct tk_event e;

	memset(&e, 0, sizeof(e));
	e.ts = ts;
	e.cpu = cpu;
	e.kind = TK_EV_SWITCH;
	e.tid = prev;
	e.u.sw.next_tid = next;
	e.u.sw.prev_comm = e.u.sw.next_comm = TK_NOSTR;
	assert_int_equal(tk_timebin_event(tb, &e), 0);
}

/* 400 px wide: 300 columns over [0, 3000) us; task 7 runs the first third on CPU 0. */
static struct tk_timebin *raster(void)
{
	struct tk_timebin_opts o = { .from = 1, .to = 3000001, .oversample = 2 };
	struct tk_timebin *tb;

	o.columns = tk_timeline_columns(400);
	assert_int_equal(o.columns, 300);
	tb = tk_timebin_create(&o, NULL, NULL);
	assert_non_null(tb);
	sw(tb, 1, 0, 0, 7);
	sw(tb, 1000001, 0, 7, 0);
	sw(tb, 1, 1, 0, 0);
	sw(tb, 3000001, 1, 0, 8);
	assert_int_equal(tk_timebin_finish(tb, NULL), 0);
	return tb;
}

static char *render(struct tk_timebin *tb, enum tk_timeline_format f, size_t *len)
{
	struct tk_timeline_opts o;
	struct tk_err err;
	char *buf = NULL;
	FILE *out = open_memstream(&buf, len);

	tk_timeline_opts_init(&o);
	o.width = 400;
	o.format = f;
	tk_err_clear(&err);
	assert_int_equal(tk_timeline_write(tk_timebin_get(tb), &o, out, &err), 0);
	fclose(out);
	return buf;
}

static void test_png(void **state)
{
	struct tk_timebin *tb = raster();
	size_t len, len2;
	char *png = render(tb, TK_TIMELINE_PNG, &len), *png2;
	struct mem m = { (const unsigned char *)png, len, 0 };
	cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_fn, &m);
	unsigned char *px;
	uint32_t v;
	uint8_t rgb[3];
	int stride;

	(void)state;
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	assert_int_equal(cairo_image_surface_get_width(s), 400);
	/* 44 top + 2 CPU lanes of 27 + 34 axis + no legend rows (nothing busy but 7: one) + 6 */
	assert_int_equal(cairo_image_surface_get_height(s), 44 + 2 * 27 + 34 + 16 + 6);
	cairo_surface_flush(s);
	px = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	tk_timeline_task_color("", 7, rgb);
	/* Column 50 of CPU 0's band (y 44 .. 62): task 7. */
	memcpy(&v, px + (size_t)(44 + 10) * (size_t)stride + (size_t)(90 + 50) * 4, 4);
	assert_int_equal((v >> 16) & 0xff, rgb[0]);
	assert_int_equal((v >> 8) & 0xff, rgb[1]);
	assert_int_equal(v & 0xff, rgb[2]);
	/* Column 200: idle, the lane's light grey. */
	memcpy(&v, px + (size_t)(44 + 10) * (size_t)stride + (size_t)(90 + 200) * 4, 4);
	assert_int_equal(v & 0xffffff, 0xf5f5f5);
	cairo_surface_destroy(s);
	/* The same bytes again. */
	png2 = render(tb, TK_TIMELINE_PNG, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(png, png2, len);
	free(png);
	free(png2);
	tk_timebin_destroy(tb);
}

static void test_vector(void **state)
{
	struct tk_timebin *tb = raster();
	size_t len;
	char *svg = render(tb, TK_TIMELINE_SVG, &len), *pdf;

	(void)state;
	assert_true(len > 100 && !memcmp(svg, "<?xml", 5));
	free(svg);
	pdf = render(tb, TK_TIMELINE_PDF, &len);
	assert_true(len > 100 && !memcmp(pdf, "%PDF", 4));
	free(pdf);
	tk_timebin_destroy(tb);
}

/* A task's colour depends on its name and tid only. */
static void test_colors(void **state)
{
	uint8_t a[3], b[3], c[3];

	(void)state;
	tk_timeline_task_color("busy", 4057, a);
	tk_timeline_task_color("busy", 4057, b);
	tk_timeline_task_color("busy", 4058, c);
	assert_memory_equal(a, b, 3);
	assert_memory_not_equal(a, c, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png),
		cmocka_unit_test(test_vector),
		cmocka_unit_test(test_colors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
