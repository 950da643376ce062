/* SPDX-License-Identifier: MIT */
#ifndef TK_RENDER_FLAMESVG_INT_H
#define TK_RENDER_FLAMESVG_INT_H

/* What the SVG and PNG writers share (render/ only). */

#include <stdbool.h>
#include <stddef.h>

#include "render/flamesvg.h"

const struct tk_flamesvg_opts *tk_flamesvg__opts(const struct tk_flamesvg *f);
/* The title drawn: the option, else by kind. */
const char *tk_flamesvg__title(const struct tk_flamesvg *f);
/* Background gradient, top and bottom, as "#rrggbb". */
void tk_flamesvg__background(const struct tk_flamesvg *f, const char **c1, const char **c2);
/*
 * The label that fits the frame's box: *s and the returned byte length,
 * then ".." when *dots. Length 0: no label.
 */
size_t tk_flamesvg__fit_label(const struct tk_flamesvg *f, const struct tk_flamesvg_frame *fr,
			      const struct tk_flamesvg_box *b, const char **s, bool *dots);

#endif
