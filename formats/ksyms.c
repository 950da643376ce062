/* SPDX-License-Identifier: MIT */
/*
 * Sorted symbol tables with perf's fixups, and the kallsyms parser. The
 * rules are perf 6.1's (tools/perf/util/symbol.c, tools/lib/symbol/
 * kallsyms.c); each function says which one it follows.
 */
#include "formats/ksyms.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void tk_symtab_init(struct tk_symtab *st)
{
	memset(st, 0, sizeof(*st));
}

void tk_symtab_fini(struct tk_symtab *st)
{
	if (!st)
		return;
	free(st->syms);
	free(st->strs);
	free(st->mods);
	memset(st, 0, sizeof(*st));
}

/* Grow *buf to hold `need` elements of `size`, doubling, never past `max`. */
static int grow(void **buf, size_t *cap, size_t need, size_t size, size_t max)
{
	size_t ncap;
	void *n;

	if (need <= *cap)
		return 0;
	if (need > max)
		return -TK_ELIMIT;
	ncap = *cap ? *cap : 64;
	while (ncap < need)
		ncap *= 2;
	if (ncap > max)
		ncap = max;
	n = realloc(*buf, ncap * size);
	if (!n)
		return -TK_ENOMEM;
	*buf = n;
	*cap = ncap;
	return 0;
}

static int add_str(struct tk_symtab *st, const char *s, size_t len, uint32_t *off,
		   struct tk_err *err)
{
	int ret = grow((void **)&st->strs, &st->strs_cap, st->strs_len + len + 1, 1,
		       TK_SYMTAB_MAX_STRS);

	if (ret == -TK_ELIMIT)
		return tk_err_set(err, TK_ELIMIT, -1, "symbol names exceed %u bytes",
				  TK_SYMTAB_MAX_STRS);
	if (ret)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory for symbol names");
	memcpy(st->strs + st->strs_len, s, len);
	st->strs[st->strs_len + len] = '\0';
	*off = (uint32_t)st->strs_len;
	st->strs_len += len + 1;
	return 0;
}

/*
 * A red-black tree over node indices (0 = none): the textbook insert and
 * delete with their fix-up cases (Cormen et al., chapter 13), written once
 * for both directions. perf keeps symbols in a red-black tree too, and
 * when symbols overlap, which one a lookup finds depends on the tree's
 * shape; these are the same balancing steps, so the shapes agree.
 */
#define NODE(st, x) (&(st)->syms[(x) - 1])

/* The link to x's child on side dir (0 left, 1 right). */
static uint32_t *kid(struct tk_symtab *st, uint32_t x, int dir)
{
	return dir ? &NODE(st, x)->right : &NODE(st, x)->left;
}

static bool is_black(const struct tk_symtab *st, uint32_t x)
{
	return !x || st->syms[x - 1].black;
}

/* Put y where x hangs (under x's parent, or at the root). */
static void replace_child(struct tk_symtab *st, uint32_t *root, uint32_t x, uint32_t y)
{
	uint32_t p = NODE(st, x)->parent;

	if (!p)
		*root = y;
	else
		*kid(st, p, NODE(st, p)->right == x) = y;
	if (y)
		NODE(st, y)->parent = p;
}

/* Rotate x down towards side dir; its child on the other side comes up. */
static void rotate(struct tk_symtab *st, uint32_t *root, uint32_t x, int dir)
{
	uint32_t y = *kid(st, x, !dir), inner = *kid(st, y, dir);

	*kid(st, x, !dir) = inner;
	if (inner)
		NODE(st, inner)->parent = x;
	replace_child(st, root, x, y);
	*kid(st, y, dir) = x;
	NODE(st, x)->parent = y;
}

