/* SPDX-License-Identifier: MIT */
#include "formats/pscript.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/lineread.h"

#define DEFAULT_MAX_LINE (1u << 20)
#define DEFAULT_MAX_FRAMES 65536u

/* Where the parts of a header are in its line. */
struct hdr {
	size_t comm_len;
	int64_t pid, tid;
	int cpu;
	size_t time_off, time_len;
	size_t ev_off, ev_len;		/* ev_len 0: no event */
	bool shown;
	uint64_t period;
	size_t pay_off, pay_len;
};

struct fr_off {
	size_t pc, sym, dso;		/* offsets into the sample buffer */
};

struct tk_pscript_reader {
	int fd;
	bool own_fd;
	struct tk_pscript_opts opts;
	struct tk_err err;
	struct tk_pscript_counts counts;

	struct tk_lineread *lr;

	/* the sample being built: strings in sbuf, NUL-terminated */
	char *sbuf;
	size_t slen, scap;
	struct fr_off *foff;
	size_t nf, fcap;
	struct tk_pscript_frame *frames;
	size_t frames_cap;
	struct hdr h;
	size_t comm_off, time_off, ev_off, pay_off;
	bool in_sample;
	uint64_t line_no, cur_line;
	int64_t cur_off, hdr_off;

	char *held;			/* a header that ended the previous sample */
	size_t held_len, held_cap;
	uint64_t held_line;
	int64_t held_off;
	bool have_held;
	int64_t push_off;		/* push mode: offset of the next line */
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_word(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static uint64_t number(const char *s, size_t len)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return UINT64_MAX;	/* saturate: no digit run this long is real */
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return v;
}

static int64_t id_number(const char *s, size_t len)
{
	uint64_t v = number(s, len);

	return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/*
 * The end of the header: "...: [PERIOD] EVENT:" as stackcollapse-perf.pl's
 * /:\s*(\d+)*\s+(\S+):\s*$/ sees it. The event is the last token less its
 * final ':'; before it, after whitespace, either a ':' or a ':' then digits.
 */
static void shown_event(const char *l, size_t n, struct hdr *h)
{
	size_t end = n, t, s, d, k;

	while (end && is_ws(l[end - 1]))
		end--;
	if (end < 2 || l[end - 1] != ':')
		return;
	t = end - 1;
	while (t && !is_ws(l[t - 1]))
		t--;
	if (t == 0 || t == end - 1)
		return;
	s = t;
	while (s && is_ws(l[s - 1]))
		s--;
	if (!s)
		return;
	if (l[s - 1] == ':') {
		h->period = 0;
	} else {
		d = s;
		while (d && is_digit(l[d - 1]))
			d--;
		if (d == s)
			return;
		k = d;
		while (k && is_ws(l[k - 1]))
			k--;
		if (!k || l[k - 1] != ':')
			return;
		h->period = number(l + d, s - d);
	}
	h->shown = true;
	h->ev_off = t;
	h->ev_len = end - 1 - t;
	h->pay_off = end;
	h->pay_len = 0;
}

/* The fields after "COMM TID ": [CPU] TIME: [PERIOD] EVENT: PAYLOAD, by position. */
static void positional_fields(const char *l, size_t n, size_t i, struct hdr *h)
{
	size_t a, b;

#define NEXT_TOKEN()                                   \
	do {                                           \
		while (i < n && is_ws(l[i]))           \
			i++;                           \
		a = i;                                 \
		while (i < n && !is_ws(l[i]))          \
			i++;                           \
		b = i;                                 \
	} while (0)

	NEXT_TOKEN();
	if (b - a >= 3 && l[a] == '[' && l[b - 1] == ']') {
		size_t j;

		for (j = a + 1; j < b - 1 && is_digit(l[j]); j++)
			;
		if (j == b - 1 && j - a - 1 <= 7)
			h->cpu = (int)number(l + a + 1, j - a - 1);
		NEXT_TOKEN();
	}
	if (b - a >= 2 && l[b - 1] == ':' && is_digit(l[a])) {
		h->time_off = a;
		h->time_len = b - a - 1;
		NEXT_TOKEN();
	}
	if (b > a && is_digit(l[a])) {
		size_t j = a;

		while (j < b && is_digit(l[j]))
			j++;
		if (j == b)
			NEXT_TOKEN();	/* a period that does not end the line */
	}
	if (!h->shown && b - a >= 2 && l[b - 1] == ':') {
		h->ev_off = a;
		h->ev_len = b - a - 1;
		while (i < n && is_ws(l[i]))
			i++;
		h->pay_off = i;
		h->pay_len = n - i;
	}
#undef NEXT_TOKEN
}

/*
 * stackcollapse-perf.pl's header pattern: COMM is the shortest prefix (two
 * bytes or more, not starting with white space) that white space, digits,
 * any number of '/', optional digits, and white space follow.
 */
static bool parse_header(const char *l, size_t n, struct hdr *h)
{
	size_t e, i, p1, p1e, p2, p2e;

	if (n < 2 || is_ws(l[0]))
		return false;
	for (e = 2; e < n; e++) {
		if (!is_ws(l[e]))
			continue;
		i = e;
		while (i < n && is_ws(l[i]))
			i++;
		if (i >= n || !is_digit(l[i])) {
			/* every end inside this white space fails the same way */
			e = i - 1;
			continue;
		}
		p1 = i;
		while (i < n && is_digit(l[i]))
			i++;
		p1e = i;
		while (i < n && l[i] == '/')
			i++;
		p2 = i;
		while (i < n && is_digit(l[i]))
			i++;
		p2e = i;
		if (i < n && is_ws(l[i]))
			goto found;
		e = i - 1;
	}
	return false;
found:
	memset(h, 0, sizeof(*h));
	h->comm_len = e;
	h->cpu = -1;
	if (p2e > p2) {
		h->pid = id_number(l + p1, p1e - p1);
		h->tid = id_number(l + p2, p2e - p2);
	} else {
		h->pid = -1;
		h->tid = id_number(l + p1, p1e - p1);
	}
	h->time_off = h->ev_off = h->pay_off = n;
	shown_event(l, n, h);
	positional_fields(l, n, i, h);
	return true;
}

/*
 * stackcollapse-perf.pl's /^\s*(\w+)\s*(.+) \((.*)\)/: the DSO is inside
 * the last " (" that a ')' follows, up to the last ')'. When no symbol text
 * is left between the address and that " (" (as in "ADDR (DSO)"), Perl's
 * backtracking takes one byte: the last white space byte before it, or the
 * address's last character. We do the same, so such lines fold alike.
 */
static bool parse_frame(const char *l, size_t n, size_t *pc, size_t *pc_len, size_t *sym,
			size_t *sym_len, size_t *dso, size_t *dso_len)
{
	size_t i = 0, e, w, close, p;

	while (i < n && is_ws(l[i]))
		i++;
	*pc = i;
	while (i < n && is_word(l[i]))
		i++;
	e = i;
	if (e == *pc)
		return false;
	while (i < n && is_ws(l[i]))
		i++;
	w = i;
	for (close = n; close > e && l[close - 1] != ')'; close--)
		;
	if (close < e + 3)
		return false;
	close--;		/* index of the last ')' */
	for (p = close - 2; p >= e; p--)
		if (l[p] == ' ' && l[p + 1] == '(')
			break;
	if (p < e || l[p] != ' ' || l[p + 1] != '(')
		return false;
	if (p >= w + 1) {
		*sym = w;
	} else if (p >= e + 1) {
		*sym = p - 1;
	} else if (e - *pc >= 2) {
		e--;
		*sym = e;
	} else {
		return false;
	}
	*pc_len = e - *pc;
	*sym_len = p - *sym;
	*dso = p + 2;
	*dso_len = close - (p + 2);
	return true;
}

bool tk_pscript_split_frame(const char *line, size_t n, size_t pc[2], size_t sym[2],
			    size_t dso[2])
{
	return parse_frame(line, n, &pc[0], &pc[1], &sym[0], &sym[1], &dso[0], &dso[1]);
}

static int reader_init(struct tk_pscript_reader *r, const char *name,
		       const struct tk_pscript_opts *opts)
{
	if (opts)
		r->opts = *opts;
	if (!r->opts.max_line)
		r->opts.max_line = DEFAULT_MAX_LINE;
	if (!r->opts.max_frames)
		r->opts.max_frames = DEFAULT_MAX_FRAMES;
	tk_err_clear(&r->err);
	tk_err_set_file(&r->err, name);
	r->counts.first_bad_offset = -1;
	return 0;
}

int tk_pscript_open_fd(int fd, const char *name, const struct tk_pscript_opts *opts,
		       struct tk_pscript_reader **out, struct tk_err *err)
{
	struct tk_pscript_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r || reader_init(r, name, opts) < 0) {
		tk_pscript_close(r);
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	}
	r->fd = fd;
	r->lr = tk_lineread_create(fd, r->opts.max_line);
	if (!r->lr) {
		tk_pscript_close(r);
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	}
	*out = r;
	return 0;
}

int tk_pscript_open(const char *path, const struct tk_pscript_opts *opts,
		    struct tk_pscript_reader **out, struct tk_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	*out = NULL;
	if (fd < 0)
		return tk_err_sys(err, errno, -1, "cannot open");
	ret = tk_pscript_open_fd(fd, path, opts, out, err);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	(*out)->own_fd = true;
	return 0;
}

void tk_pscript_close(struct tk_pscript_reader *r)
{
	if (!r)
		return;
	if (r->own_fd)
		close(r->fd);
	tk_lineread_destroy(r->lr);
	free(r->sbuf);
	free(r->foff);
	free(r->frames);
	free(r->held);
	free(r);
}

/* Grow *buf to hold need bytes, up to cap; 0, -TK_ENOMEM or -TK_ELIMIT. */
static int grow(char **buf, size_t *have, size_t need, size_t cap)
{
	size_t n = *have ? *have : 256;
	char *b;

	if (need <= *have)
		return 0;
	if (need > cap)
		return -TK_ELIMIT;
	while (n < need)
		n = n > cap / 2 ? cap : n * 2;
	b = realloc(*buf, n);
	if (!b)
		return -TK_ENOMEM;
	*buf = b;
	*have = n;
	return 0;
}

static int read_line(struct tk_pscript_reader *r, const char **out, size_t *len)
{
	return tk_lineread_next(r->lr, out, len, &r->cur_off, &r->err);
}

/* Copy s[0..len) into the sample buffer; its offset in *off. */
static int save(struct tk_pscript_reader *r, const char *s, size_t len, size_t *off)
{
	/* A sample holds at most max_frames lines of max_line bytes. */
	size_t cap = r->opts.max_line * 4 + r->opts.max_frames * 64;
	int ret = grow(&r->sbuf, &r->scap, r->slen + len + 1, cap);

	if (ret < 0)
		return tk_err_set(&r->err, -ret, r->cur_off,
				  ret == -TK_ELIMIT ? "sample larger than %zu bytes"
						    : "out of memory (sample of %zu bytes)",
				  cap);
	memcpy(r->sbuf + r->slen, s, len);
	r->sbuf[r->slen + len] = '\0';
	*off = r->slen;
	r->slen += len + 1;
	return 0;
}

static int start_sample(struct tk_pscript_reader *r, const char *l, size_t n, const struct hdr *h)
{
	int ret;

	r->slen = 0;
	r->nf = 0;
	r->h = *h;
	r->hdr_off = r->cur_off;
	r->cur_line = r->line_no;
	ret = save(r, l, h->comm_len, &r->comm_off);
	if (!ret)
		ret = save(r, l + h->time_off, h->time_len, &r->time_off);
	if (!ret)
		ret = save(r, l + h->ev_off, h->ev_len, &r->ev_off);
	if (!ret)
		ret = save(r, l + h->pay_off, h->pay_len, &r->pay_off);
	if (ret < 0)
		return ret;
	(void)n;
	r->in_sample = true;
	return 0;
}

static int add_frame(struct tk_pscript_reader *r, const char *l, size_t pc, size_t pc_len,
		     size_t sym, size_t sym_len, size_t dso, size_t dso_len)
{
	struct fr_off *f;
	int ret;

	if (r->nf >= r->opts.max_frames)
		return tk_err_set(&r->err, TK_ELIMIT, r->cur_off,
				  "more than %zu callchain lines in the sample at line %llu",
				  r->opts.max_frames, (unsigned long long)r->cur_line);
	if (r->nf == r->fcap) {
		size_t n = r->fcap ? r->fcap * 2 : 64;

		f = realloc(r->foff, n * sizeof(*f));
		if (!f)
			return tk_err_set(&r->err, TK_ENOMEM, r->cur_off, "out of memory");
		r->foff = f;
		r->fcap = n;
	}
	f = &r->foff[r->nf];
	ret = save(r, l + pc, pc_len, &f->pc);
	if (!ret)
		ret = save(r, l + sym, sym_len, &f->sym);
	if (!ret)
		ret = save(r, l + dso, dso_len, &f->dso);
	if (ret < 0)
		return ret;
	r->nf++;
	return 0;
}

static int emit(struct tk_pscript_reader *r, struct tk_pscript_sample *out)
{
	size_t i;

	if (r->nf > r->frames_cap) {
		struct tk_pscript_frame *f = realloc(r->frames, r->nf * sizeof(*f));

		if (!f)
			return tk_err_set(&r->err, TK_ENOMEM, r->hdr_off, "out of memory");
		r->frames = f;
		r->frames_cap = r->nf;
	}
	for (i = 0; i < r->nf; i++) {
		r->frames[i].pc = r->sbuf + r->foff[i].pc;
		r->frames[i].sym = r->sbuf + r->foff[i].sym;
		r->frames[i].dso = r->sbuf + r->foff[i].dso;
	}
	out->comm = r->sbuf + r->comm_off;
	out->pid = r->h.pid;
	out->tid = r->h.tid;
	out->cpu = r->h.cpu;
	out->time = r->sbuf + r->time_off;
	out->event = r->h.ev_len ? r->sbuf + r->ev_off : NULL;
	out->event_shown = r->h.shown;
	out->period = r->h.period;
	out->payload = r->sbuf + r->pay_off;
	out->frames = r->frames;
	out->nframes = r->nf;
	out->line = r->cur_line;
	out->offset = r->hdr_off;
	r->in_sample = false;
	r->counts.samples++;
	return 1;
}

/* The header that ended the last sample starts this one. */
static int take_held(struct tk_pscript_reader *r)
{
	struct hdr h;

	if (!r->have_held)
		return 0;
	r->have_held = false;
	r->cur_off = r->held_off;
	r->line_no = r->held_line;
	parse_header(r->held, r->held_len, &h);
	return start_sample(r, r->held, r->held_len, &h);
}

/* One line (r->cur_off set): 1 and *out when it ends a sample, 0, or < 0. */
static int consume(struct tk_pscript_reader *r, const char *l, size_t n,
		   struct tk_pscript_sample *out)
{
	size_t k, pc, pc_len, sym, sym_len, dso, dso_len;
	struct hdr h;
	int ret;

