/* SPDX-License-Identifier: MIT */
#ifndef TK_CORE_LINEREAD_H
#define TK_CORE_LINEREAD_H

/*
 * Lines from a file descriptor (a file, a pipe, stdin) through a 64 KiB
 * read buffer. A line that spans two reads is copied into a line buffer
 * that grows up to max_line; a longer line is an error (TK_ELIMIT), so
 * memory stays bounded on any input.
 */

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct tk_lineread;

/* max_line 0: 1 MiB. The reader does not close fd. NULL on ENOMEM. */
struct tk_lineread *tk_lineread_create(int fd, size_t max_line);
void tk_lineread_destroy(struct tk_lineread *lr);

/*
 * The next line without its '\n' (a last line without one counts too):
 * 1 and *line (borrowed until the next call), *len and *offset (of its
 * first byte); 0 at the end; < 0 with err filled (TK_EIO, TK_ELIMIT,
 * TK_ENOMEM; the offset is the line's).
 */
int tk_lineread_next(struct tk_lineread *lr, const char **line, size_t *len, int64_t *offset,
		     struct tk_err *err);

#endif
