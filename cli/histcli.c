/* SPDX-License-Identifier: MIT */
#include "cli/histcli.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "cli/cli.h"
#include "formats/evsrc.h"
#include "formats/pdat.h"
#include "formats/tdat.h"
#include "formats/tpfilter.h"

int histcli_open(const char *path, struct tk_evsrc **out)
{
	enum cli_input_kind kind;
	struct tk_err err;

	*out = NULL;
	if (strcmp(path, "-") && cli_detect(path, &kind) < 0)
		return TK_EXIT_FAIL;
	tk_err_clear(&err);
	tk_err_set_file(&err, path);
	cli_guard_input(path);
	if (tk_evsrc_open(path, NULL, out, &err) < 0)
		return cli_fail_err(&err);
	return TK_EXIT_OK;
}

static struct tep_handle *tep_of(struct tk_evsrc *src)
{
	if (tk_evsrc_get_tdat(src))
		return tk_tdat_get_tep(tk_evsrc_get_tdat(src));
	return tk_pdat_get_tep(tk_evsrc_get_pdat(src));
}

const char *histcli_arch(struct tk_evsrc *src, char *buf, size_t n)
{
	const char *a = NULL;

	buf[0] = 0;
	if (tk_evsrc_get_tdat(src)) {
		/* trace-cmd's UNAME option: "sysname nodename release machine" */
		const char *u = tk_tdat_get_info(tk_evsrc_get_tdat(src))->uname;

		if (u && (a = strrchr(u, ' ')))
			a++;
	} else {
		a = tk_pdat_get_info(tk_evsrc_get_pdat(src))->arch;
	}
	if (a)
		snprintf(buf, n, "%s", a);
	return buf;
}

int histcli_find_event(struct tk_evsrc *src, const char *name, uint32_t *id)
{
	const struct tk_schema *s = tk_evsrc_get_schema(src);

	return s->ops->find_event(s->arg, name, id);
}

const char *histcli_event_name(struct tk_evsrc *src, uint32_t id)
{
	const struct tk_schema *s = tk_evsrc_get_schema(src);
	const char *n = s->ops->event_name(s->arg, id);

	return n ? n : "?";
}

int histcli_events_with(struct tk_evsrc *src, const char *const *names, uint32_t *ids, int max)
{
	struct tep_handle *tep = tep_of(src);
	struct tep_event **evs = tep ? tep_list_events(tep, TEP_EVENT_SORT_ID) : NULL;
	int n = 0, i, j;

	for (i = 0; evs && evs[i]; i++) {
		if (!strcmp(evs[i]->system, "ftrace"))
			continue;
		for (j = 0; names[j]; j++)
			if (!tep_find_any_field(evs[i], names[j]))
				break;
		if (names[j])
			continue;
		if (n < max)
			ids[n] = (uint32_t)evs[i]->id;
		n++;
	}
	return n;
}

int histcli_events_prefixed(struct tk_evsrc *src, const char *sys, const char *prefix,
			    uint32_t *ids, const char **rest, int max)
{
	struct tep_handle *tep = tep_of(src);
	struct tep_event **evs = tep ? tep_list_events(tep, TEP_EVENT_SORT_ID) : NULL;
	size_t pl = strlen(prefix);
	int n = 0, i;

	for (i = 0; evs && evs[i]; i++) {
		if (strcmp(evs[i]->system, sys) || strncmp(evs[i]->name, prefix, pl))
			continue;
		if (n < max) {
			ids[n] = (uint32_t)evs[i]->id;
			rest[n] = evs[i]->name + pl;
		}
		n++;
	}
	return n < max ? n : max;
}

int histcli_filter(const char *cmd, struct tk_evsrc *src, const char *expr, const uint32_t *ids,
		   int nids, struct tk_tpfilter **out)
{
	struct tk_err err;

	*out = NULL;
	if (!expr)
		return TK_EXIT_OK;
	tk_err_clear(&err);
	if (tk_tpfilter_create(src, expr, ids, nids, out, &err) < 0) {
		if (err.code == TK_EINVAL)
			return cli_usage_error(cmd, "%s", err.msg);
		return cli_fail("%s", err.msg);
	}
	return TK_EXIT_OK;
}

void histcli_warn_lost(const char *path, uint64_t lost, const char *consequence)
{
	if (lost)
		/* perf may report one loss in both LOST and LOST_SAMPLES: the sum is an upper bound */
		fprintf(stderr, "tracekit: %s: warning: events were lost while recording (lost-event "
				"records count %" PRIu64 "); %s\n", path, lost, consequence);
}
