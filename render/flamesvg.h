/* SPDX-License-Identifier: MIT */
#ifndef TK_RENDER_FLAMESVG_H
#define TK_RENDER_FLAMESVG_H

/*
 * Flame graphs: the layout of a set of stacks, written as an interactive
 * SVG (hover, click to zoom, regex search; our own JavaScript) or a PNG.
 *
 * The geometry is flamegraph.pl's, so that for the same folded input and
 * options both draw the same frames at the same places (docs/flamegraph.md):
 * stacks are taken one after another in the order given (sorted order, or
 * input order for a flame chart); a frame runs from the count where its
 * (depth, name) first appears in a run of consecutive stacks to the count
 * where the run ends; the root "all" spans the total. Frames narrower than
 * the minimum width are dropped as soon as they close, and their counts stay
 * in their parents, so memory and output grow with the picture, not with the
 * number of stacks.
 *
 * Frame names are tk_strtab ids; the table must outlive the layout.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

struct tk_strtab;
struct tk_stacks;
struct tk_flamesvg;

/* flamegraph.pl's --colors themes. */
enum tk_flamesvg_palette {
	TK_FLAMESVG_HOT,
	TK_FLAMESVG_MEM,
	TK_FLAMESVG_IO,
	TK_FLAMESVG_WAKEUP,
	TK_FLAMESVG_CHAIN,
	TK_FLAMESVG_JAVA,
	TK_FLAMESVG_JS,
	TK_FLAMESVG_PERL,
	TK_FLAMESVG_RED,
	TK_FLAMESVG_GREEN,
	TK_FLAMESVG_BLUE,
	TK_FLAMESVG_AQUA,
	TK_FLAMESVG_YELLOW,
	TK_FLAMESVG_PURPLE,
	TK_FLAMESVG_ORANGE,
};

struct tk_flamesvg_opts {
	const char *title;		/* NULL: Flame Graph, Icicle Graph or Flame Chart */
	const char *subtitle;		/* NULL or "": none */
	const char *notes;		/* into an XML comment; NULL: none */
	const char *fonttype;		/* "Verdana" */
	const char *countname;		/* "samples" */
	const char *nametype;		/* "Function:" */
	int width;			/* image width, pixels: 1200 */
	int frame_height;		/* pixels per level: 16 */
	double fontsize;		/* 12 */
	double fontwidth;		/* average glyph width / fontsize: 0.59 */
	double minwidth;		/* 0.1 (pixels, or percent of the total) */
	bool minwidth_pct;
	enum tk_flamesvg_palette palette;
	bool hash;			/* colour by flamegraph.pl's weighted name hash */
	bool inverted;			/* icicle: root at the top */
	bool flamechart;		/* only the default title; callers give input order */
	bool negate;			/* differential graphs: swap hues and signs */
};

/* flamegraph.pl's defaults. */
void tk_flamesvg_opts_init(struct tk_flamesvg_opts *o);
/* "hot", "mem", ...: 0, or -TK_EINVAL for an unknown name. */
int tk_flamesvg_palette_parse(const char *name, enum tk_flamesvg_palette *out);

/* The root has this name; it is drawn as "all". */
#define TK_FLAMESVG_ALL UINT32_MAX

struct tk_flamesvg_frame {
	uint64_t start, end;		/* in counts from the left edge */
	uint32_t name;			/* strtab id or TK_FLAMESVG_ALL */
	uint32_t depth;			/* 0: the root */
	/* Differential graphs (tk_flamesvg_add_diff): the change of the stack
	 * ending here, which picks the colour; the width is the new count. */
	int64_t delta;
	bool has_delta;
	bool dead;			/* internal: replaced by a later frame */
};

/* Where a frame is drawn, in SVG user units (pixels). */
struct tk_flamesvg_box {
	double x1, x2, y1, y2;
};

/*
 * A layout for stacks whose counts sum to total (0: not known in advance;
 * then narrow frames are dropped at tk_flamesvg_finish, not as they close).
 * The options are copied; their strings are borrowed until destroy.
 * NULL on ENOMEM or invalid options (err says which).
 */
struct tk_flamesvg *tk_flamesvg_create(const struct tk_flamesvg_opts *o,
				       const struct tk_strtab *names, uint64_t total,
				       struct tk_err *err);
void tk_flamesvg_destroy(struct tk_flamesvg *f);

/* One stack, root frame first, in drawing order. 0 or -TK_ENOMEM / -TK_ELIMIT. */
int tk_flamesvg_add(struct tk_flamesvg *f, const uint32_t *frames, size_t n, uint64_t count,
		    struct tk_err *err);
/*
 * A stack of a differential graph: count is its new count (the width),
 * delta the change from the old one. Frames it opens are coloured red
 * (grew) to blue (shrank) by delta over the largest |delta| of any line,
 * and their titles end in "; +P%", as flamegraph.pl draws two-count input.
 */
int tk_flamesvg_add_diff(struct tk_flamesvg *f, const uint32_t *frames, size_t n,
			 uint64_t count, int64_t delta, struct tk_err *err);
/* Every stack of a trie in sorted (byte) order, as flamegraph.pl sorts them. */
int tk_flamesvg_add_stacks(struct tk_flamesvg *f, const struct tk_stacks *s, struct tk_err *err);
/* Close the last stack. Then no more adds. 0, or -TK_EINVAL when nothing had a count. */
int tk_flamesvg_finish(struct tk_flamesvg *f, struct tk_err *err);

/* After finish: the frames kept, by depth then position (borrowed). */
const struct tk_flamesvg_frame *tk_flamesvg_get_frames(const struct tk_flamesvg *f, size_t *n);
uint64_t tk_flamesvg_get_total(const struct tk_flamesvg *f);
void tk_flamesvg_get_box(const struct tk_flamesvg *f, const struct tk_flamesvg_frame *fr,
			 struct tk_flamesvg_box *box);
/* Image size in pixels. */
double tk_flamesvg_get_height(const struct tk_flamesvg *f);
int tk_flamesvg_get_width(const struct tk_flamesvg *f);
/* Frame name as drawn (annotation like "_[k]" removed); len set. Borrowed. */
const char *tk_flamesvg_get_label(const struct tk_flamesvg *f, const struct tk_flamesvg_frame *fr,
				  size_t *len);
/* "rgb(R,G,B)" components of a frame's fill. */
void tk_flamesvg_get_color(const struct tk_flamesvg *f, const struct tk_flamesvg_frame *fr,
			   uint8_t rgb[3]);

/*
 * The SVG, self-contained (styles and script inline). Deterministic: the
 * same layout gives the same bytes. 0, or -TK_EIO when writing fails.
 */
int tk_flamesvg_write(const struct tk_flamesvg *f, FILE *out, struct tk_err *err);
/* The same picture as a PNG through cairo (render/flamepng.c). */
int tk_flamesvg_write_png(const struct tk_flamesvg *f, FILE *out, struct tk_err *err);

/*
 * A trie of the same stacks with each one reversed (leaf first), as
 * flamegraph.pl --reverse merges them. *out is owned by the caller.
 */
int tk_flamesvg_reverse(const struct tk_stacks *in, size_t max_bytes, struct tk_stacks **out,
			struct tk_err *err);

/* The embedded script and style (render/flamesvg-js.c, generated). */
extern const char tk_flamesvg_js[];

#endif
