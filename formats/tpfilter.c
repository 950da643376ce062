/* SPDX-License-Identifier: MIT */
#include "formats/tpfilter.h"

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

int tk_tpfilter_create(struct tk_evsrc *src, const char *expr, const uint32_t *ids, int nids,
		       struct tk_tpfilter **out, struct tk_err *err)
{
	struct tk_tpfilter *f;
	char *spec = NULL, msg[256];
	size_t len = strlen(expr) + 16, used;
	enum tep_errno te;
	int i;

	*out = NULL;
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
		tk_tpfilter_destroy(f);
		return tk_err_set(err, TK_EINVAL, -1, "bad filter '%s': %s", expr, msg);
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