/* x is linked red as a leaf; restore the red-black properties. */
static void rb_insert(struct tk_symtab *st, uint32_t *root, uint32_t x)
{
	uint32_t p, g, uncle;
	int dir;

	while ((p = NODE(st, x)->parent) && !NODE(st, p)->black) {
		g = NODE(st, p)->parent;	/* a red node is never the root */
		dir = NODE(st, g)->right == p;
		uncle = *kid(st, g, !dir);
		if (!is_black(st, uncle)) {
			NODE(st, p)->black = NODE(st, uncle)->black = true;
			NODE(st, g)->black = false;
			x = g;
			continue;
		}
		if (x == *kid(st, p, !dir)) {	/* inner grandchild: make it outer */
			rotate(st, root, p, dir);
			x = p;
			p = NODE(st, x)->parent;
		}
		NODE(st, p)->black = true;
		NODE(st, g)->black = false;
		rotate(st, root, g, !dir);
		break;
	}
	NODE(st, *root)->black = true;
}

/* A black node was taken out above x (maybe none) under parent p. */
static void rb_delete_fixup(struct tk_symtab *st, uint32_t *root, uint32_t x, uint32_t p)
{
	uint32_t w;
	int dir;

	while (x != *root && is_black(st, x)) {
		/* x may be none: then it is on p's empty side */
		dir = x ? NODE(st, p)->right == x : NODE(st, p)->left != 0;
		w = *kid(st, p, !dir);
		if (!is_black(st, w)) {
			NODE(st, w)->black = true;
			NODE(st, p)->black = false;
			rotate(st, root, p, dir);
			w = *kid(st, p, !dir);
		}
		if (is_black(st, *kid(st, w, dir)) && is_black(st, *kid(st, w, !dir))) {
			NODE(st, w)->black = false;
			x = p;
			p = NODE(st, x)->parent;
			continue;
		}
		if (is_black(st, *kid(st, w, !dir))) {
			NODE(st, *kid(st, w, dir))->black = true;
			NODE(st, w)->black = false;
			rotate(st, root, w, !dir);
			w = *kid(st, p, !dir);
		}
		NODE(st, w)->black = NODE(st, p)->black;
		NODE(st, p)->black = true;
		NODE(st, *kid(st, w, !dir))->black = true;
		rotate(st, root, p, dir);
		x = *root;
	}
	if (x)
		NODE(st, x)->black = true;
}

/* Unlink z; with two children its in-order successor takes its place and color. */
static void rb_erase(struct tk_symtab *st, uint32_t *root, uint32_t z)
{
	struct tk_sym *n = NODE(st, z);
	uint32_t y, x, xp;
	bool removed_black = n->black;

	if (!n->left || !n->right) {
		x = n->left ? n->left : n->right;
		xp = n->parent;
		replace_child(st, root, z, x);
	} else {
		for (y = n->right; NODE(st, y)->left; y = NODE(st, y)->left)
			;
		removed_black = NODE(st, y)->black;
		x = NODE(st, y)->right;
		if (NODE(st, y)->parent == z) {
			xp = y;
		} else {
			xp = NODE(st, y)->parent;
			replace_child(st, root, y, x);
			NODE(st, y)->right = n->right;
			NODE(st, n->right)->parent = y;
		}
		replace_child(st, root, z, y);
		NODE(st, y)->left = n->left;
		NODE(st, n->left)->parent = y;
		NODE(st, y)->black = n->black;
	}
	n->left = n->right = n->parent = 0;
	if (removed_black)
		rb_delete_fixup(st, root, x, xp);
}

static uint32_t rb_first_of(const struct tk_symtab *st, uint32_t x)
{
	if (!x)
		return 0;
	while (st->syms[x - 1].left)
		x = st->syms[x - 1].left;
	return x;
}

static uint32_t rb_next_of(const struct tk_symtab *st, uint32_t x)
{
	uint32_t p;

	if (st->syms[x - 1].right) {
		x = st->syms[x - 1].right;
		while (st->syms[x - 1].left)
			x = st->syms[x - 1].left;
		return x;
	}
	while ((p = st->syms[x - 1].parent) && st->syms[p - 1].right == x)
		x = p;
	return p;
}

static uint32_t idx_of(const struct tk_symtab *st, const struct tk_sym *s)
{
	return (uint32_t)(s - st->syms) + 1;
}

