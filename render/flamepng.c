/* SPDX-License-Identifier: MIT */
/*
 * The flame graph as a PNG, through cairo: the SVG's picture without the
 * script, for reports and places that do not take SVG. Same layout, same
 * colours; text comes from cairo's font selection, so glyphs depend on the
 * fonts installed (the frame rectangles do not).
 */
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/flamesvg-int.h"
#include "render/flamesvg.h"

static void set_hex(cairo_pattern_t *p, double offset, const char *hex)
{
	unsigned long v = strtoul(hex + 1, NULL, 16);

	cairo_pattern_add_color_stop_rgb(p, offset, (double)(v >> 16 & 0xff) / 255,
					 (double)(v >> 8 & 0xff) / 255, (double)(v & 0xff) / 255);
}

static void centred(cairo_t *cr, double x, double y, const char *s)
{
	cairo_text_extents_t e;

	cairo_text_extents(cr, s, &e);
	cairo_move_to(cr, x - (e.x_advance / 2), y);
	cairo_show_text(cr, s);
}

static cairo_status_t write_fn(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
						    : CAIRO_STATUS_WRITE_ERROR;
}

/* One decimal, as the SVG's rect attributes carry. */
static double round1(double v)
{
	return round(v * 10) / 10;
}

int tk_flamesvg_write_png(const struct tk_flamesvg *f, FILE *out, struct tk_err *err)
{
	const struct tk_flamesvg_opts *o = tk_flamesvg__opts(f);
	const struct tk_flamesvg_frame *frames;
	double h = tk_flamesvg_get_height(f), fs = o->fontsize;
	int w = tk_flamesvg_get_width(f), ih = (int)ceil(h);
	const char *c1, *c2;
	cairo_surface_t *surf;
	cairo_pattern_t *bg;
	cairo_status_t st;
	cairo_t *cr;
	size_t n, i;
	char *buf = NULL;
	size_t cap = 0;

	if (ih > 32767 || w > 32767)
		return tk_err_set(err, TK_ELIMIT, -1,
				  "PNG of %dx%d pixels is past cairo's 32767 limit", w, ih);
	surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, ih);
	cr = cairo_create(surf);
	tk_flamesvg__background(f, &c1, &c2);
	bg = cairo_pattern_create_linear(0, 0, 0, h);
	set_hex(bg, 0.05, c1);
	set_hex(bg, 0.95, c2);
	cairo_set_source(cr, bg);
	cairo_paint(cr);
	cairo_pattern_destroy(bg);

	cairo_select_font_face(cr, o->fonttype, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_font_size(cr, fs + 5);
	centred(cr, (double)(w / 2), fs * 2, tk_flamesvg__title(f));
	cairo_set_font_size(cr, fs);
	if (o->subtitle && *o->subtitle) {
		cairo_set_source_rgb(cr, 160.0 / 255, 160.0 / 255, 160.0 / 255);
		centred(cr, (double)(w / 2), fs * 4, o->subtitle);
	}

	frames = tk_flamesvg_get_frames(f, &n);
	for (i = 0; i < n; i++) {
		struct tk_flamesvg_box b;
		uint8_t rgb[3];
		double x1, x2;
		const char *s;
		bool dots;
		size_t len;

		tk_flamesvg_get_box(f, &frames[i], &b);
		tk_flamesvg_get_color(f, &frames[i], rgb);
		x1 = round1(b.x1);
		x2 = round1(b.x2);
		cairo_set_source_rgb(cr, rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0);
		cairo_rectangle(cr, x1, b.y1, x2 - x1, b.y2 - b.y1);
		cairo_fill(cr);
		len = tk_flamesvg__fit_label(f, &frames[i], &b, &s, &dots);
		if (!len)
			continue;
		if (len + 3 > cap) {
			char *nb = realloc(buf, len + 3);

			if (!nb) {
				free(buf);
				cairo_destroy(cr);
				cairo_surface_destroy(surf);
				return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
			}
			buf = nb;
			cap = len + 3;
		}
		memcpy(buf, s, len);
		memcpy(buf + len, dots ? ".." : "", dots ? 3 : 1);
		/* The average-width rule can overshoot a little with real
		 * glyphs; clip to the frame as a browser would not. */
		cairo_save(cr);
		cairo_rectangle(cr, x1, b.y1, x2 - x1, b.y2 - b.y1);
		cairo_clip(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_move_to(cr, b.x1 + 3, 3 + (b.y1 + b.y2) / 2);
		cairo_show_text(cr, buf);
		cairo_restore(cr);
	}
	free(buf);
	st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_write_to_png_stream(surf, write_fn, out);
	cairo_surface_destroy(surf);
	if (st == CAIRO_STATUS_WRITE_ERROR || fflush(out) || ferror(out))
		return tk_err_sys(err, errno ? errno : EIO, -1, "writing the PNG");
	if (st != CAIRO_STATUS_SUCCESS)
		return tk_err_set(err, TK_ENOMEM, -1, "cairo: %s", cairo_status_to_string(st));
	return 0;
}
