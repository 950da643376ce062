/* SPDX-License-Identifier: MIT */
/*
 * Flame graph layout and SVG. See flamesvg.h for the model and
 * docs/flamegraph.md for what is (and is not) flamegraph.pl's behaviour.
 */
#include "render/flamesvg.h"
#include "render/flamesvg-int.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/stacks.h"
#include "core/strtab.h"

/* flamegraph.pl's fixed paddings (pixels). */
#define XPAD 10.0
#define FRAMEPAD 1.0
/* Kept frames; far above what any picture needs unless --minwidth 0. */
#define MAX_FRAMES (1u << 24)

struct open_frame {
	uint32_t name;
	uint64_t start;
	int64_t delta;
	bool has_delta;
	/* The frame closed last at this depth (see keep()). */
	uint32_t closed_name;
	uint64_t closed_end;
	size_t closed_idx;		/* in frames[], or NO_FRAME: not kept */
	bool has_closed;
};

#define NO_FRAME SIZE_MAX

struct tk_flamesvg {
	struct tk_flamesvg_opts o;
	const struct tk_strtab *names;
	uint64_t total_hint;		/* 0: unknown */
	uint64_t time;			/* counts so far */
	double minwidth_time;		/* counts; < 0: not known yet */

	struct open_frame *open;	/* open[d]: the frame at depth d */
	size_t nopen, capopen;
	size_t ninit;			/* open[] entries with closed_* set */

	struct tk_flamesvg_frame *frames;
	size_t nframes, capframes;

	bool finished;
	int64_t maxdelta;		/* largest |delta| of a line, at least 1 */
	uint32_t maxdepth;
	double ypad1, ypad2, ypad3, height;
};

void tk_flamesvg_opts_init(struct tk_flamesvg_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->fonttype = "Verdana";
	o->countname = "samples";
	o->nametype = "Function:";
	o->width = 1200;
	o->frame_height = 16;
	o->fontsize = 12;
	o->fontwidth = 0.59;
	o->minwidth = 0.1;
	o->palette = TK_FLAMESVG_HOT;
}

static const char *const palette_names[] = {
	[TK_FLAMESVG_HOT] = "hot",	 [TK_FLAMESVG_MEM] = "mem",
	[TK_FLAMESVG_IO] = "io",	 [TK_FLAMESVG_WAKEUP] = "wakeup",
	[TK_FLAMESVG_CHAIN] = "chain",	 [TK_FLAMESVG_JAVA] = "java",
	[TK_FLAMESVG_JS] = "js",	 [TK_FLAMESVG_PERL] = "perl",
	[TK_FLAMESVG_RED] = "red",	 [TK_FLAMESVG_GREEN] = "green",
	[TK_FLAMESVG_BLUE] = "blue",	 [TK_FLAMESVG_AQUA] = "aqua",
	[TK_FLAMESVG_YELLOW] = "yellow", [TK_FLAMESVG_PURPLE] = "purple",
	[TK_FLAMESVG_ORANGE] = "orange",
};

int tk_flamesvg_palette_parse(const char *name, enum tk_flamesvg_palette *out)
{
	size_t i;

	for (i = 0; i < sizeof(palette_names) / sizeof(palette_names[0]); i++)
		if (!strcmp(name, palette_names[i])) {
			*out = (enum tk_flamesvg_palette)i;
			return 0;
		}
	return -TK_EINVAL;
}

static void set_minwidth_time(struct tk_flamesvg *f, uint64_t total)
{
	/* The same double operations as flamegraph.pl, so that frames at the
	 * threshold are kept or dropped alike. */
	double wpt = ((double)f->o.width - 2 * XPAD) / (double)total;

	if (f->o.minwidth_pct)
		f->minwidth_time = (double)total * f->o.minwidth / 100;
	else
		f->minwidth_time = f->o.minwidth / wpt;
}

struct tk_flamesvg *tk_flamesvg_create(const struct tk_flamesvg_opts *o,
				       const struct tk_strtab *names, uint64_t total,
				       struct tk_err *err)
{
	struct tk_flamesvg *f;

	if (o->width <= 2 * (int)XPAD || o->width > 1000000 || o->frame_height <= 0 ||
	    o->frame_height > 10000 || !(o->fontsize > 0 && o->fontsize <= 1000) ||
	    !(o->fontwidth > 0 && o->fontwidth <= 100) || !(o->minwidth >= 0) ||
	    (o->minwidth_pct && o->minwidth > 100) || o->minwidth > 1e9) {
		tk_err_set(err, TK_EINVAL, -1, "flame graph size out of range");
		return NULL;
	}
	/* An XML comment cannot hold "--" or end in "-". */
	if (o->notes && (strstr(o->notes, "--") ||
			 (*o->notes && o->notes[strlen(o->notes) - 1] == '-'))) {
		tk_err_set(err, TK_EINVAL, -1, "notes cannot contain \"--\" or end in '-'");
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		return NULL;
	}
	f->o = *o;
	if (!f->o.fonttype)
		f->o.fonttype = "Verdana";
	if (!f->o.countname)
		f->o.countname = "samples";
	if (!f->o.nametype)
		f->o.nametype = "Function:";
	f->names = names;
	f->total_hint = total;
	f->minwidth_time = -1;
	f->maxdelta = 1;
	if (total)
		set_minwidth_time(f, total);
	return f;
}