/* perf's __symbols__insert: equal starts go to the right. */
static void tree_insert(struct tk_symtab *st, uint32_t *root, uint32_t x)
{
	uint32_t *link = root, parent = 0;
	uint64_t start = NODE(st, x)->start;

	while (*link) {
		parent = *link;
		link = start < NODE(st, parent)->start ? &NODE(st, parent)->left :
							  &NODE(st, parent)->right;
	}
	NODE(st, x)->parent = parent;
	NODE(st, x)->left = NODE(st, x)->right = 0;
	NODE(st, x)->black = false;
	*link = x;
	rb_insert(st, root, x);
}

int tk_symtab_add(struct tk_symtab *st, uint64_t start, uint64_t size, uint8_t binding,
		  uint8_t type, const char *name, size_t name_len, uint16_t mod,
		  struct tk_err *err)
{
	struct tk_sym *s;
	uint32_t off;
	int ret;

	ret = grow((void **)&st->syms, &st->cap, st->nr + 1, sizeof(*st->syms),
		   TK_SYMTAB_MAX_SYMS);
	if (ret == -TK_ELIMIT)
		return tk_err_set(err, TK_ELIMIT, -1, "more than %u symbols", TK_SYMTAB_MAX_SYMS);
	if (ret)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory for symbols");
	ret = add_str(st, name, name_len, &off, err);
	if (ret)
		return ret;
	s = &st->syms[st->nr];
	memset(s, 0, sizeof(*s));
	s->start = start;
	/* perf's symbol__new: end is exclusive; a size that wraps is clamped. */
	s->end = start + size < start ? UINT64_MAX : start + size;
	s->name = off;
	s->mod = mod;
	s->binding = binding;
	s->type = type;
	st->nr++;
	tree_insert(st, &st->root, (uint32_t)st->nr);
	st->live++;
	return 0;
}

static uint64_t page_roundup(uint64_t x)
{
	return x + 4095 < x ? UINT64_MAX & ~4095ull : (x + 4095) & ~4095ull;
}

static bool is_module_side(const struct tk_symtab *st, const struct tk_sym *s)
{
	/* perf tests strchr(name, '[') on "name\t[module]". */
	return s->mod || strchr(tk_symtab_name(st, s), '[');
}

void tk_symtab_fixup_end(struct tk_symtab *st, bool kallsyms)
{
	uint32_t prev = rb_first_of(st, st->root), curr;
	struct tk_sym *last;

	if (!prev)
		return;
	for (curr = rb_next_of(st, prev); curr; prev = curr, curr = rb_next_of(st, curr)) {
		struct tk_sym *p = NODE(st, prev), *c = NODE(st, curr);

		if (p->end != p->start)
			continue;
		/* Do not let the last kernel symbol swallow the gap up to the
		 * modules (or back); perf gives it one page instead. */
		if (kallsyms && is_module_side(st, p) != is_module_side(st, c))
			p->end = page_roundup(p->end + 4096 < p->end ? UINT64_MAX : p->end + 4096);
		else
			p->end = c->start;
	}
	last = NODE(st, prev);
	if (last->end == last->start) {
		uint64_t r = page_roundup(last->start);

		last->end = r + 4096 < r ? UINT64_MAX : r + 4096;
	}
}

static size_t leading_underscores(const char *s)
{
	size_t n = 0;

	while (s[n] == '_')
		n++;
	return n;
}

/* perf's choose_best_symbol: true when a is kept over b. */
static bool better(const struct tk_symtab *st, const struct tk_sym *a, const struct tk_sym *b)
{
	uint64_t la = a->end - a->start, lb = b->end - b->start;
	const char *na = tk_symtab_name(st, a), *nb = tk_symtab_name(st, b);
	size_t ua, ub, sa, sb;

	if (lb == 0 && la > 0)
		return true;
	if (la == 0 && lb > 0)
		return false;
	if ((b->binding == TK_STB_WEAK) != (a->binding == TK_STB_WEAK))
		return b->binding == TK_STB_WEAK;
	if ((a->binding == TK_STB_GLOBAL) != (b->binding == TK_STB_GLOBAL))
		return a->binding == TK_STB_GLOBAL;
	ua = leading_underscores(na);
	ub = leading_underscores(nb);
	if (ua != ub)
		return ub > ua;
	sa = strlen(na);
	sb = strlen(nb);
	if (sa != sb)
		return sa > sb;
	return true;
}

