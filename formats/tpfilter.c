/* SPDX-License-Identifier: MIT */
#include "formats/tpfilter.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "formats/evsrc.h"
#include "formats/pdat.h"
#include "formats/tdat.h"

struct tk_tpfilter {
	struct tep_handle *tep;
	struct tep_event_filter *filter;
};

/*
 * libtraceevent's message is three lines (the filter, a caret under the
 * problem, the reason); ours is one: the reason and the column.
 */
static void one_line(char *msg, size_t n)
{
	char *nl1 = strchr(msg, '\n'), *nl2 = nl1 ? strchr(nl1 + 1, '\n') : NULL, *caret;
	char reason[256];
	int col;

	if (!nl2)
		return;
	caret = memchr(nl1 + 1, '^', (size_t)(nl2 - nl1 - 1));
	col = caret ? (int)(caret - nl1) : 0;
	snprintf(reason, sizeof(reason), "%s", nl2 + 1);
	reason[strcspn(reason, "\n")] = 0;
	if (col > 0)
		snprintf(msg, n, "%s (at character %d)", reason, col);
	else
		snprintf(msg, n, "%s", reason);
}

/*
 * libtraceevent reads a name that is no field as "false" and says
 * nothing; the kernel rejects such a filter, and so do we. Names are the
 * identifiers outside quotes; COMM and CPU are libtraceevent's own.
 */
static int check_names(struct tep_handle *tep, const char *expr, const uint32_t *ids, int nids,
		       struct tk_err *err)
{
	const char *p = expr;

	while (*p) {
		if (*p == '"' || *p == '\'') {
			char q = *p++;

			while (*p && *p != q)
				p += (*p == '\\' && p[1]) ? 2 : 1;
			if (*p)
				p++;
		} else if ((*p >= '0' && *p <= '9')) {
			while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
			       (*p >= 'A' && *p <= 'Z') || *p == '_')
				p++;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_') {
			char name[128];
			size_t len = 0;
			int i;

			while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
			       (*p >= '0' && *p <= '9')) {
				if (len + 1 < sizeof(name))
					name[len++] = *p;
				p++;
			}
			name[len] = 0;
			if (!strcmp(name, "COMM") || !strcmp(name, "CPU"))
				continue;
			for (i = 0; i < nids; i++) {
				struct tep_event *e = tep_find_event(tep, (int)ids[i]);

				if (e && !tep_find_any_field(e, name))
					return tk_err_set(err, TK_EINVAL, -1,
							  "bad filter '%s': %s:%s has no field '%s'", expr,
							  e->system, e->name, name);
			}
		} else {
			p++;
		}
	}
	return 0;
}

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
}

/*
 * libtraceevent 1.7 dereferences NULL (or frees twice) on an operator
 * with nothing on its right ("id ==", "a && || b", "x || !"), so those are
 * refused before it sees them.
 */
static int check_operands(const char *expr, struct tk_err *err)
{
	static const char *const ops[] = { "==", "!=", "<=", ">=", "=~", "!~", "&&", "||", "<<",
					   ">>", "<", ">", "&", "|", "+", "-", "*", "/", "%",
					   "^", "~", "!", NULL };
	const char *p = expr, *last = NULL;
	bool want = true;	/* an operand must come next */

	while (*p) {
		int i;

		if (*p == ' ' || *p == '\t' || *p == '\n') {
			p++;
			continue;
		}
		if (*p == '"' || *p == '\'') {
			char q = *p++;

			while (*p && *p != q)
				p += (*p == '\\' && p[1]) ? 2 : 1;
			if (*p)
				p++;
			want = false;
			continue;
		}
		if (is_ident(*p)) {
			while (is_ident(*p))
				p++;
			want = false;
			continue;
		}
		if (*p == '(') {
			p++;
			want = true;
			continue;
		}
		if (*p == ')') {
			if (want && last)
				break;
			p++;
			continue;
		}
		for (i = 0; ops[i]; i++)
			if (!strncmp(p, ops[i], strlen(ops[i])))
				break;
		if (!ops[i]) {
			p++;
			continue;
		}
		/* a unary ! or a sign may start an operand; a binary operator may not */
		if (want && strcmp(ops[i], "!") && strcmp(ops[i], "-")) {
			if (last)
				break;
		}
		last = p;
		p += strlen(ops[i]);
		want = true;
	}
	if (want && last)
		return tk_err_set(err, TK_EINVAL, -1,
				  "bad filter '%s': an operand is missing after character %d", expr,
				  (int)(last - expr) + 1);
	return 0;
}