void tk_flamesvg_destroy(struct tk_flamesvg *f)
{
	if (!f)
		return;
	free(f->open);
	free(f->frames);
	free(f);
}

static int keep(struct tk_flamesvg *f, const struct open_frame *op, uint32_t depth,
		uint64_t end, struct tk_err *err)
{
	uint64_t start = op->start;
	struct open_frame *at = &f->open[depth];
	struct tk_flamesvg_frame *fr;

	/*
	 * flamegraph.pl keys frames by (name, depth, end), so a frame that
	 * closes where the last one at its depth, of the same name, closed
	 * (it can only be empty: a count of 0) replaces that one, even when it
	 * is then too narrow to draw. Differential input has such lines (stacks
	 * only in A), so we do the same to draw the same frames.
	 */
	if (at->has_closed && at->closed_name == op->name && at->closed_end == end &&
	    at->closed_idx != NO_FRAME)
		f->frames[at->closed_idx].dead = true;
	at->has_closed = true;
	at->closed_name = op->name;
	at->closed_end = end;
	at->closed_idx = NO_FRAME;
	if (f->minwidth_time >= 0 && (double)(end - start) < f->minwidth_time)
		return 0;
	if (f->nframes == f->capframes) {
		size_t ncap = f->capframes ? f->capframes * 2 : 256;
		struct tk_flamesvg_frame *nf;

		if (f->nframes >= MAX_FRAMES)
			return tk_err_set(err, TK_ELIMIT, -1,
					  "more than %u frames wide enough to draw; raise --minwidth",
					  MAX_FRAMES);
		nf = realloc(f->frames, ncap * sizeof(*nf));
		if (!nf)
			return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		f->frames = nf;
		f->capframes = ncap;
	}
	fr = &f->frames[f->nframes++];
	memset(fr, 0, sizeof(*fr));
	fr->name = op->name;
	fr->depth = depth;
	fr->start = start;
	fr->end = end;
	fr->delta = op->delta;
	fr->has_delta = op->has_delta;
	at->closed_idx = f->nframes - 1;
	return 0;
}

/* Close open frames at depth >= from, deepest first. */
static int close_from(struct tk_flamesvg *f, size_t from, struct tk_err *err)
{
	int ret;

	while (f->nopen > from) {
		struct open_frame *op = &f->open[f->nopen - 1];

		ret = keep(f, op, (uint32_t)(f->nopen - 1), f->time, err);
		if (ret < 0)
			return ret;
		f->nopen--;
	}
	return 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 64;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * size);
	if (!np)
		return -TK_ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

/*
 * The merge of flamegraph.pl's flow(): frames shared with the open stack
 * stay open, the rest close, and the new ones open. A differential line's
 * delta goes to its leaf only when the leaf opens here, and every frame
 * opened by such a line has a delta (0 when it is not a leaf), as there.
 */
static int add(struct tk_flamesvg *f, const uint32_t *frames, size_t n, uint64_t count,
	       bool diff, int64_t delta, struct tk_err *err)
{
	size_t same, i;

	if (f->finished)
		return tk_err_set(err, TK_EINVAL, -1, "flame graph already finished");
	if (n >= UINT32_MAX - 1)
		return tk_err_set(err, TK_ELIMIT, -1, "stack too deep");
	if (count > UINT64_MAX - f->time)
		return tk_err_set(err, TK_ELIMIT, -1, "counts add up past 2^64");
	if (grow((void **)&f->open, &f->capopen, n + 1, sizeof(*f->open)) < 0)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	for (; f->ninit < n + 1; f->ninit++)
		f->open[f->ninit].has_closed = false;
	/* Depth 0 is the root, the same in every stack. */
	same = f->nopen ? 1 : 0;
	while (same < f->nopen && same <= n && f->open[same].name == frames[same - 1])
		same++;
	if (close_from(f, same, err) < 0)
		return -err->code;
	for (i = same; i <= n; i++) {
		f->open[i].name = i ? frames[i - 1] : TK_FLAMESVG_ALL;
		f->open[i].start = f->time;
		f->open[i].delta = diff && i == n ? delta : 0;
		f->open[i].has_delta = diff;
	}
	f->nopen = n + 1;
	f->time += count;
	return 0;
}

int tk_flamesvg_add(struct tk_flamesvg *f, const uint32_t *frames, size_t n, uint64_t count,
		    struct tk_err *err)
{
	return add(f, frames, n, count, false, 0, err);
}

int tk_flamesvg_add_diff(struct tk_flamesvg *f, const uint32_t *frames, size_t n,
			 uint64_t count, int64_t delta, struct tk_err *err)
{
	int ret;

	if (delta == INT64_MIN)
		return tk_err_set(err, TK_ELIMIT, -1, "difference too large");
	ret = add(f, frames, n, count, true, delta, err);
	if (ret == 0 && (delta < 0 ? -delta : delta) > f->maxdelta)
		f->maxdelta = delta < 0 ? -delta : delta;
	return ret;
}

