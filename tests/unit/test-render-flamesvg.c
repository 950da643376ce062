/* SPDX-License-Identifier: MIT */
/*
 * Flame graph layout on small stacks whose frames were worked out by hand
 * with flamegraph.pl's rules (docs/flamegraph.md); the goldens made by
 * flamegraph.pl itself are in tests/golden/flame/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/stacks.h"
#include "core/strtab.h"
#include "render/flamesvg-int.h"
#include "render/flamesvg.h"

struct fixture {
	struct tk_strtab *names;
	struct tk_stacks *stacks;
	struct tk_flamesvg *f;
	struct tk_err err;
};

static int setup(void **state)
{
	struct fixture *x = calloc(1, sizeof(*x));

	x->names = tk_strtab_create(0);
	x->stacks = tk_stacks_create(0);
	*state = x;
	return x->names && x->stacks ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *x = *state;

	tk_flamesvg_destroy(x->f);
	tk_stacks_destroy(x->stacks);
	tk_strtab_destroy(x->names);
	free(x);
	return 0;
}

/* "a;b;c" -> ids into ids[]; returns the frame count. */
static size_t split(struct fixture *x, const char *stack, uint32_t *ids)
{
	size_t n = 0;

	while (*stack) {
		size_t len = strcspn(stack, ";");

		assert_int_equal(tk_strtab_intern(x->names, stack, len, &ids[n]), 0);
		n++;
		stack += len;
		if (*stack)
			stack++;
	}
	return n;
}

static void add(struct fixture *x, const char *stack, uint64_t count)
{
	uint32_t ids[32];
	size_t n = split(x, stack, ids);

	assert_int_equal(tk_stacks_add(x->stacks, ids, n, count, NULL), 0);
}

/* Lay out the trie with opts (NULL: defaults). */
static void layout(struct fixture *x, const struct tk_flamesvg_opts *opts)
{
	struct tk_flamesvg_opts o;

	if (!opts) {
		tk_flamesvg_opts_init(&o);
		opts = &o;
	}
	tk_err_clear(&x->err);
	x->f = tk_flamesvg_create(opts, x->names,
				  tk_stacks_get_total(x->stacks, TK_STACKS_ROOT), &x->err);
	assert_non_null(x->f);
	assert_int_equal(tk_flamesvg_add_stacks(x->f, x->stacks, &x->err), 0);
	assert_int_equal(tk_flamesvg_finish(x->f, &x->err), 0);
}

/* The frame named name at depth (the nth such, from the left). */
static const struct tk_flamesvg_frame *find(struct fixture *x, const char *name, uint32_t depth,
					    int nth)
{
	const struct tk_flamesvg_frame *fr;
	size_t n, i, len;

	fr = tk_flamesvg_get_frames(x->f, &n);
	for (i = 0; i < n; i++) {
		const char *s = tk_flamesvg_get_label(x->f, &fr[i], &len);

		if (fr[i].depth == depth && len == strlen(name) && !memcmp(s, name, len) && !nth--)
			return &fr[i];
	}
	return NULL;
}

static void assert_frame(struct fixture *x, const char *name, uint32_t depth, int nth,
			 uint64_t start, uint64_t end)
{
	const struct tk_flamesvg_frame *fr = find(x, name, depth, nth);

	assert_non_null(fr);
	assert_int_equal(fr->start, start);
	assert_int_equal(fr->end, end);
}

static char *svg(struct fixture *x)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_int_equal(tk_flamesvg_write(x->f, out, &x->err), 0);
	fclose(out);
	return buf;
}

/*
 * a;b 3, a;c 1, d 4: total 8, 1180 px / 8 = 147.5 px per count.
 * Depth 2 at most: height 3 * 16 + 36 (top) + 34 (bottom) = 118.
 */
