/* SPDX-License-Identifier: MIT */
/*
 * The timeline picture (render/timeline.h). Everything is drawn from the
 * raster result: runs of equal columns become one rectangle, so the
 * vector outputs grow with the picture, not with the trace.
 */
#include "render/timeline.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#define LEFT 90.0			/* lane labels */
#define RIGHT 10.0
#define TOP 44.0			/* title and range line */
#define CPU_BAND 18.0			/* a CPU lane: band, latency strip, gap */
#define CPU_STRIP 4.0
#define CPU_GAP 5.0
#define TASK_BAND 11.0
#define TASK_GAP 2.0
#define AXIS 34.0
#define LEGEND_ROW 16.0
#define LEGEND_COL 280.0
#define FONT "DejaVu Sans"

void tk_timeline_opts_init(struct tk_timeline_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->width = 1200;
	o->format = TK_TIMELINE_PNG;
	o->legend = 12;
	o->task_lanes = 16;
}

uint32_t tk_timeline_columns(int width)
{
	return width > (int)(LEFT + RIGHT) + 10 ? (uint32_t)(width - (int)(LEFT + RIGHT)) : 0;
}

static double hue_to(double p, double q, double t)
{
	if (t < 0)
		t += 1;
	if (t > 1)
		t -= 1;
	if (t < 1.0 / 6)
		return p + (q - p) * 6 * t;
	if (t < 0.5)
		return q;
	if (t < 2.0 / 3)
		return p + (q - p) * (2.0 / 3 - t) * 6;
	return p;
}

void tk_timeline_task_color(const char *comm, uint32_t tid, uint8_t rgb[3])
{
	/* FNV-1a over the name, then the tid: stable across runs and machines. */
	uint32_t h = 2166136261u, i;
	const unsigned char *s = (const unsigned char *)comm;
	double hue, sat, lig, q, p;

	for (; *s; s++)
		h = (h ^ *s) * 16777619u;
	for (i = 0; i < 4; i++)
		h = (h ^ ((tid >> (8 * i)) & 0xff)) * 16777619u;
	hue = (double)(h % 360) / 360;
	sat = 0.55 + (double)((h >> 9) % 25) / 100;
	lig = 0.48 + (double)((h >> 17) % 14) / 100;
	q = lig < 0.5 ? lig * (1 + sat) : lig + sat - lig * sat;
	p = 2 * lig - q;
	rgb[0] = (uint8_t)lround(255 * hue_to(p, q, hue + 1.0 / 3));
	rgb[1] = (uint8_t)lround(255 * hue_to(p, q, hue));
	rgb[2] = (uint8_t)lround(255 * hue_to(p, q, hue - 1.0 / 3));
}

struct ctx {
	const struct tk_timebin_result *r;
	const struct tk_timeline_opts *o;
	cairo_t *cr;
	double scale;			/* lane heights, when --height squeezes them */
	/* tid -> colour: looked up in the task table, sorted by busy time */
};

static const struct tk_timebin_task *find_task(const struct tk_timebin_result *r, uint32_t tid)
{
	size_t i;

	/* Called once per run of columns, not per event: a scan is fine. */
	for (i = 0; i < r->ntasks; i++)
		if (r->tasks[i].tid == tid)
			return &r->tasks[i];
	return NULL;
}

static void task_rgb(const struct tk_timebin_result *r, uint32_t tid, double c[3])
{
	const struct tk_timebin_task *t = find_task(r, tid);
	uint8_t rgb[3];

	if (t && !t->match) {
		c[0] = c[1] = c[2] = 0.8;
		return;
	}
	tk_timeline_task_color(t ? t->comm : "", tid, rgb);
	c[0] = rgb[0] / 255.0;
	c[1] = rgb[1] / 255.0;
	c[2] = rgb[2] / 255.0;
}