int tk_tpfilter_create(struct tk_evsrc *src, const char *expr, const uint32_t *ids, int nids,
		       struct tk_tpfilter **out, struct tk_err *err)
{
	struct tk_tpfilter *f;
	char *spec = NULL, msg[256];
	size_t len = strlen(expr) + 16, used;
	enum tep_errno te;
	int i;

	*out = NULL;
	if (check_operands(expr, err) < 0)
		return -TK_EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	f->tep = tk_evsrc_get_tdat(src) ? tk_tdat_get_tep(tk_evsrc_get_tdat(src))
					: tk_pdat_get_tep(tk_evsrc_get_pdat(src));
	if (!f->tep) {
		free(f);
		return tk_err_set(err, TK_EINVAL, -1, "the file has no event formats to filter on");
	}
	f->filter = tep_filter_alloc(f->tep);
	for (i = 0; i < nids; i++) {
		struct tep_event *e = tep_find_event(f->tep, (int)ids[i]);

		if (e)
			len += strlen(e->system) + strlen(e->name) + 2;
	}
	spec = malloc(len);
	if (!f->filter || !spec) {
		free(spec);
		tk_tpfilter_destroy(f);
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	}
	/*
	 * "sys/name,sys/name:expr": the filter is for these events only, as
	 * a kernel trigger's filter is for its one event.
	 */
	used = 0;
	for (i = 0; i < nids; i++) {
		struct tep_event *e = tep_find_event(f->tep, (int)ids[i]);

		if (!e)
			continue;
		used += (size_t)snprintf(spec + used, len - used, "%s%s/%s", used ? "," : "",
					 e->system, e->name);
	}
	snprintf(spec + used, len - used, ":%s", expr);
	te = tep_filter_add_filter_str(f->filter, spec);
	free(spec);
	if (te < 0) {
		if (tep_filter_strerror(f->filter, te, msg, sizeof(msg)) < 0)
			snprintf(msg, sizeof(msg), "cannot parse the filter");
		one_line(msg, sizeof(msg));
		tk_tpfilter_destroy(f);
		return tk_err_set(err, TK_EINVAL, -1, "bad filter '%s': %s", expr, msg);
	}
	if (check_names(f->tep, expr, ids, nids, err) < 0) {
		tk_tpfilter_destroy(f);
		return -TK_EINVAL;
	}
	*out = f;
	return 0;
}

void tk_tpfilter_destroy(struct tk_tpfilter *f)
{
	if (!f)
		return;
	if (f->filter)
		tep_filter_free(f->filter);
	free(f);
}

int tk_tpfilter_match(struct tk_tpfilter *f, const struct tk_event *ev,
		      const struct tk_payload *pl)
{
	struct tep_record rec;

	if (!pl || pl->size < 8)
		return 0;
	memset(&rec, 0, sizeof(rec));
	rec.ts = ev->ts;
	rec.cpu = ev->cpu;
	rec.size = (int)pl->size;
	rec.record_size = (int)pl->size;
	/* libtraceevent takes a non-const record but only reads it */
	rec.data = (void *)(uintptr_t)pl->data;
	return tep_filter_match(f->filter, &rec) == TEP_ERRNO__FILTER_MATCH;
}