static void test_geometry(void **state)
{
	struct fixture *x = *state;
	struct tk_flamesvg_box b;
	size_t n;

	add(x, "d", 4);
	add(x, "a;c", 1);
	add(x, "a;b", 3);
	layout(x, NULL);
	tk_flamesvg_get_frames(x->f, &n);
	assert_int_equal(n, 5);
	assert_frame(x, "all", 0, 0, 0, 8);
	assert_frame(x, "a", 1, 0, 0, 4);
	assert_frame(x, "d", 1, 0, 4, 8);
	assert_frame(x, "b", 2, 0, 0, 3);
	assert_frame(x, "c", 2, 0, 3, 4);
	assert_true(tk_flamesvg_get_height(x->f) == 118);

	tk_flamesvg_get_box(x->f, find(x, "c", 2, 0), &b);
	assert_true(b.x1 == 452.5 && b.x2 == 600);
	assert_true(b.y1 == 118 - 34 - 3 * 16 + 1 && b.y2 == 118 - 34 - 2 * 16);
	tk_flamesvg_get_box(x->f, find(x, "all", 0, 0), &b);
	assert_true(b.x1 == 10 && b.x2 == 1190 && b.y1 == 69 && b.y2 == 84);
}

static void test_inverted(void **state)
{
	struct fixture *x = *state;
	struct tk_flamesvg_opts o;
	struct tk_flamesvg_box b;

	add(x, "a;b", 3);
	add(x, "d", 4);
	add(x, "a;c", 1);
	tk_flamesvg_opts_init(&o);
	o.inverted = true;
	layout(x, &o);
	/* Root at the top, just below the title band (3 * fontsize). */
	tk_flamesvg_get_box(x->f, find(x, "all", 0, 0), &b);
	assert_true(b.y1 == 36 && b.y2 == 51);
	tk_flamesvg_get_box(x->f, find(x, "b", 2, 0), &b);
	assert_true(b.y1 == 68 && b.y2 == 83);
}

/*
 * Stacks are merged in the byte order of their text, as flamegraph.pl
 * sorts lines: "m;b" < "m;b!x" < "m;b;c" ('!' < ';'), so "b" is drawn
 * twice, on either side of "b!x".
 */
static void test_text_order_splits_frames(void **state)
{
	struct fixture *x = *state;

	add(x, "m;b;c", 7);
	add(x, "m;b", 5);
	add(x, "m;b!x", 3);
	layout(x, NULL);
	assert_frame(x, "m", 1, 0, 0, 15);
	assert_frame(x, "b", 2, 0, 0, 5);
	assert_frame(x, "b!x", 2, 0, 5, 8);
	assert_frame(x, "b", 2, 1, 8, 15);
	assert_frame(x, "c", 3, 0, 8, 15);
}

/*
 * 1000 counts over 1180 px; --minwidth 10 px is 8.47 counts: x (8) goes,
 * y (9) stays, and x's counts stay in p.
 */
static void test_minwidth(void **state)
{
	struct fixture *x = *state;
	struct tk_flamesvg_opts o;

	add(x, "p;x", 8);
	add(x, "p;y", 9);
	add(x, "q", 983);
	tk_flamesvg_opts_init(&o);
	o.minwidth = 10;
	layout(x, &o);
	assert_null(find(x, "x", 2, 0));
	assert_frame(x, "y", 2, 0, 8, 17);
	assert_frame(x, "p", 1, 0, 0, 17);

	/* 1% of 1000 is 10 counts: y goes too. */
	tk_flamesvg_destroy(x->f);
	o.minwidth = 1;
	o.minwidth_pct = true;
	layout(x, &o);
	assert_null(find(x, "y", 2, 0));
	assert_frame(x, "p", 1, 0, 0, 17);
	assert_true(tk_flamesvg_get_height(x->f) == 2 * 16 + 36 + 34);
}

