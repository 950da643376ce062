/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_KSYMS_H
#define TK_FORMATS_KSYMS_H

/*
 * Symbol tables as perf keeps them, and the kallsyms text parser.
 *
 * struct tk_symtab is perf's per-DSO red-black tree of symbols, node for
 * node: perf looks symbols up by walking that tree (symbol.c
 * symbols__find), and where symbols overlap -- a zero-size ELF symbol that
 * symbols__fixup_end stretched over .plt, say -- which one it returns
 * depends on the tree's shape. So symbols are inserted in perf's order and
 * the tree is balanced with the Linux rbtree algorithms (lib/rbtree.c),
 * erasures included, and the walk is perf's. Nodes live in one array
 * (indices, not pointers); memory is one entry per symbol plus the names,
 * both capped.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Bounds on what one table may hold (hostile files must not exhaust us). */
#define TK_SYMTAB_MAX_SYMS	(1u << 24)
#define TK_SYMTAB_MAX_STRS	(256u << 20)
/* perf's KSYM_NAME_LEN: longer kallsyms names are cut here. */
#define TK_KSYMS_NAME_MAX	512
/* Largest kallsyms file we read (a full one is ~5.5 MB today). */
#define TK_KSYMS_MAX_FILE	(256u << 20)

/* ELF st_info values perf compares (we keep kallsyms in the same terms). */
#define TK_STB_LOCAL	0
#define TK_STB_GLOBAL	1
#define TK_STB_WEAK	2
#define TK_STT_OBJECT	1
#define TK_STT_FUNC	2
#define TK_STT_GNU_IFUNC 10

struct tk_sym {
	uint64_t start;
	uint64_t end;		/* exclusive; == start for a zero-length symbol */
	uint32_t name;		/* offset in the table's string pool */
	uint32_t left, right, parent;	/* tree links: node index + 1, 0 = none */
	uint16_t mod;		/* kallsyms: 1 + index of the "[module]", 0 = kernel proper */
	uint8_t binding;	/* TK_STB_* */
	uint8_t type;		/* TK_STT_* */
	bool black;
	bool gone;		/* erased from the tree */
};

struct tk_symtab {
	struct tk_sym *syms;	/* in insertion (file) order */
	size_t nr, cap;
	uint32_t root;		/* the tree perf searches */
	uint32_t mod_root;	/* kallsyms: module symbols, moved out (split) */
	size_t live;		/* symbols in the main tree */
	char *strs;		/* NUL-terminated names, back to back */
	size_t strs_len, strs_cap;
	uint32_t *mods;		/* kallsyms module names (offsets in strs) */
	size_t nr_mods, cap_mods;
};

void tk_symtab_init(struct tk_symtab *st);
void tk_symtab_fini(struct tk_symtab *st);

/* Insert a symbol of `size` bytes (0: to be fixed up), as perf's
 * __symbols__insert: equal starts go right. -TK_ENOMEM/-TK_ELIMIT. */
int tk_symtab_add(struct tk_symtab *st, uint64_t start, uint64_t size, uint8_t binding,
		  uint8_t type, const char *name, size_t name_len, uint16_t mod,
		  struct tk_err *err);
/*
 * perf's symbols__fixup_end: a zero-length symbol ends where the next one
 * starts; with `kallsyms`, a zero-length symbol followed by one on the other
 * side of the kernel/module boundary ends a page later instead; the last
 * zero-length symbol ends on the page after its own.
 */
void tk_symtab_fixup_end(struct tk_symtab *st, bool kallsyms);
/* perf's symbols__fixup_duplicate: of symbols sharing a start keep the best
 * (choose_best_symbol: non-zero length, non-weak, global, fewer leading
 * underscores, longer name, else the first), erasing the others. */
void tk_symtab_fixup_duplicate(struct tk_symtab *st);
/* perf's symbols__find: the tree walk for [start, end) (a zero-length
 * symbol matches its own start). */
const struct tk_sym *tk_symtab_find(const struct tk_symtab *st, uint64_t addr);
/* In-order walk of the main tree (NULL at the end). */
const struct tk_sym *tk_symtab_first(const struct tk_symtab *st);
const struct tk_sym *tk_symtab_last(const struct tk_symtab *st);
const struct tk_sym *tk_symtab_next(const struct tk_symtab *st, const struct tk_sym *s);
/* Module symbols of a finished kallsyms table (they are not overlapping). */
const struct tk_sym *tk_symtab_find_module(const struct tk_symtab *st, uint64_t addr);

static inline const char *tk_symtab_name(const struct tk_symtab *st, const struct tk_sym *s)
{
	return st->strs + s->name;
}

/* Module name of a kallsyms symbol ("ext4", no brackets), NULL for the kernel. */
const char *tk_symtab_module(const struct tk_symtab *st, const struct tk_sym *s);

/*
 * kallsyms text ("ADDR TYPE NAME[\t[MODULE]]" lines) into `st`, with perf's
 * rules (symbol.c map__process_kallsym_symbol, tools/lib/symbol/kallsyms.c):
 * only types T, W, D, B in either case are kept, names starting with '$'
 * are dropped, lines that do not parse are skipped, names are cut at
 * TK_KSYMS_NAME_MAX. Call tk_ksyms_finish after.
 */
int tk_ksyms_parse(const char *buf, size_t len, struct tk_symtab *st, struct tk_err *err);
/* Read a kallsyms file and parse it. -TK_EIO when it cannot be read. */
int tk_ksyms_load(const char *path, struct tk_symtab *st, struct tk_err *err);
/*
 * Address of the first kernel-proper function symbol (T/t/W/w) called
 * `name` in file order: perf's kallsyms__get_function_start, used for the
 * relocation reference ("_text") and the kernel's extent.
 */
bool tk_ksyms_func_start(const struct tk_symtab *st, const char *name, uint64_t *addr);
/*
 * Finish a kallsyms table as perf's __dso__load_kallsyms does: fix ends
 * (kallsyms rule), drop duplicates, then split: module symbols move to
 * their own tree, every kernel-proper symbol moves by -delta (kernel
 * relocated at boot: delta = kallsyms address of the reference symbol -
 * its recorded address).
 */
void tk_ksyms_finish(struct tk_symtab *st, uint64_t delta);

#endif