static void erase(struct tk_symtab *st, uint32_t x)
{
	rb_erase(st, &st->root, x);
	NODE(st, x)->gone = true;
	st->live--;
}

void tk_symtab_fixup_duplicate(struct tk_symtab *st)
{
	uint32_t curr = rb_first_of(st, st->root), next;

	/* perf's loop, erasures in the same order (they reshape the tree). */
	while (curr) {
		next = rb_next_of(st, curr);
		if (!next)
			break;
		if (NODE(st, curr)->start != NODE(st, next)->start) {
			curr = next;
			continue;
		}
		if (better(st, NODE(st, curr), NODE(st, next))) {
			erase(st, next);
		} else {
			erase(st, curr);
			curr = next;
		}
	}
}

static const struct tk_sym *find_in(const struct tk_symtab *st, uint32_t x, uint64_t addr)
{
	/* perf's symbols__find, including its `ip == end` rule. */
	while (x) {
		const struct tk_sym *s = &st->syms[x - 1];

		if (addr < s->start)
			x = s->left;
		else if (addr > s->end || (addr == s->end && addr != s->start))
			x = s->right;
		else
			return s;
	}
	return NULL;
}

const struct tk_sym *tk_symtab_find(const struct tk_symtab *st, uint64_t addr)
{
	return find_in(st, st->root, addr);
}

const struct tk_sym *tk_symtab_find_module(const struct tk_symtab *st, uint64_t addr)
{
	return find_in(st, st->mod_root, addr);
}

const struct tk_sym *tk_symtab_first(const struct tk_symtab *st)
{
	uint32_t x = rb_first_of(st, st->root);

	return x ? &st->syms[x - 1] : NULL;
}

const struct tk_sym *tk_symtab_last(const struct tk_symtab *st)
{
	uint32_t x = st->root;

	if (!x)
		return NULL;
	while (st->syms[x - 1].right)
		x = st->syms[x - 1].right;
	return &st->syms[x - 1];
}

const struct tk_sym *tk_symtab_next(const struct tk_symtab *st, const struct tk_sym *s)
{
	uint32_t x = rb_next_of(st, idx_of(st, s));

	return x ? &st->syms[x - 1] : NULL;
}

const char *tk_symtab_module(const struct tk_symtab *st, const struct tk_sym *s)
{
	if (!s->mod || s->mod > st->nr_mods)
		return NULL;
	return st->strs + st->mods[s->mod - 1];
}

/* Index + 1 of module `name`, added if new; 0 on failure (then the
 * symbol is dropped: perf drops module symbols it cannot place, too). */