/* Flame charts: input order, only neighbours merge. */
static void test_flamechart(void **state)
{
	struct fixture *x = *state;
	struct tk_flamesvg_opts o;
	uint32_t ids[8];
	size_t n;

	tk_flamesvg_opts_init(&o);
	o.flamechart = true;
	x->f = tk_flamesvg_create(&o, x->names, 0, &x->err);
	assert_non_null(x->f);
	n = split(x, "t;a", ids);
	assert_int_equal(tk_flamesvg_add(x->f, ids, n, 1, &x->err), 0);
	assert_int_equal(tk_flamesvg_add(x->f, ids, n, 2, &x->err), 0);
	n = split(x, "t;b", ids);
	assert_int_equal(tk_flamesvg_add(x->f, ids, n, 1, &x->err), 0);
	n = split(x, "t;a", ids);
	assert_int_equal(tk_flamesvg_add(x->f, ids, n, 4, &x->err), 0);
	assert_int_equal(tk_flamesvg_finish(x->f, &x->err), 0);
	assert_frame(x, "t", 1, 0, 0, 8);
	assert_frame(x, "a", 2, 0, 0, 3);
	assert_frame(x, "b", 2, 0, 3, 4);
	assert_frame(x, "a", 2, 1, 4, 8);
}

static void test_reverse(void **state)
{
	struct fixture *x = *state;
	struct tk_stacks *rev = NULL;

	add(x, "a;b", 2);
	add(x, "c;b", 1);
	tk_err_clear(&x->err);
	assert_int_equal(tk_flamesvg_reverse(x->stacks, 0, &rev, &x->err), 0);
	tk_stacks_destroy(x->stacks);
	x->stacks = rev;
	layout(x, NULL);
	assert_frame(x, "b", 1, 0, 0, 3);
	assert_frame(x, "a", 2, 0, 0, 2);
	assert_frame(x, "c", 2, 0, 2, 3);
}

static void test_svg_text(void **state)
{
	struct fixture *x = *state;
	char *a, *b;

	add(x, "main;k<&>\"_[k]", 1234567);
	add(x, "main;b", 765433);
	layout(x, NULL);
	a = svg(x);
	/* Title: name without its annotation, escaped; count with separators. */
	assert_non_null(strstr(a, "<title>k&lt;&amp;&gt;&quot; (1,234,567 samples, 61.73%)</title>"));
	assert_non_null(strstr(a, "<title>all (2,000,000 samples, 100%)</title>"));
	assert_non_null(strstr(a, "<title>b (765,433 samples, 38.27%)</title>"));
	/* flamegraph.pl's rounding: x1, x2 to 0.1, width their difference. */
	assert_non_null(strstr(a, "<rect x=\"10.0\" y=\"69\" width=\"1180.0\" height=\"15.0\""));
	assert_non_null(strstr(a, "<script type=\"text/ecmascript\"><![CDATA["));
	assert_non_null(strstr(a, "total: 2000000"));
	b = svg(x);
	assert_string_equal(a, b);	/* deterministic */
	free(a);
	free(b);
}

/* Whatever the bytes of a name, the SVG stays well-formed XML. */
static void test_svg_bad_bytes(void **state)
{
	struct fixture *x = *state;
	char *a;

	add(x, "a\xff" "b;c\x01" "d;e]]>f", 1);
	layout(x, NULL);
	a = svg(x);
	assert_non_null(strstr(a, "<title>a\xef\xbf\xbd" "b (1 samples, 100.00%)</title>"));
	assert_non_null(strstr(a, "<title>c\xef\xbf\xbd" "d (1 samples, 100.00%)</title>"));
	assert_non_null(strstr(a, "<title>e]]&gt;f (1 samples, 100.00%)</title>"));
	free(a);
}

/* The colours flamegraph.pl gives these names (checked against its SVGs). */
static void test_colors(void **state)
{
	struct fixture *x = *state;
	uint8_t rgb[3];

	add(x, "busy;-;main", 1);
	layout(x, NULL);
	tk_flamesvg_get_color(x->f, find(x, "all", 0, 0), rgb);
	assert_true(rgb[0] == 213 && rgb[1] == 39 && rgb[2] == 9);
	tk_flamesvg_get_color(x->f, find(x, "busy", 1, 0), rgb);
	assert_true(rgb[0] == 250 && rgb[1] == 207 && rgb[2] == 49);
	tk_flamesvg_get_color(x->f, find(x, "main", 3, 0), rgb);
	assert_true(rgb[0] == 243 && rgb[1] == 179 && rgb[2] == 42);
	tk_flamesvg_get_color(x->f, find(x, "-", 2, 0), rgb);
	assert_true(rgb[0] == 200 && rgb[1] == 200 && rgb[2] == 200);
}