struct walk_ctx {
	struct tk_flamesvg *f;
	struct tk_err *err;
};

static int walk_one(void *arg, const uint32_t *frames, size_t depth, uint64_t weight)
{
	struct walk_ctx *c = arg;
	int ret = tk_flamesvg_add(c->f, frames, depth, weight, c->err);

	return ret < 0 ? ret : 0;
}

int tk_flamesvg_add_stacks(struct tk_flamesvg *f, const struct tk_stacks *s, struct tk_err *err)
{
	struct walk_ctx c = { f, err };
	int ret = tk_stacks_walk_sorted(s, f->names, walk_one, &c);

	if (ret < 0 && !err->code)
		tk_err_set(err, -ret, -1, "out of memory walking the stacks");
	return ret < 0 ? ret : 0;
}

static int frame_cmp(const void *pa, const void *pb)
{
	const struct tk_flamesvg_frame *a = pa, *b = pb;

	if (a->depth != b->depth)
		return a->depth < b->depth ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->end < b->end ? -1 : a->end > b->end;
}

int tk_flamesvg_finish(struct tk_flamesvg *f, struct tk_err *err)
{
	size_t i, k;
	int ret;

	if (f->finished)
		return 0;
	if (f->total_hint && f->total_hint != f->time)
		return tk_err_set(err, TK_EINVAL, -1,
				  "counts add up to %" PRIu64 ", not the %" PRIu64 " announced",
				  f->time, f->total_hint);
	ret = close_from(f, 0, err);
	if (ret < 0)
		return ret;
	f->finished = true;
	if (!f->time)
		return tk_err_set(err, TK_EINVAL, -1, "no stack counts found");
	if (!f->total_hint)
		set_minwidth_time(f, f->time);
	for (i = k = 0; i < f->nframes; i++)
		if (!f->frames[i].dead &&
		    !((double)(f->frames[i].end - f->frames[i].start) < f->minwidth_time))
			f->frames[k++] = f->frames[i];
	f->nframes = k;
	qsort(f->frames, f->nframes, sizeof(*f->frames), frame_cmp);
	f->maxdepth = 0;
	for (i = 0; i < f->nframes; i++)
		if (f->frames[i].depth > f->maxdepth)
			f->maxdepth = f->frames[i].depth;
	f->ypad1 = f->o.fontsize * 3;
	f->ypad2 = f->o.fontsize * 2 + 10;
	f->ypad3 = f->o.subtitle && *f->o.subtitle ? f->o.fontsize * 2 : 0;
	f->height = ((double)f->maxdepth + 1) * f->o.frame_height + f->ypad1 + f->ypad2 + f->ypad3;
	return 0;
}

const struct tk_flamesvg_frame *tk_flamesvg_get_frames(const struct tk_flamesvg *f, size_t *n)
{
	*n = f->nframes;
	return f->frames;
}

uint64_t tk_flamesvg_get_total(const struct tk_flamesvg *f)
{
	return f->time;
}

const struct tk_flamesvg_opts *tk_flamesvg__opts(const struct tk_flamesvg *f)
{
	return &f->o;
}

double tk_flamesvg_get_height(const struct tk_flamesvg *f)
{
	return f->height;
}

int tk_flamesvg_get_width(const struct tk_flamesvg *f)
{
	return f->o.width;
}

void tk_flamesvg_get_box(const struct tk_flamesvg *f, const struct tk_flamesvg_frame *fr,
			 struct tk_flamesvg_box *box)
{
	double wpt = ((double)f->o.width - 2 * XPAD) / (double)f->time;
	double fh = f->o.frame_height, d = fr->depth;

	box->x1 = XPAD + (double)fr->start * wpt;
	box->x2 = XPAD + (double)fr->end * wpt;
	if (!f->o.inverted) {
		box->y1 = f->height - f->ypad2 - (d + 1) * fh + FRAMEPAD;
		box->y2 = f->height - f->ypad2 - d * fh;
	} else {
		box->y1 = f->ypad1 + d * fh;
		box->y2 = f->ypad1 + (d + 1) * fh - FRAMEPAD;
	}
}

/* A trailing "_[k]" (kernel), "_[w]" (waker), "_[i]" (inlined) or "_[j]" (JIT). */
static bool has_annotation(const char *s, size_t len, char *which)
{
	if (len < 4 || s[len - 4] != '_' || s[len - 3] != '[' || s[len - 1] != ']')
		return false;
	if (!s[len - 2] || !strchr("kwij", s[len - 2]))
		return false;
	if (which)
		*which = s[len - 2];
	return true;
}

static const char *raw_name(const struct tk_flamesvg *f, const struct tk_flamesvg_frame *fr,
			    size_t *len)
{
	if (fr->name == TK_FLAMESVG_ALL) {
		*len = 0;
		return "";
	}
	*len = tk_strtab_get_len(f->names, fr->name);
	return tk_strtab_get(f->names, fr->name);
}

const char *tk_flamesvg_get_label(const struct tk_flamesvg *f, const struct tk_flamesvg_frame *fr,
				  size_t *len)
{
	const char *s;

	if (fr->name == TK_FLAMESVG_ALL) {
		*len = 3;
		return "all";
	}
	s = raw_name(f, fr, len);
	if (has_annotation(s, *len, NULL))
		*len -= 4;
	return s;
}