	r->line_no++;
	r->counts.lines++;
	if (n && l[0] == '#') {
		r->counts.comments++;
		return 0;
	}
	if (!n)
		return r->in_sample ? emit(r, out) : 0;
	/*
	 * perf script indents callchain lines with a tab, and right-aligns
	 * the comm of samples without a callchain, so a tab means a frame and
	 * leading spaces may start a header (stackcollapse-perf.pl takes no
	 * header with leading space).
	 */
	k = 0;
	if (l[0] != '\t')
		while (k < n && l[k] == ' ')
			k++;
	if (l[0] != '\t' && parse_header(l + k, n - k, &h)) {
		l += k;
		n -= k;
		if (r->in_sample) {
			ret = grow(&r->held, &r->held_cap, n, r->opts.max_line);
			if (ret < 0)
				return tk_err_set(&r->err, -ret, r->cur_off, "out of memory");
			memcpy(r->held, l, n);
			r->held_len = n;
			r->held_line = r->line_no;
			r->held_off = r->cur_off;
			r->have_held = true;
			return emit(r, out);
		}
		return start_sample(r, l, n, &h);
	}
	if (parse_frame(l, n, &pc, &pc_len, &sym, &sym_len, &dso, &dso_len)) {
		if (!r->in_sample) {
			r->counts.orphan_frames++;
			return 0;
		}
		return add_frame(r, l, pc, pc_len, sym, sym_len, dso, dso_len);
	}
	if (!r->counts.bad_lines++) {
		r->counts.first_bad_line = r->line_no;
		r->counts.first_bad_offset = r->cur_off;
	}
	return 0;
}

int tk_pscript_next(struct tk_pscript_reader *r, struct tk_pscript_sample *out)
{
	const char *l;
	size_t n;
	int ret;

	if (r->err.code)
		return -r->err.code;
	if (!r->lr)
		return tk_err_set(&r->err, TK_EINVAL, -1, "a push reader has no input to read");
	ret = take_held(r);
	if (ret < 0)
		return ret;
	for (;;) {
		ret = read_line(r, &l, &n);
		if (ret < 0)
			return ret;
		if (ret == 0)
			return r->in_sample ? emit(r, out) : 0;
		ret = consume(r, l, n, out);
		if (ret)
			return ret;
	}
}

int tk_pscript_create(const char *name, const struct tk_pscript_opts *opts,
		      struct tk_pscript_reader **out, struct tk_err *err)
{
	struct tk_pscript_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	reader_init(r, name, opts);
	r->fd = -1;
	*out = r;
	return 0;
}

int tk_pscript_push(struct tk_pscript_reader *r, const char *line, size_t len,
		    struct tk_pscript_sample *out)
{
	int ret;

	if (r->err.code)
		return -r->err.code;
	ret = take_held(r);
	if (ret < 0)
		return ret;
	r->cur_off = r->push_off;
	r->push_off += (int64_t)len + 1;
	if (len > r->opts.max_line)
		return tk_err_set(&r->err, TK_ELIMIT, r->cur_off, "line longer than %zu bytes",
				  r->opts.max_line);
	return consume(r, line, len, out);
}

int tk_pscript_finish(struct tk_pscript_reader *r, struct tk_pscript_sample *out)
{
	int ret;

	if (r->err.code)
		return -r->err.code;
	ret = take_held(r);
	if (ret < 0)
		return ret;
	return r->in_sample ? emit(r, out) : 0;
}

const struct tk_pscript_counts *tk_pscript_get_counts(const struct tk_pscript_reader *r)
{
	return &r->counts;
}

const struct tk_err *tk_pscript_get_err(const struct tk_pscript_reader *r)
{
	return &r->err;
}