/* 12 px font, 0.59 average width: 7.08 px a character. */
static void test_labels(void **state)
{
	struct fixture *x = *state;
	const struct tk_flamesvg_frame *fr;
	struct tk_flamesvg_box b = { 10, 10 + 5 * 7.08 + 0.01, 0, 0 };
	const char *s;
	bool dots;
	size_t n;

	add(x, "abcdefgh", 1);
	add(x, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 1);
	layout(x, NULL);
	fr = find(x, "abcdefgh", 1, 0);
	n = tk_flamesvg__fit_label(x->f, fr, &b, &s, &dots);
	assert_true(n == 3 && !memcmp(s, "abc", 3) && dots);
	/* Characters, not bytes. */
	fr = find(x, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 1, 0);
	n = tk_flamesvg__fit_label(x->f, fr, &b, &s, &dots);
	assert_true(n == 6 && dots);
	b.x2 = 10 + 2.9 * 7.08;
	assert_int_equal(tk_flamesvg__fit_label(x->f, fr, &b, &s, &dots), 0);
	b.x2 = 10 + 20 * 7.08;
	assert_int_equal(tk_flamesvg__fit_label(x->f, fr, &b, &s, &dots), 12);
	assert_false(dots);
}

static void test_errors(void **state)
{
	struct fixture *x = *state;
	struct tk_flamesvg_opts o;
	uint32_t ids[4];
	size_t n;

	tk_flamesvg_opts_init(&o);
	x->f = tk_flamesvg_create(&o, x->names, 0, &x->err);
	assert_int_equal(tk_flamesvg_finish(x->f, &x->err), -TK_EINVAL);
	tk_flamesvg_destroy(x->f);

	tk_err_clear(&x->err);
	x->f = tk_flamesvg_create(&o, x->names, 10, &x->err);
	n = split(x, "a", ids);
	assert_int_equal(tk_flamesvg_add(x->f, ids, n, 4, &x->err), 0);
	assert_int_equal(tk_flamesvg_finish(x->f, &x->err), -TK_EINVAL);
	tk_flamesvg_destroy(x->f);
	x->f = NULL;

	o.notes = "a -- b";
	assert_null(tk_flamesvg_create(&o, x->names, 0, &x->err));
	o.notes = NULL;
	o.width = 5;
	assert_null(tk_flamesvg_create(&o, x->names, 0, &x->err));
	assert_int_equal(tk_flamesvg_palette_parse("mem", &o.palette), 0);
	assert_int_equal(o.palette, TK_FLAMESVG_MEM);
	assert_int_equal(tk_flamesvg_palette_parse("rainbow", &o.palette), -TK_EINVAL);
}

static void test_png(void **state)
{
	struct fixture *x = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	add(x, "a;b", 3);
	add(x, "c", 1);
	layout(x, NULL);
	out = open_memstream(&buf, &len);
	assert_int_equal(tk_flamesvg_write_png(x->f, out, &x->err), 0);
	fclose(out);
	assert_true(len > 8 && !memcmp(buf, "\x89PNG\r\n\x1a\n", 8));
	free(buf);
}

/* Lines of a differential graph, in order: "stack B delta". */
static void add_diff(struct fixture *x, const char *stack, uint64_t count, int64_t delta)
{
	uint32_t ids[32];
	size_t n = split(x, stack, ids);

	assert_int_equal(tk_flamesvg_add_diff(x->f, ids, n, count, delta, &x->err), 0);
}

/*
 * m;a 2->6 (+4), m;b 4->2 (-2), m;c 3->0 (-3): widths from B (total 8);
 * only leaves carry a change, scaled by the largest, 4: a red
 * rgb(255,0,0), b blue 210 * (4 - 2) / 4 = 105, m and the root white. The
 * empty "c" closes where "b" closed but has another name: both stay at
 * --minwidth 0, and "c" is empty.
 */