/*
 * UTF-8 decoding for what counts characters: flamegraph.pl reads its input
 * as UTF-8, so its colour seeds and label lengths are in code points. A
 * byte that does not start a valid sequence counts as one character with
 * its own value. Returns the sequence length; *cp gets the code point.
 */
static size_t utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2, c &= 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3, c &= 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		*cp = s[0];
		return 1;
	}
	if (n > len)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = s[0];
	return 1;
}

/* Perl's rand() after srand(seed): one step of its drand48. */
static double perl_rand_after_srand(uint32_t seed)
{
	uint64_t x = UINT64_C(0x330e) + ((uint64_t)seed << 16);

	x = (x * UINT64_C(0x5deece66d) + 0xb) & ((UINT64_C(1) << 48) - 1);
	return ldexp((double)x, -48);
}

/*
 * The default colour seed: flamegraph.pl seeds Perl's generator with the
 * sum of the name's code points and draws one number, so a name gets the
 * same colour in every graph. We compute the same number, so our colours
 * are theirs.
 */
static double name_seed(const char *s, size_t len)
{
	uint32_t sum = 0, cp;
	size_t i = 0;

	while (i < len) {
		i += utf8_next((const unsigned char *)s + i, len - i, &cp);
		sum += cp;
	}
	return perl_rand_after_srand(sum);
}

/*
 * --hash: a value in [0, 1] from the first three characters, earlier ones
 * weighing more, after dropping a "module`" prefix; reversed names give
 * the second value. cps are the name's code points.
 */
static double weighted_hash(const uint32_t *cps, size_t n, bool reversed)
{
	double vector = 0, weight = 1, max = 1;
	size_t i, from = 0;
	unsigned mod = 10;

	/* Everything up to the first backtick after the first character. */
	for (i = 1; i < n; i++) {
		uint32_t c = cps[reversed ? n - 1 - i : i];

		if (c == '`') {
			from = i + 1;
			break;
		}
	}
	for (i = from; i < n && mod <= 12; i++) {
		uint32_t c = cps[reversed ? n - 1 - i : i];

		vector += ((double)(c % mod) / (mod - 1)) * weight;
		mod++;
		max += weight;
		weight *= 0.70;
	}
	return 1 - vector / max;
}

/* Names longer than this many code points are hashed on their start only
 * (flamegraph.pl hashes their end for v2): a --hash colour of such a name
 * can differ from flamegraph.pl's. */
#define HASH_MAX_CHARS 1024

static void hash_values(const char *s, size_t len, double *v1, double *v2)
{
	uint32_t cps[HASH_MAX_CHARS];
	size_t n = 0, i = 0;

	while (i < len && n < HASH_MAX_CHARS) {
		i += utf8_next((const unsigned char *)s + i, len - i, &cps[n]);
		n++;
	}
	*v1 = weighted_hash(cps, n, false);
	*v2 = weighted_hash(cps, n, true);
}

static bool starts_with(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && !memcmp(s, p, n);
}

static bool contains(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(s + i, p, n))
			return true;
	return false;
}

static bool ends_with(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && !memcmp(s + len - n, p, n);
}

/* Java names like "java/util/Map", "Lorg/x/Y", as the java palette sees them. */
static bool java_package(const char *s, size_t len)
{
	static const char *const pkgs[] = { "java/", "javax/", "jdk/", "net/", "org/",
					    "com/", "io/", "sun/" };
	size_t i;

	if (len && s[0] == 'L' && java_package(s + 1, len - 1))
		return true;
	for (i = 0; i < sizeof(pkgs) / sizeof(pkgs[0]); i++)
		if (starts_with(s, len, pkgs[i]))
			return true;
	return false;
}

/* "/" somewhere, then ".js" after it. */
static bool js_path(const char *s, size_t len)
{
	const char *slash = memchr(s, '/', len);

	return slash && contains(slash + 1, len - (size_t)(slash + 1 - s), ".js");
}