/* Longest wakeup latency to a shade: 1 us light yellow .. 10 ms dark red. */
static void latency_rgb(uint64_t ns, double c[3])
{
	double t = log10((double)ns / 1000.0) / 4;

	if (t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	c[0] = (255 - 105 * t) / 255;
	c[1] = (225 - 225 * t) / 255;
	c[2] = (140 - 140 * t) / 255;
}

static void text(cairo_t *cr, double x, double y, const char *s)
{
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, s);
}

static void fmt_time(char *buf, size_t cap, double ns)
{
	static const char *const units[] = { "ns", "\xc2\xb5s", "ms", "s" };
	int u = 0;

	while (u < 3 && fabs(ns) >= 1000) {
		ns /= 1000;
		u++;
	}
	snprintf(buf, cap, "%.4g %s", ns, units[u]);
}

/* One lane's band: runs of equal (tid, height) columns as rectangles. */
static void draw_band(struct ctx *x, const struct tk_timebin_lane *lane, double y, double h)
{
	const struct tk_timebin_result *r = x->r;
	uint32_t j = 0, k;

	while (j < r->columns) {
		const struct tk_timebin_cell *c = &lane->cells[j];
		double bh = round(h * c->busy * 4) / 4, col[3];

		if (!c->tid || bh <= 0) {
			j++;
			continue;
		}
		for (k = j + 1; k < r->columns; k++) {
			const struct tk_timebin_cell *d = &lane->cells[k];

			if (d->tid != c->tid || round(h * d->busy * 4) / 4 != bh)
				break;
		}
		task_rgb(r, c->tid, col);
		cairo_set_source_rgb(x->cr, col[0], col[1], col[2]);
		cairo_rectangle(x->cr, LEFT + j, y + h - bh, k - j, bh);
		cairo_fill(x->cr);
		j = k;
	}
}

static void draw_cpu_marks(struct ctx *x, const struct tk_timebin_lane *lane, double y, double h,
			   double strip)
{
	const struct tk_timebin_result *r = x->r;
	uint32_t j;
	double col[3];

	for (j = 0; j < r->columns; j++) {
		const struct tk_timebin_cell *c = &lane->cells[j];

		if (c->wake_max && strip > 0) {
			latency_rgb(c->wake_max, col);
			cairo_set_source_rgb(x->cr, col[0], col[1], col[2]);
			cairo_rectangle(x->cr, LEFT + j, y + h + 1, 1, strip);
			cairo_fill(x->cr);
		}
		if (c->lost) {
			/* A small triangle pointing down at the column. */
			cairo_set_source_rgb(x->cr, 0, 0, 0);
			cairo_move_to(x->cr, LEFT + j + 0.5 - 3, y - 4);
			cairo_line_to(x->cr, LEFT + j + 0.5 + 3, y - 4);
			cairo_line_to(x->cr, LEFT + j + 0.5, y);
			cairo_close_path(x->cr);
			cairo_fill(x->cr);
		}
	}
}

/* Tick step: 1, 2 or 5 x 10^k ns, at least min_ns. */
static double nice_step(double min_ns)
{
	double p = 1;

	while (p * 10 <= min_ns)
		p *= 10;
	if (p >= min_ns)
		return p;
	if (2 * p >= min_ns)
		return 2 * p;
	if (5 * p >= min_ns)
		return 5 * p;
	return 10 * p;
}

static void draw_axis(struct ctx *x, double y)
{
	const struct tk_timebin_result *r = x->r;
	double span = (double)(r->to - r->from), step = nice_step(span * 90 / r->columns), t;
	char buf[64];

	cairo_set_source_rgb(x->cr, 0.3, 0.3, 0.3);
	cairo_set_line_width(x->cr, 1);
	cairo_move_to(x->cr, LEFT, y + 0.5);
	cairo_line_to(x->cr, LEFT + r->columns, y + 0.5);
	cairo_stroke(x->cr);
	cairo_set_font_size(x->cr, 10);
	for (t = 0; t <= span + 1e-9 && step > 0; t += step) {
		double px = floor(LEFT + t / span * r->columns) + 0.5;

		cairo_move_to(x->cr, px, y);
		cairo_line_to(x->cr, px, y + 5);
		cairo_stroke(x->cr);
		if (t == 0) {
			snprintf(buf, sizeof(buf), "+0");
		} else {
			buf[0] = '+';
			fmt_time(buf + 1, sizeof(buf) - 1, t);
		}
		text(x->cr, px + 2, y + 15, buf);
	}
}

