/* SPDX-License-Identifier: MIT */
#include "render/table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define TK_TABLE_MAX_CELLS (1u << 24)

struct tk_table {
	int ncols;
	char **titles;
	int *right;
	char **cells;
	size_t ncells;
	size_t cap;
};

struct tk_table *tk_table_create(int ncols)
{
	struct tk_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->ncols = ncols;
	t->titles = calloc((size_t)ncols, sizeof(*t->titles));
	t->right = calloc((size_t)ncols, sizeof(*t->right));
	if (!t->titles || !t->right) {
		tk_table_destroy(t);
		return NULL;
	}
	return t;
}

void tk_table_destroy(struct tk_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; t->titles && i < (size_t)t->ncols; i++)
		free(t->titles[i]);
	for (i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->titles);
	free(t->right);
	free(t->cells);
	free(t);
}

int tk_table_set_col(struct tk_table *t, int col, const char *title, int right_align)
{
	if (col < 0 || col >= t->ncols)
		return -TK_EINVAL;
	free(t->titles[col]);
	t->titles[col] = strdup(title);
	t->right[col] = right_align;
	return t->titles[col] ? 0 : -TK_ENOMEM;
}

int tk_table_cell(struct tk_table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (t->ncells == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **c;

		if (cap > TK_TABLE_MAX_CELLS)
			return -TK_ELIMIT;
		c = realloc(t->cells, cap * sizeof(*c));
		if (!c)
			return -TK_ENOMEM;
		t->cells = c;
		t->cap = cap;
	}
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -TK_ENOMEM;
	t->cells[t->ncells++] = s;
	return 0;
}

int tk_table_print(const struct tk_table *t, FILE *out, const char *indent)
{
	size_t *w = calloc((size_t)t->ncols, sizeof(*w));
	size_t i;
	int c;

	if (!w)
		return -TK_ENOMEM;
	for (c = 0; c < t->ncols; c++)
		w[c] = t->titles[c] ? strlen(t->titles[c]) : 0;
	for (i = 0; i < t->ncells; i++) {
		size_t l = strlen(t->cells[i]);

		if (l > w[i % (size_t)t->ncols])
			w[i % (size_t)t->ncols] = l;
	}
	fputs(indent, out);
	for (c = 0; c < t->ncols; c++) {
		const char *title = t->titles[c] ? t->titles[c] : "";

		/* no trailing blanks: the last column is never padded on the right */
		if (c + 1 == t->ncols)
			fprintf(out, "%*s\n", t->right[c] ? (int)w[c] : 0, title);
		else if (t->right[c])
			fprintf(out, "%*s  ", (int)w[c], title);
		else
			fprintf(out, "%-*s  ", (int)w[c], title);
	}
	for (i = 0; i < t->ncells; i++) {
		c = (int)(i % (size_t)t->ncols);
		if (c == 0)
			fputs(indent, out);
		if (c + 1 == t->ncols || i + 1 == t->ncells)
			fprintf(out, "%*s\n", t->right[c] ? (int)w[c] : 0, t->cells[i]);
		else if (t->right[c])
			fprintf(out, "%*s  ", (int)w[c], t->cells[i]);
		else
			fprintf(out, "%-*s  ", (int)w[c], t->cells[i]);
	}
	free(w);
	return 0;
}