static uint16_t module_id(struct tk_symtab *st, const char *name, size_t len, struct tk_err *err)
{
	uint32_t off;
	size_t i;

	/* Module symbols come grouped, so the last one is nearly always it. */
	for (i = st->nr_mods; i-- > 0;) {
		const char *m = st->strs + st->mods[i];

		if (strlen(m) == len && !memcmp(m, name, len))
			return (uint16_t)(i + 1);
	}
	if (st->nr_mods >= UINT16_MAX)
		return 0;
	if (grow((void **)&st->mods, &st->cap_mods, st->nr_mods + 1, sizeof(*st->mods),
		 UINT16_MAX))
		return 0;
	if (add_str(st, name, len, &off, err))
		return 0;
	st->mods[st->nr_mods++] = off;
	return (uint16_t)st->nr_mods;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int tk_ksyms_parse(const char *buf, size_t len, struct tk_symtab *st, struct tk_err *err)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol ? eol : end;
		const char *name, *tab, *name_end;
		uint64_t addr = 0;
		uint16_t mod = 0;
		char type;
		int digits = 0, v;
		int ret;

		/* perf's io__get_hex: digits up to the first non-hex character,
		 * which must be a space; overflowing digits just shift out. */
		while (p < line_end && (v = hexval((unsigned char)*p)) >= 0) {
			addr = addr << 4 | (uint64_t)v;
			p++;
			digits++;
		}
		if (!digits || p >= line_end || *p != ' ' || line_end - p < 3 || p[2] != ' ')
			goto next;
		type = p[1];
		name = p + 3;
		name_end = line_end;
		if (name_end - name > TK_KSYMS_NAME_MAX)
			name_end = name + TK_KSYMS_NAME_MAX;
		switch (toupper((unsigned char)type)) {
		case 'T': case 'W': case 'D': case 'B':
			break;
		default:
			goto next;
		}
		/* ARM local symbols ("$a", "$d" ...) never name functions. */
		if (name < name_end && name[0] == '$')
			goto next;
		tab = memchr(name, '\t', (size_t)(name_end - name));
		if (tab) {
			const char *m = tab + 1, *mend = name_end;

			/* "\t[module]": perf keys module maps by the bracketed
			 * name; keep what is inside the brackets. */
			if (m < mend && *m == '[')
				m++;
			if (mend > m && mend[-1] == ']')
				mend--;
			mod = module_id(st, m, (size_t)(mend - m), err);
			if (!mod) {
				if (err && err->code)
					return -err->code;
				goto next;
			}
			name_end = tab;
		}
		ret = tk_symtab_add(st, addr, 0,
				    type == 'W' ? TK_STB_WEAK :
				    isupper((unsigned char)type) ? TK_STB_GLOBAL : TK_STB_LOCAL,
				    (type == 't' || type == 'T' || type == 'w' || type == 'W') ?
				    TK_STT_FUNC : TK_STT_OBJECT,
				    name, (size_t)(name_end - name), mod, err);
		if (ret)
			return ret;
next:
		p = eol ? eol + 1 : end;
	}
	return 0;
}

int tk_ksyms_load(const char *path, struct tk_symtab *st, struct tk_err *err)
{
	struct stat sb;
	size_t len = 0, cap;
	char *buf;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tk_err_sys(err, errno, -1, path);
	/* /proc/kallsyms reports size 0: read until EOF with a growing buffer. */
	cap = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 ?
	      (size_t)sb.st_size + 1 : 1u << 20;
	if (cap > TK_KSYMS_MAX_FILE)
		cap = TK_KSYMS_MAX_FILE;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory reading %s", path);
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb;

			if (cap >= TK_KSYMS_MAX_FILE) {
				ret = tk_err_set(err, TK_ELIMIT, -1, "%s: larger than %u bytes", path,
						 TK_KSYMS_MAX_FILE);
				goto out;
			}
			cap = cap * 2 > TK_KSYMS_MAX_FILE ? TK_KSYMS_MAX_FILE : cap * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				ret = tk_err_set(err, TK_ENOMEM, -1, "out of memory reading %s", path);
				goto out;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = tk_err_sys(err, errno, (int64_t)len, path);
			goto out;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	ret = tk_ksyms_parse(buf, len, st, err);
out:
	free(buf);
	close(fd);
	return ret;
}

bool tk_ksyms_func_start(const struct tk_symtab *st, const char *name, uint64_t *addr)
{
	size_t i;

	/* The array is in file order; duplicates erased later still count,
	 * as perf re-reads the file for this. */
	for (i = 0; i < st->nr; i++) {
		const struct tk_sym *s = &st->syms[i];

		if (!s->mod && s->type == TK_STT_FUNC && !strcmp(tk_symtab_name(st, s), name)) {
			*addr = s->start;
			return true;
		}
	}
	return false;
}

void tk_ksyms_finish(struct tk_symtab *st, uint64_t delta)
{
	uint32_t x, next;

	tk_symtab_fixup_end(st, true);
	tk_symtab_fixup_duplicate(st);
	/* perf's maps__split_kallsyms: module symbols leave the kernel's tree
	 * (for their module DSOs), kernel symbols move by the relocation in
	 * place -- a uniform shift keeps the tree ordered. */
	for (x = rb_first_of(st, st->root); x; x = next) {
		struct tk_sym *s = NODE(st, x);

		next = rb_next_of(st, x);
		if (s->mod) {
			rb_erase(st, &st->root, x);
			st->live--;
			tree_insert(st, &st->mod_root, x);
		} else if (delta) {
			s->start -= delta;
			s->end -= delta;
		}
	}
}
