/* SPDX-License-Identifier: MIT */
#include "formats/folded.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/lineread.h"
#include "core/stacks.h"
#include "core/strtab.h"

struct write_ctx {
	FILE *out;
	const struct tk_strtab *names;
	uint64_t div;
};

static int write_one(void *arg, const uint32_t *frames, size_t depth, uint64_t weight)
{
	struct write_ctx *c = arg;
	size_t i;

	if (c->div > 1) {
		/* to nearest, halves up, without overflowing near UINT64_MAX */
		weight = weight / c->div + (weight % c->div >= c->div - c->div / 2);
		if (!weight)
			return 0;
	}
	for (i = 0; i < depth; i++) {
		if (i)
			putc(';', c->out);
		fwrite(tk_strtab_get(c->names, frames[i]), 1,
		       tk_strtab_get_len(c->names, frames[i]), c->out);
	}
	fprintf(c->out, " %" PRIu64 "\n", weight);
	/* stop early on a closed pipe or a full disk */
	return ferror(c->out) ? -TK_EIO : 0;
}

int tk_folded_write(FILE *out, const struct tk_stacks *stacks, const struct tk_strtab *names,
		    struct tk_err *err)
{
	return tk_folded_write_div(out, stacks, names, 1, err);
}

int tk_folded_write_div(FILE *out, const struct tk_stacks *stacks, const struct tk_strtab *names,
			uint64_t div, struct tk_err *err)
{
	struct write_ctx c = { out, names, div };
	int ret = tk_stacks_walk_sorted(stacks, names, write_one, &c);

	if (ret == -TK_ENOMEM)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	if (ret < 0 || fflush(out) == EOF || ferror(out))
		return tk_err_sys(err, errno ? errno : EIO, -1, "cannot write");
	return 0;
}

struct tk_folded_reader {
	int fd;
	bool own_fd;
	struct tk_lineread *lr;
	struct tk_folded_counts counts;
	struct tk_err err;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * The trailing /\s(\d+(?:\.\d*)?)$/ of line[0..len): the count's start, or
 * len when there is none. Perl's $ also matches before a final '\n'.
 */
static size_t count_start(const char *l, size_t len, double *value)
{
	size_t end = len, i, dot;
	char tmp[64];

	if (end && l[end - 1] == '\n')
		end--;
	i = end;
	while (i && is_digit(l[i - 1]))
		i--;
	if (i && l[i - 1] == '.') {
		dot = i - 1;
		i = dot;
		while (i && is_digit(l[i - 1]))
			i--;
		if (i == dot)
			return len;	/* ".5" has no integer part */
	} else if (i == end) {
		return len;
	}
	if (!i || !is_ws(l[i - 1]))
		return len;
	if (end - i < sizeof(tmp)) {
		memcpy(tmp, l + i, end - i);
		tmp[end - i] = '\0';
		*value = strtod(tmp, NULL);
	} else {
		*value = HUGE_VAL;	/* 64 digits and more: as large as it gets */
	}
	return i;
}

bool tk_folded_parse_line(const char *line, size_t len, struct tk_folded_line *out)
{
	double v, v2;
	size_t i = count_start(line, len, &v), j;

	if (i == len)
		return false;
	out->differential = false;
	out->count = v;
	out->count2 = 0;
	out->stack = line;
	out->stack_len = i - 1;
	j = count_start(line, i - 1, &v2);
	if (j != i - 1) {
		out->differential = true;
		out->count = v2;
		out->count2 = v;
		out->stack_len = j - 1;
	}
	return true;
}

int tk_folded_open_fd(int fd, const char *name, const struct tk_folded_opts *opts,
		      struct tk_folded_reader **out, struct tk_err *err)
{
	struct tk_folded_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (r)
		r->lr = tk_lineread_create(fd, opts ? opts->max_line : 0);
	if (!r || !r->lr) {
		tk_folded_close(r);
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	}
	r->fd = fd;
	tk_err_clear(&r->err);
	tk_err_set_file(&r->err, name);
	*out = r;
	return 0;
}

int tk_folded_open(const char *path, const struct tk_folded_opts *opts,
		   struct tk_folded_reader **out, struct tk_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	*out = NULL;
	if (fd < 0)
		return tk_err_sys(err, errno, -1, "cannot open");
	ret = tk_folded_open_fd(fd, path, opts, out, err);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	(*out)->own_fd = true;
	return 0;
}

void tk_folded_close(struct tk_folded_reader *r)
{
	if (!r)
		return;
	if (r->own_fd)
		close(r->fd);
	tk_lineread_destroy(r->lr);
	free(r);
}

int tk_folded_next(struct tk_folded_reader *r, struct tk_folded_line *out)
{
	const char *l;
	size_t len;
	int64_t off;
	int ret;

	if (r->err.code)
		return -r->err.code;
	for (;;) {
		ret = tk_lineread_next(r->lr, &l, &len, &off, &r->err);
		if (ret <= 0)
			return ret;
		r->counts.lines++;
		if (tk_folded_parse_line(l, len, out)) {
			out->line = r->counts.lines;
			out->offset = off;
			return 1;
		}
		if (!r->counts.bad_lines++)
			r->counts.first_bad_line = r->counts.lines;
	}
}

const struct tk_folded_counts *tk_folded_get_counts(const struct tk_folded_reader *r)
{
	return &r->counts;
}

const struct tk_err *tk_folded_get_err(const struct tk_folded_reader *r)
{
	return &r->err;
}