/* The multi palettes pick a flat palette per frame from its name. */
static enum tk_flamesvg_palette pick_palette(enum tk_flamesvg_palette p, const char *s,
					     size_t len, bool waker)
{
	switch (p) {
	case TK_FLAMESVG_JAVA:
		if (ends_with(s, len, "_[j]"))
			return TK_FLAMESVG_GREEN;
		if (ends_with(s, len, "_[i]"))
			return TK_FLAMESVG_AQUA;
		if (java_package(s, len) || contains(s, len, ":::"))
			return TK_FLAMESVG_GREEN;
		if (contains(s, len, "::"))
			return TK_FLAMESVG_YELLOW;
		if (ends_with(s, len, "_[k]"))
			return TK_FLAMESVG_ORANGE;
		return TK_FLAMESVG_RED;
	case TK_FLAMESVG_PERL:
		if (contains(s, len, "::"))
			return TK_FLAMESVG_YELLOW;
		if (contains(s, len, "Perl") || contains(s, len, ".pl"))
			return TK_FLAMESVG_GREEN;
		if (ends_with(s, len, "_[k]"))
			return TK_FLAMESVG_ORANGE;
		return TK_FLAMESVG_RED;
	case TK_FLAMESVG_JS:
		if (ends_with(s, len, "_[j]"))
			return memchr(s, '/', len) ? TK_FLAMESVG_GREEN : TK_FLAMESVG_AQUA;
		if (contains(s, len, "::"))
			return TK_FLAMESVG_YELLOW;
		if (js_path(s, len))
			return TK_FLAMESVG_GREEN;
		if (memchr(s, ':', len))
			return TK_FLAMESVG_AQUA;
		if (len == 1 && s[0] == ' ')
			return TK_FLAMESVG_GREEN;
		if (contains(s, len, "_[k]"))
			return TK_FLAMESVG_ORANGE;
		return TK_FLAMESVG_RED;
	case TK_FLAMESVG_WAKEUP:
		return TK_FLAMESVG_AQUA;
	case TK_FLAMESVG_CHAIN:
		return waker || contains(s, len, "_[w]") ? TK_FLAMESVG_AQUA : TK_FLAMESVG_BLUE;
	default:
		return p;
	}
}

/*
 * Chain graphs put the wakers' stacks after a "--" frame; flamegraph.pl
 * marks those frames "_[w]" in the input. We look for a "--" ancestor
 * instead, which needs the frames below: they are the kept frames at lower
 * depths that contain this one. Frames are sorted by depth, then start.
 */
static bool below_separator(const struct tk_flamesvg *f, const struct tk_flamesvg_frame *fr)
{
	size_t lo, hi, i;
	uint32_t d;

	for (d = 1; d < fr->depth; d++) {
		/* Binary search the first frame at depth d starting after fr->start. */
		lo = 0, hi = f->nframes;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const struct tk_flamesvg_frame *m = &f->frames[mid];

			if (m->depth < d || (m->depth == d && m->start <= fr->start))
				lo = mid + 1;
			else
				hi = mid;
		}
		if (!lo)
			continue;
		i = lo - 1;
		if (f->frames[i].depth == d && f->frames[i].end >= fr->end &&
		    f->frames[i].name != TK_FLAMESVG_ALL) {
			size_t n;
			const char *s = raw_name(f, &f->frames[i], &n);

			if (n == 2 && !memcmp(s, "--", 2))
				return true;
		}
	}
	return false;
}

static uint8_t channel(double v)
{
	return v <= 0 ? 0 : v >= 255 ? 255 : (uint8_t)v;
}

/*
 * flamegraph.pl's color_scale(): white, shading to red as the count grew
 * and to blue as it shrank, in proportion to the largest change of a line.
 */
static void diff_color(const struct tk_flamesvg *f, int64_t delta, uint8_t rgb[3])
{
	double max = (double)f->maxdelta, v = (double)(f->o.negate ? -delta : delta);

	rgb[0] = rgb[1] = rgb[2] = 255;
	if (v > 0)
		rgb[1] = rgb[2] = channel((double)(int64_t)(210 * (max - v) / max));
	else if (v < 0)
		rgb[0] = rgb[1] = channel((double)(int64_t)(210 * (max + v) / max));
}

void tk_flamesvg_get_color(const struct tk_flamesvg *f, const struct tk_flamesvg_frame *fr,
			   uint8_t rgb[3])
{
	enum tk_flamesvg_palette p = f->o.palette;
	double v1, v2, v3;
	size_t len;
	const char *s = raw_name(f, fr, &len);

	/* Separators: "-" between user and kernel stacks, "--" before wakers. */
	if (len == 2 && !memcmp(s, "--", 2)) {
		rgb[0] = rgb[1] = rgb[2] = 160;
		return;
	}
	if (len == 1 && s[0] == '-') {
		rgb[0] = rgb[1] = rgb[2] = 200;
		return;
	}
	if (fr->has_delta) {
		diff_color(f, fr->delta, rgb);
		return;
	}
	if (f->o.hash) {
		hash_values(s, len, &v1, &v2);
		v3 = v2;
	} else {
		v1 = v2 = v3 = name_seed(s, len);
	}
	switch (p) {
	case TK_FLAMESVG_HOT:
		rgb[0] = (uint8_t)(205 + (int)(50 * v3));
		rgb[1] = (uint8_t)(int)(230 * v1);
		rgb[2] = (uint8_t)(int)(55 * v2);
		return;
	case TK_FLAMESVG_MEM:
		rgb[0] = 0;
		rgb[1] = (uint8_t)(190 + (int)(50 * v2));
		rgb[2] = (uint8_t)(int)(210 * v1);
		return;
	case TK_FLAMESVG_IO:
		rgb[0] = rgb[1] = (uint8_t)(80 + (int)(60 * v1));
		rgb[2] = (uint8_t)(190 + (int)(55 * v2));
		return;
	default:
		break;
	}
	p = pick_palette(p, s, len, p == TK_FLAMESVG_CHAIN && below_separator(f, fr));
	switch (p) {
	case TK_FLAMESVG_RED:
		rgb[0] = (uint8_t)(200 + (int)(55 * v1));
		rgb[1] = rgb[2] = (uint8_t)(50 + (int)(80 * v1));
		return;
	case TK_FLAMESVG_GREEN:
		rgb[1] = (uint8_t)(200 + (int)(55 * v1));
		rgb[0] = rgb[2] = (uint8_t)(50 + (int)(60 * v1));
		return;
	case TK_FLAMESVG_BLUE:
		rgb[2] = (uint8_t)(205 + (int)(50 * v1));
		rgb[0] = rgb[1] = (uint8_t)(80 + (int)(60 * v1));
		return;
	case TK_FLAMESVG_YELLOW:
		rgb[0] = rgb[1] = (uint8_t)(175 + (int)(55 * v1));
		rgb[2] = (uint8_t)(50 + (int)(20 * v1));
		return;
	case TK_FLAMESVG_PURPLE:
		rgb[0] = rgb[2] = (uint8_t)(190 + (int)(65 * v1));
		rgb[1] = (uint8_t)(80 + (int)(60 * v1));
		return;
	case TK_FLAMESVG_AQUA:
		rgb[0] = (uint8_t)(50 + (int)(60 * v1));
		rgb[1] = rgb[2] = (uint8_t)(165 + (int)(55 * v1));
		return;
	case TK_FLAMESVG_ORANGE:
		rgb[0] = (uint8_t)(190 + (int)(65 * v1));
		rgb[1] = (uint8_t)(90 + (int)(65 * v1));
		rgb[2] = 0;
		return;
	default:
		rgb[0] = rgb[1] = rgb[2] = 0;
		return;
	}
}

