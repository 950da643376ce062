/* SPDX-License-Identifier: MIT */
#include "core/lineread.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_SIZE (64u * 1024u)

struct tk_lineread {
	int fd;
	size_t max_line;
	char *rbuf;
	size_t rpos, rlen;
	uint64_t rbuf_off;		/* input offset of rbuf[0] */
	bool eof;
	char *line;			/* for lines that span reads */
	size_t line_cap;
};

struct tk_lineread *tk_lineread_create(int fd, size_t max_line)
{
	struct tk_lineread *lr = calloc(1, sizeof(*lr));

	if (!lr)
		return NULL;
	lr->fd = fd;
	lr->max_line = max_line ? max_line : (size_t)1 << 20;
	lr->rbuf = malloc(READ_SIZE);
	if (!lr->rbuf) {
		free(lr);
		return NULL;
	}
	return lr;
}

void tk_lineread_destroy(struct tk_lineread *lr)
{
	if (!lr)
		return;
	free(lr->rbuf);
	free(lr->line);
	free(lr);
}

static int fill(struct tk_lineread *lr, struct tk_err *err)
{
	ssize_t n;

	lr->rbuf_off += lr->rlen;
	lr->rpos = lr->rlen = 0;
	do
		n = read(lr->fd, lr->rbuf, READ_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return tk_err_sys(err, errno, (int64_t)lr->rbuf_off, "cannot read");
	if (n == 0)
		lr->eof = true;
	lr->rlen = (size_t)n;
	return 0;
}

static int keep(struct tk_lineread *lr, size_t need)
{
	size_t n = lr->line_cap ? lr->line_cap : 256;
	char *b;

	if (need <= lr->line_cap)
		return 0;
	while (n < need)
		n = n > lr->max_line / 2 ? lr->max_line : n * 2;
	b = realloc(lr->line, n);
	if (!b)
		return -TK_ENOMEM;
	lr->line = b;
	lr->line_cap = n;
	return 0;
}

int tk_lineread_next(struct tk_lineread *lr, const char **line, size_t *len, int64_t *offset,
		     struct tk_err *err)
{
	int64_t off = (int64_t)(lr->rbuf_off + lr->rpos);
	size_t have = 0;
	int ret;

	*offset = off;
	for (;;) {
		const char *start = lr->rbuf + lr->rpos;
		size_t avail = lr->rlen - lr->rpos;
		const char *nl = avail ? memchr(start, '\n', avail) : NULL;
		size_t take = nl ? (size_t)(nl - start) : avail;

		if (take > lr->max_line - have)
			return tk_err_set(err, TK_ELIMIT, off, "line longer than %zu bytes",
					  lr->max_line);
		if (nl && !have) {
			/* the usual case: the whole line is in the read buffer */
			*line = start;
			*len = take;
			lr->rpos += take + 1;
			return 1;
		}
		if (take) {
			if (keep(lr, have + take) < 0)
				return tk_err_set(err, TK_ENOMEM, off, "out of memory");
			memcpy(lr->line + have, start, take);
			have += take;
			lr->rpos += take;
		}
		if (nl) {
			lr->rpos++;
			*line = lr->line;
			*len = have;
			return 1;
		}
		if (lr->eof) {
			*line = lr->line;
			*len = have;
			return have ? 1 : 0;
		}
		ret = fill(lr, err);
		if (ret < 0)
			return ret;
	}
}