static void draw_legend(struct ctx *x, double y)
{
	const struct tk_timebin_result *r = x->r;
	int per_row = (int)((x->o->width - LEFT) / LEGEND_COL), i, n = 0;
	double total = (double)(r->to - r->from), col[3];
	size_t k, ncpu = 0;
	char buf[160], t[32];

	for (k = 0; k < r->nlanes; k++)
		ncpu += r->lanes[k].kind == TK_TIMEBIN_CPU;
	total *= ncpu ? (double)ncpu : 1;
	if (per_row < 1)
		per_row = 1;
	cairo_set_font_size(x->cr, 11);
	for (k = 0; k < r->ntasks && n < x->o->legend; k++) {
		const struct tk_timebin_task *tk = &r->tasks[k];
		double lx, ly;

		if (!tk->match || !tk->busy_ns)
			continue;
		i = n++;
		lx = LEFT + (i % per_row) * LEGEND_COL;
		ly = y + (i / per_row) * LEGEND_ROW;
		task_rgb(r, tk->tid, col);
		cairo_set_source_rgb(x->cr, col[0], col[1], col[2]);
		cairo_rectangle(x->cr, lx, ly, 10, 10);
		cairo_fill(x->cr);
		cairo_set_source_rgb(x->cr, 0, 0, 0);
		fmt_time(t, sizeof(t), (double)tk->busy_ns);
		snprintf(buf, sizeof(buf), "%.40s-%" PRIu32 "  %s (%.1f%%)", *tk->comm ? tk->comm : "?",
			 tk->tid, t, 100.0 * (double)tk->busy_ns / total);
		text(x->cr, lx + 14, ly + 9, buf);
	}
}

static int legend_rows(const struct tk_timebin_result *r, const struct tk_timeline_opts *o)
{
	int per_row = (int)((o->width - LEFT) / LEGEND_COL), n = 0;
	size_t k;

	if (per_row < 1)
		per_row = 1;
	for (k = 0; k < r->ntasks && n < o->legend; k++)
		n += r->tasks[k].match && r->tasks[k].busy_ns;
	return (n + per_row - 1) / per_row;
}

static cairo_status_t write_fn(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void draw(struct ctx *x, double height)
{
	const struct tk_timebin_result *r = x->r;
	cairo_t *cr = x->cr;
	double y = TOP, s = x->scale, span = (double)(r->to - r->from);
	size_t k, ntask = 0;
	char buf[256], a[32];

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, 14);
	cairo_set_source_rgb(cr, 0, 0, 0);
	text(cr, LEFT, 18, x->o->title ? x->o->title : "CPU timeline");
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 11);
	fmt_time(a, sizeof(a), span);
	snprintf(buf, sizeof(buf), "%.6f s .. %.6f s (%s), %" PRIu64 " events, %" PRIu64 " lost",
		 (double)r->from / 1e9, (double)r->to / 1e9, a, r->events, r->lost);
	text(cr, LEFT, 34, buf);
	for (k = 0; k < r->nlanes; k++) {
		const struct tk_timebin_lane *lane = &r->lanes[k];

		if (lane->kind == TK_TIMEBIN_CPU) {
			double h = CPU_BAND * s, strip = CPU_STRIP * s;

			cairo_set_source_rgb(cr, 0.96, 0.96, 0.96);
			cairo_rectangle(cr, LEFT, y, r->columns, h);
			cairo_fill(cr);
			draw_band(x, lane, y, h);
			draw_cpu_marks(x, lane, y, h, strip);
			cairo_set_source_rgb(cr, 0, 0, 0);
			cairo_set_font_size(cr, 11);
			snprintf(buf, sizeof(buf), "CPU %" PRIu32, lane->id);
			text(cr, 8, y + h / 2 + 4, buf);
			y += (CPU_BAND + CPU_STRIP + CPU_GAP) * s;
		} else {
			const struct tk_timebin_task *t = find_task(r, lane->id);
			double h = TASK_BAND * s;

			if ((int)ntask++ >= x->o->task_lanes)
				continue;
			draw_band(x, lane, y, h);
			cairo_set_source_rgb(cr, 0, 0, 0);
			cairo_set_font_size(cr, h < 9 ? h : 9);
			snprintf(buf, sizeof(buf), "%.10s-%" PRIu32, t && *t->comm ? t->comm : "?",
				 lane->id);
			text(cr, 8, y + h - 1, buf);
			y += (TASK_BAND + TASK_GAP) * s;
		}
	}
	draw_axis(x, y + 2);
	draw_legend(x, y + AXIS);
	(void)height;
}