/* ---- SVG text ---- */

/*
 * XML text or attribute value. Bytes that are not valid UTF-8, and control
 * characters XML forbids, become U+FFFD so the file always parses.
 */
static void put_xml(FILE *out, const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&':
			fputs("&amp;", out);
			i++;
			continue;
		case '<':
			fputs("&lt;", out);
			i++;
			continue;
		case '>':
			fputs("&gt;", out);
			i++;
			continue;
		case '"':
			fputs("&quot;", out);
			i++;
			continue;
		default:
			break;
		}
		n = utf8_next((const unsigned char *)s + i, len - i, &cp);
		if ((n == 1 && c >= 0x80) ||
		    (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xfffe ||
		    cp == 0xffff)
			fputs("\xef\xbf\xbd", out);
		else
			fwrite(s + i, 1, n, out);
		i += n;
	}
}

static void put_xmls(FILE *out, const char *s)
{
	put_xml(out, s, strlen(s));
}

/* A JavaScript string literal that cannot end the CDATA section or a tag. */
static void put_js_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* Font names go into CSS unquoted, as flamegraph.pl writes them; keep
 * only what cannot end the declaration. */
static void put_css_font(FILE *out, const char *s)
{
	for (; *s; s++)
		if (!strchr("{};<>&\\", *s) && (unsigned char)*s >= 0x20)
			fputc(*s, out);
}

/* 1234567 -> "1,234,567". */
static void put_count(FILE *out, uint64_t v)
{
	char d[32], g[48];
	int n = snprintf(d, sizeof(d), "%" PRIu64, v), i, k = 0;

	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			g[k++] = ',';
		g[k++] = d[i];
	}
	g[k] = 0;
	fputs(g, out);
}

/*
 * flamegraph.pl rounds x1 and x2 to one decimal and writes width as the
 * difference of the rounded values, rounded again: the same here, through
 * the same text, so both agree to the last digit.
 */
static void put_rect_geometry(FILE *out, const struct tk_flamesvg_box *b)
{
	char x1[64], x2[64];

	snprintf(x1, sizeof(x1), "%.1f", b->x1);
	snprintf(x2, sizeof(x2), "%.1f", b->x2);
	fprintf(out, "x=\"%s\" y=\"%.15g\" width=\"%.1f\" height=\"%.1f\"", x1, b->y1,
		strtod(x2, NULL) - strtod(x1, NULL), b->y2 - b->y1);
}

/* Count of code points (see utf8_next). */
static size_t char_count(const char *s, size_t len)
{
	size_t i = 0, n = 0;
	uint32_t cp;

	while (i < len) {
		i += utf8_next((const unsigned char *)s + i, len - i, &cp);
		n++;
	}
	return n;
}

/* Byte length of the first n code points. */
static size_t char_prefix(const char *s, size_t len, size_t n)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len && n--)
		i += utf8_next((const unsigned char *)s + i, len - i, &cp);
	return i;
}

/* The label that fits: as many characters as the average glyph width
 * allows, the last two replaced by ".." when cut; none below three. */
size_t tk_flamesvg__fit_label(const struct tk_flamesvg *f, const struct tk_flamesvg_frame *fr,
			      const struct tk_flamesvg_box *b, const char **s, bool *dots)
{
	double room = (b->x2 - b->x1) / (f->o.fontsize * f->o.fontwidth);
	size_t len, chars;

	*dots = false;
	*s = "";
	if (!(room >= 3))
		return 0;
	chars = room > 1e6 ? 1000000 : (size_t)room;
	*s = tk_flamesvg_get_label(f, fr, &len);
	if (chars >= char_count(*s, len))
		return len;
	*dots = true;
	return char_prefix(*s, len, chars - 2);
}

