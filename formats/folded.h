/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_FOLDED_H
#define TK_FORMATS_FOLDED_H

/*
 * Folded stacks: one "frame;frame;...;frame COUNT" line per stack, the
 * input of flamegraph.pl.
 *
 * Writer: every stack of a tk_stacks trie with a self weight, in byte order
 * of the text (what `sort` gives and FlameGraph's collapse scripts print).
 *
 * Reader: flamegraph.pl's grammar, /^(.*)\s+?(\d+(?:\.\d*)?)$/: COUNT is
 * the last token (digits, optionally '.' and more digits), the stack is
 * everything before the one white space byte in front of it. When the stack
 * itself ends in such a number, the line is differential: that number is
 * the first count and the last one the second. Other lines are counted and
 * skipped, as flamegraph.pl ignores them.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

struct tk_stacks;
struct tk_strtab;
struct tk_folded_reader;

/* Write the trie's stacks (frame ids are ids in names); 0 or -TK_EIO / -TK_ENOMEM. */
int tk_folded_write(FILE *out, const struct tk_stacks *stacks, const struct tk_strtab *names,
		    struct tk_err *err);

/*
 * The same with each stack's weight divided by div and rounded to nearest
 * (halves up): off-CPU nanoseconds as microseconds. Stacks that round to 0
 * are left out.
 */
int tk_folded_write_div(FILE *out, const struct tk_stacks *stacks, const struct tk_strtab *names,
			uint64_t div, struct tk_err *err);

/* Borrowed; valid until the next tk_folded_next(). */
struct tk_folded_line {
	const char *stack;		/* not NUL-terminated */
	size_t stack_len;
	double count;			/* the count, or the first of two */
	double count2;			/* the second count of a differential line */
	bool differential;
	uint64_t line;			/* 1-based */
	int64_t offset;
};

struct tk_folded_counts {
	uint64_t lines;
	uint64_t bad_lines;		/* ignored: no count at the end */
	uint64_t first_bad_line;
};

struct tk_folded_opts {
	size_t max_line;		/* 0: 1 MiB */
};

int tk_folded_open(const char *path, const struct tk_folded_opts *opts,
		   struct tk_folded_reader **out, struct tk_err *err);
/* Reads fd from its position; the reader does not close it. */
int tk_folded_open_fd(int fd, const char *name, const struct tk_folded_opts *opts,
		      struct tk_folded_reader **out, struct tk_err *err);
void tk_folded_close(struct tk_folded_reader *r);

/* 1: *out filled; 0: end; < 0: error (tk_folded_get_err). */
int tk_folded_next(struct tk_folded_reader *r, struct tk_folded_line *out);

const struct tk_folded_counts *tk_folded_get_counts(const struct tk_folded_reader *r);
const struct tk_err *tk_folded_get_err(const struct tk_folded_reader *r);

/* Split one line (no '\n') by the grammar above; false when it has no count. */
bool tk_folded_parse_line(const char *line, size_t len, struct tk_folded_line *out);

#endif