int tk_timeline_write(const struct tk_timebin_result *r, const struct tk_timeline_opts *o,
		      FILE *out, struct tk_err *err)
{
	cairo_surface_t *surf;
	cairo_status_t st;
	struct ctx x = { r, o, NULL, 1 };
	double lanes = 0, fixed, height;
	size_t k;
	int ntask = 0;

	if (tk_timeline_columns(o->width) != r->columns || o->height < 0 || o->height > 100000)
		return tk_err_set(err, TK_EINVAL, -1, "timeline size does not match the raster");
	for (k = 0; k < r->nlanes; k++) {
		if (r->lanes[k].kind == TK_TIMEBIN_CPU)
			lanes += CPU_BAND + CPU_STRIP + CPU_GAP;
		else if (ntask++ < o->task_lanes)
			lanes += TASK_BAND + TASK_GAP;
	}
	fixed = TOP + AXIS + legend_rows(r, o) * LEGEND_ROW + 6;
	height = fixed + lanes;
	if (o->height) {
		if (o->height < fixed + 2 * (double)r->nlanes)
			return tk_err_set(err, TK_EINVAL, -1,
					  "--height %d leaves no room for %zu lanes (at least %.0f)",
					  o->height, r->nlanes, fixed + 2 * (double)r->nlanes);
		x.scale = lanes > 0 ? ((double)o->height - fixed) / lanes : 1;
		height = o->height;
	}
	height = ceil(height);
	switch (o->format) {
	case TK_TIMELINE_SVG:
		surf = cairo_svg_surface_create_for_stream(write_fn, out, o->width, height);
		break;
	case TK_TIMELINE_PDF:
		surf = cairo_pdf_surface_create_for_stream(write_fn, out, o->width, height);
		/* No date of the run in the file. */
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE,
					       "2000-01-01T00:00:00Z");
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "tracekit");
		break;
	default:
		surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, o->width, (int)height);
		break;
	}
	if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(surf);
		return tk_err_set(err, TK_ENOMEM, -1, "cannot make a %dx%.0f picture", o->width, height);
	}
	x.cr = cairo_create(surf);
	draw(&x, height);
	st = cairo_status(x.cr);
	cairo_destroy(x.cr);
	if (st == CAIRO_STATUS_SUCCESS && o->format == TK_TIMELINE_PNG)
		st = cairo_surface_write_to_png_stream(surf, write_fn, out);
	cairo_surface_finish(surf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(surf);
	cairo_surface_destroy(surf);
	if (st == CAIRO_STATUS_WRITE_ERROR || ferror(out))
		return tk_err_sys(err, errno, -1, "writing the picture");
	if (st != CAIRO_STATUS_SUCCESS)
		return tk_err_set(err, TK_ENOMEM, -1, "cairo: %s", cairo_status_to_string(st));
	return 0;
}