static void put_label(FILE *out, const struct tk_flamesvg *f, const struct tk_flamesvg_frame *fr,
		      const struct tk_flamesvg_box *b)
{
	const char *s;
	bool dots;
	size_t n = tk_flamesvg__fit_label(f, fr, b, &s, &dots);

	put_xml(out, s, n);
	if (dots)
		fputs("..", out);
}

static void put_title(FILE *out, const struct tk_flamesvg *f, const struct tk_flamesvg_frame *fr)
{
	uint64_t n = fr->end - fr->start;
	size_t len;
	const char *s = tk_flamesvg_get_label(f, fr, &len);

	fputs("<title>", out);
	put_xml(out, s, len);
	fputs(" (", out);
	put_count(out, n);
	fputc(' ', out);
	put_xmls(out, f->o.countname);
	if (fr->name == TK_FLAMESVG_ALL)
		fputs(", 100%", out);
	else
		fprintf(out, ", %.2f%%", 100.0 * (double)n / (double)f->time);
	if (fr->has_delta && fr->name != TK_FLAMESVG_ALL) {
		/* flamegraph.pl: "+" only when the change itself is positive. */
		double d = (double)(f->o.negate ? -fr->delta : fr->delta);

		fprintf(out, "; %s%.2f%%", d > 0 ? "+" : "", 100.0 * d / (double)f->time);
	}
	fputs(")</title>", out);
}

const char *tk_flamesvg__title(const struct tk_flamesvg *f)
{
	const struct tk_flamesvg_opts *o = &f->o;

	if (o->title && *o->title)
		return o->title;
	if (o->flamechart)
		return "Flame Chart";
	return o->inverted ? "Icicle Graph" : "Flame Graph";
}

void tk_flamesvg__background(const struct tk_flamesvg *f, const char **c1, const char **c2)
{
	const struct tk_flamesvg_opts *o = &f->o;

	switch (o->palette) {
	case TK_FLAMESVG_MEM:
		*c1 = "#eef2ee", *c2 = "#e0ffe0";
		return;
	case TK_FLAMESVG_IO:
	case TK_FLAMESVG_WAKEUP:
	case TK_FLAMESVG_CHAIN:
		*c1 = "#eeeeee", *c2 = "#e0e0ff";
		return;
	case TK_FLAMESVG_RED:
	case TK_FLAMESVG_GREEN:
	case TK_FLAMESVG_BLUE:
	case TK_FLAMESVG_AQUA:
	case TK_FLAMESVG_YELLOW:
	case TK_FLAMESVG_PURPLE:
	case TK_FLAMESVG_ORANGE:
		*c1 = "#f8f8f8", *c2 = "#e8e8e8";
		return;
	default:
		*c1 = "#eeeeee", *c2 = "#eeeeb0";
		return;
	}
}

static void put_text(FILE *out, const char *id, double x, double y, const char *cls,
		     const char *s)
{
	fprintf(out, "<text id=\"%s\" x=\"%.2f\" y=\"%.15g\"", id, x, y);
	if (cls)
		fprintf(out, " class=\"%s\"", cls);
	fputc('>', out);
	put_xmls(out, s);
	fputs("</text>\n", out);
}

static void put_head(FILE *out, const struct tk_flamesvg *f)
{
	const struct tk_flamesvg_opts *o = &f->o;
	const char *c1, *c2;

	tk_flamesvg__background(f, &c1, &c2);
	fprintf(out,
		"<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
		"\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
		"<svg version=\"1.1\" width=\"%d\" height=\"%.15g\" viewBox=\"0 0 %d %.15g\" "
		"xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n"
		"<!-- Flame graph by tracekit flamegraph; frame geometry as flamegraph.pl draws it. -->\n",
		o->width, f->height, o->width, f->height);
	if (o->notes) {
		fputs("<!-- NOTES: ", out);
		put_xmls(out, o->notes);
		fputs(" -->\n", out);
	}
	fprintf(out,
		"<defs>\n"
		"<linearGradient id=\"background\" x1=\"0\" x2=\"0\" y1=\"0\" y2=\"1\">\n"
		"<stop offset=\"5%%\" stop-color=\"%s\"/>\n"
		"<stop offset=\"95%%\" stop-color=\"%s\"/>\n"
		"</linearGradient>\n"
		"</defs>\n",
		c1, c2);
	fputs("<style type=\"text/css\">\n"
	      "text { font-family: ", out);
	put_css_font(out, o->fonttype);
	fprintf(out,
		"; font-size: %.15gpx; fill: rgb(0,0,0); }\n"
		"#title { text-anchor: middle; font-size: %.15gpx; }\n"
		"#subtitle { text-anchor: middle; fill: rgb(160,160,160); }\n"
		"#unzoom, #search, #ignorecase { cursor: pointer; }\n"
		"#search, #ignorecase { opacity: 0.1; }\n"
		"#search:hover, #search.on, #ignorecase:hover, #ignorecase.on { opacity: 1; }\n"
		"#frames > g { cursor: pointer; }\n"
		"#frames > g:hover > rect { stroke: rgb(0,0,0); stroke-width: 0.5; }\n"
		"#frames text { pointer-events: none; }\n"
		".hide { display: none; }\n"
		".parent { opacity: 0.5; }\n"
		"</style>\n",
		o->fontsize, o->fontsize + 5);
}

