/* SPDX-License-Identifier: MIT */
#ifndef TK_CORE_STRTAB_H
#define TK_CORE_STRTAB_H

/*
 * String interner: each distinct byte string gets a u32 id (0, 1, 2, ... in
 * order of first appearance) and one NUL-terminated copy in an arena of
 * 64 KiB blocks, so the returned pointers never move. Lookup is open
 * addressing on (hash, id). Memory is proportional to the unique strings,
 * and capped: past max_bytes interning fails with TK_ELIMIT.
 */

#include <stddef.h>
#include <stdint.h>

struct tk_strtab;

/* max_bytes: cap on everything the table allocates; 0 means 1 GiB. NULL on ENOMEM. */
struct tk_strtab *tk_strtab_create(size_t max_bytes);
void tk_strtab_destroy(struct tk_strtab *t);

/*
 * Intern s[0..len) (it may contain no NUL; it need not be terminated).
 * Returns 0 and sets *id, or -TK_ENOMEM / -TK_ELIMIT.
 */
int tk_strtab_intern(struct tk_strtab *t, const char *s, size_t len, uint32_t *id);

/* The id of s[0..len) if interned: 1 and *id set, else 0. */
int tk_strtab_find(const struct tk_strtab *t, const char *s, size_t len, uint32_t *id);

/* Borrowed, NUL-terminated, valid until tk_strtab_destroy. id must be < count. */
const char *tk_strtab_get(const struct tk_strtab *t, uint32_t id);
size_t tk_strtab_get_len(const struct tk_strtab *t, uint32_t id);

uint32_t tk_strtab_count(const struct tk_strtab *t);
/* Bytes allocated so far (blocks, entries, hash slots). */
size_t tk_strtab_bytes(const struct tk_strtab *t);

#endif
