/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_TEP_GUARD_H
#define TK_FORMATS_TEP_GUARD_H

/* Internal to formats/: checks made before text reaches libtraceevent. */

#include <stdbool.h>
#include <stddef.h>

/* Field offsets and sizes a format may give: what a record copied into a
 * zero-padded area of 2 x 64 KiB + 16 past its start can be read at. */
#define TK_TEPGUARD_MAX_FIELD_REACH 65536

/* True for an event format libtraceevent 1.7 must not see (s NUL-terminated,
 * n = strlen). The caller treats it as a format that does not parse. */
bool tk_tepguard_format_trips(const char *s, size_t n);

/* Keep only the printk-format lines libtraceevent 1.7 parses safely,
 * compacting s (n bytes, NUL-terminated at n) in place. */
void tk_tepguard_printk_filter(char *s, size_t n);

#endif