static void put_chrome(FILE *out, const struct tk_flamesvg *f)
{
	const struct tk_flamesvg_opts *o = &f->o;
	double w = o->width, h = f->height, fs = o->fontsize;

	fprintf(out,
		"<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%.15g\" fill=\"url(#background)\"/>\n",
		o->width, h);
	put_text(out, "title", (double)(o->width / 2), fs * 2, NULL, tk_flamesvg__title(f));
	if (o->subtitle && *o->subtitle)
		put_text(out, "subtitle", (double)(o->width / 2), fs * 4, NULL, o->subtitle);
	put_text(out, "details", XPAD, h - f->ypad2 / 2, NULL, " ");
	put_text(out, "unzoom", XPAD, fs * 2, "hide", "Reset Zoom");
	put_text(out, "search", w - XPAD - 100, fs * 2, NULL, "Search");
	put_text(out, "ignorecase", w - XPAD - 16, fs * 2, NULL, "ic");
	put_text(out, "matched", w - XPAD - 100, h - f->ypad2 / 2, NULL, " ");
}

static void put_frames(FILE *out, const struct tk_flamesvg *f)
{
	size_t i;

	fputs("<g id=\"frames\">\n", out);
	for (i = 0; i < f->nframes; i++) {
		const struct tk_flamesvg_frame *fr = &f->frames[i];
		struct tk_flamesvg_box b;
		uint8_t rgb[3];

		tk_flamesvg_get_box(f, fr, &b);
		tk_flamesvg_get_color(f, fr, rgb);
		fputs("<g>\n", out);
		put_title(out, f, fr);
		fputs("<rect ", out);
		put_rect_geometry(out, &b);
		fprintf(out, " fill=\"rgb(%u,%u,%u)\" rx=\"2\" ry=\"2\"/>\n", rgb[0], rgb[1],
			rgb[2]);
		fprintf(out, "<text x=\"%.2f\" y=\"%.15g\">", b.x1 + 3, 3 + (b.y1 + b.y2) / 2);
		put_label(out, f, fr, &b);
		fputs("</text>\n</g>\n", out);
	}
	fputs("</g>\n", out);
}

/* Settings the script needs, then the script itself (flamesvg.js). */
static void put_script(FILE *out, const struct tk_flamesvg *f)
{
	const struct tk_flamesvg_opts *o = &f->o;

	fputs("<script type=\"text/ecmascript\"><![CDATA[\n", out);
	fprintf(out,
		"var tkfg = { width: %d, xpad: %.15g, fontsize: %.15g, fontwidth: %.15g, "
		"inverted: %s, total: %" PRIu64 ", nametype: ",
		o->width, XPAD, o->fontsize, o->fontwidth, o->inverted ? "true" : "false", f->time);
	put_js_string(out, o->nametype);
	fputs(" };\n", out);
	fputs(tk_flamesvg_js, out);
	fputs("]]></script>\n", out);
}

int tk_flamesvg_write(const struct tk_flamesvg *f, FILE *out, struct tk_err *err)
{
	if (!f->finished)
		return tk_err_set(err, TK_EINVAL, -1, "flame graph not finished");
	put_head(out, f);
	put_chrome(out, f);
	put_frames(out, f);
	/* The script comes last so that it runs with every element in place. */
	put_script(out, f);
	fputs("</svg>\n", out);
	if (fflush(out) || ferror(out))
		return tk_err_sys(err, errno, -1, "writing the SVG");
	return 0;
}

/* ---- --reverse ---- */

int tk_flamesvg_reverse(const struct tk_stacks *in, size_t max_bytes, struct tk_stacks **out,
			struct tk_err *err)
{
	struct tk_stacks *s = tk_stacks_create(max_bytes);
	uint32_t *buf = NULL, id, n = tk_stacks_count(in), node;
	size_t cap = 0, depth;
	int ret = 0;

	if (!s)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	/* Each node with a self weight ends a stack: collect its frames leaf
	 * first, which is the reversed stack, root first. */
	for (id = 1; id < n && ret == 0; id++) {
		uint64_t w = tk_stacks_get_self(in, id);

		if (!w)
			continue;
		depth = 0;
		for (node = id; node != TK_STACKS_ROOT; node = tk_stacks_get_parent(in, node)) {
			if (grow((void **)&buf, &cap, depth + 1, sizeof(*buf)) < 0) {
				ret = -TK_ENOMEM;
				break;
			}
			buf[depth++] = tk_stacks_get_frame(in, node);
		}
		if (ret == 0)
			ret = tk_stacks_add(s, buf, depth, w, NULL);
	}
	free(buf);
	if (ret < 0) {
		tk_stacks_destroy(s);
		return tk_err_set(err, -ret, -1, "%s",
				  ret == -TK_ELIMIT ? "reversed stacks over the memory cap"
						    : "out of memory");
	}
	*out = s;
	return 0;
}
