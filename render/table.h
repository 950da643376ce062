/* SPDX-License-Identifier: MIT */
#ifndef TK_RENDER_TABLE_H
#define TK_RENDER_TABLE_H

#include <stdio.h>

/*
 * Aligned text tables: add cells row by row, then print with each column
 * as wide as its widest cell. Columns flagged numeric align right.
 */
struct tk_table;

struct tk_table *tk_table_create(int ncols);
void tk_table_destroy(struct tk_table *t);
/* Column header and alignment; call once per column before rows. */
int tk_table_set_col(struct tk_table *t, int col, const char *title, int right_align);
/* Appends a cell to the current row; a row ends after ncols cells. */
int tk_table_cell(struct tk_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tk_table_print(const struct tk_table *t, FILE *out, const char *indent);

#endif
