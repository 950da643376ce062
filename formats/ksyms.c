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
	s->start = start;
	/* perf's symbol__new: end is exclusive; a size that wraps is clamped. */
	s->end = start + size < start ? UINT64_MAX : start + size;
	s->name = off;
	s->seq = (uint32_t)st->nr;
	s->mod = mod;
	s->binding = binding;
	s->type = type;
	st->nr++;
	st->sorted = false;
	return 0;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct tk_sym *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* perf inserts equal starts to the right: earlier ones come first. */
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void tk_symtab_sort(struct tk_symtab *st)
{
	if (st->nr > 1)
		qsort(st->syms, st->nr, sizeof(*st->syms), cmp_sym);
	st->sorted = true;
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
	size_t i;

	if (!st->nr)
		return;
	for (i = 1; i < st->nr; i++) {
		struct tk_sym *prev = &st->syms[i - 1], *curr = &st->syms[i];

		if (prev->end != prev->start)
			continue;
		/* Do not let the last kernel symbol swallow the gap up to the
		 * modules (or back); perf gives it one page instead. */
		if (kallsyms && is_module_side(st, prev) != is_module_side(st, curr))
			prev->end = page_roundup(prev->end + 4096 < prev->end ? UINT64_MAX :
						 prev->end + 4096);
		else
			prev->end = curr->start;
	}
	if (st->syms[st->nr - 1].end == st->syms[st->nr - 1].start) {
		struct tk_sym *last = &st->syms[st->nr - 1];
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

void tk_symtab_fixup_duplicate(struct tk_symtab *st)
{
	size_t i, out = 0;

	if (!st->nr)
		return;
	/* One pass: `out` is the survivor of the current run of equal starts. */
	for (i = 1; i < st->nr; i++) {
		struct tk_sym *keep = &st->syms[out], *next = &st->syms[i];

		if (keep->start != next->start) {
			st->syms[++out] = *next;
			continue;
		}
		if (!better(st, keep, next))
			*keep = *next;
	}
	st->nr = out + 1;
}

const struct tk_sym *tk_symtab_find(const struct tk_symtab *st, uint64_t addr)
{
	size_t lo = 0, hi = st->nr;
	const struct tk_sym *s;

	if (!st->nr || !st->sorted)
		return NULL;
	/* Last symbol starting at or before addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->syms[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	s = &st->syms[lo - 1];
	/* perf's symbols__find: [start, end), and a zero-length symbol matches
	 * its own start. */
	if (addr < s->end || addr == s->start)
		return s;
	return NULL;
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
	const struct tk_sym *best = NULL;
	size_t i;

	for (i = 0; i < st->nr; i++) {
		const struct tk_sym *s = &st->syms[i];

		if (s->mod || s->type != TK_STT_FUNC || strcmp(tk_symtab_name(st, s), name))
			continue;
		if (!best || s->seq < best->seq)
			best = s;
	}
	if (best)
		*addr = best->start;
	return best != NULL;
}

void tk_ksyms_finish(struct tk_symtab *st, uint64_t delta)
{
	size_t i;

	tk_symtab_sort(st);
	tk_symtab_fixup_end(st, true);
	tk_symtab_fixup_duplicate(st);
	if (!delta)
		return;
	/* perf's maps__split_kallsyms moves kernel-proper symbols only. */
	for (i = 0; i < st->nr; i++) {
		if (!st->syms[i].mod) {
			st->syms[i].start -= delta;
			st->syms[i].end -= delta;
		}
	}
	/* A uniform shift keeps kernel symbols in order, but modules do not
	 * move: sort again. */
	tk_symtab_sort(st);
}