static void test_diff(void **state)
{
	struct fixture *x = *state;
	struct tk_flamesvg_opts o;
	const struct tk_flamesvg_frame *fr;
	uint8_t rgb[3];
	char *text;

	tk_flamesvg_opts_init(&o);
	o.minwidth = 0;
	tk_err_clear(&x->err);
	x->f = tk_flamesvg_create(&o, x->names, 8, &x->err);
	assert_non_null(x->f);
	add_diff(x, "m;a", 6, 4);
	add_diff(x, "m;b", 2, -2);
	add_diff(x, "m;c", 0, -3);
	assert_int_equal(tk_flamesvg_finish(x->f, &x->err), 0);
	assert_frame(x, "a", 2, 0, 0, 6);
	assert_frame(x, "b", 2, 0, 6, 8);
	assert_frame(x, "c", 2, 0, 8, 8);
	fr = find(x, "a", 2, 0);
	tk_flamesvg_get_color(x->f, fr, rgb);
	assert_true(rgb[0] == 255 && rgb[1] == 0 && rgb[2] == 0);
	fr = find(x, "b", 2, 0);
	tk_flamesvg_get_color(x->f, fr, rgb);
	assert_true(rgb[0] == 105 && rgb[1] == 105 && rgb[2] == 255);
	fr = find(x, "m", 1, 0);
	assert_true(fr->has_delta && fr->delta == 0);
	tk_flamesvg_get_color(x->f, fr, rgb);
	assert_true(rgb[0] == 255 && rgb[1] == 255 && rgb[2] == 255);
	text = svg(x);
	assert_non_null(strstr(text, "<title>a (6 samples, 75.00%; +50.00%)</title>"));
	assert_non_null(strstr(text, "<title>b (2 samples, 25.00%; -25.00%)</title>"));
	assert_non_null(strstr(text, "<title>m (8 samples, 100.00%; 0.00%)</title>"));
	assert_non_null(strstr(text, "<title>all (8 samples, 100%)</title>"));
	free(text);
}

/* --negate: the same frames, hues and signs swapped. */
static void test_diff_negate(void **state)
{
	struct fixture *x = *state;
	struct tk_flamesvg_opts o;
	uint8_t rgb[3];
	char *text;

	tk_flamesvg_opts_init(&o);
	o.negate = true;
	tk_err_clear(&x->err);
	x->f = tk_flamesvg_create(&o, x->names, 8, &x->err);
	add_diff(x, "m;a", 6, 4);
	add_diff(x, "m;b", 2, -2);
	assert_int_equal(tk_flamesvg_finish(x->f, &x->err), 0);
	tk_flamesvg_get_color(x->f, find(x, "a", 2, 0), rgb);
	assert_true(rgb[0] == 0 && rgb[1] == 0 && rgb[2] == 255);
	tk_flamesvg_get_color(x->f, find(x, "b", 2, 0), rgb);
	assert_true(rgb[0] == 255 && rgb[1] == 105 && rgb[2] == 105);
	text = svg(x);
	assert_non_null(strstr(text, "<title>a (6 samples, 75.00%; -50.00%)</title>"));
	assert_non_null(strstr(text, "<title>b (2 samples, 25.00%; +25.00%)</title>"));
	free(text);
}

/*
 * flamegraph.pl keys frames by (name, depth, end): an empty frame closing
 * where the previous one of its name at its depth closed replaces it. x;s 5
 * then y;s 0: "s" under y (empty) replaces "s" under x, also when it is then
 * too narrow to draw.
 */
static void test_empty_frame_replaces(void **state)
{
	struct fixture *x = *state;
	struct tk_flamesvg_opts o;

	tk_flamesvg_opts_init(&o);
	tk_err_clear(&x->err);
	x->f = tk_flamesvg_create(&o, x->names, 5, &x->err);
	add_diff(x, "x;s", 5, 0);
	add_diff(x, "y;s", 0, -1);
	assert_int_equal(tk_flamesvg_finish(x->f, &x->err), 0);
	assert_frame(x, "x", 1, 0, 0, 5);
	assert_null(find(x, "s", 2, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_geometry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inverted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_order_splits_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_minwidth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flamechart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reverse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_svg_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_svg_bad_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_colors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_png, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diff_negate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_frame_replaces, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
