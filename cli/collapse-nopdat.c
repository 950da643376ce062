/* SPDX-License-Identifier: MIT */
/*
 * Stand-in for cli/collapse-pdat.c in builds without the perf.data reader
 * and symbolizer, so `collapse` of perf script text always builds.
 */
#include "cli/cli.h"
#include "cli/collapse.h"

const bool cli_collapse_has_pdat = false;

int cli_collapse_pdat(const char *path, const char *name, int fd, struct tk_fold *fold,
		      const char *kallsyms, const char *symfs, bool pid_tid,
		      const struct cli_collapse_filter *flt)
{
	(void)flt;
	(void)path;
	(void)fd;
	(void)pid_tid;
	(void)fold;
	(void)kallsyms;
	(void)symfs;
	return cli_fail("%s: perf.data input is not supported by this build; "
			"fold `perf script` text instead", name);
}

int cli_pchain_create(struct tk_fold *fold, const char *name, struct cli_pchain **out)
{
	(void)fold;
	*out = NULL;
	return cli_fail("%s: perf.data input is not supported by this build", name);
}

int cli_pchain_attach(struct cli_pchain *p, struct tk_pdat_reader *r, const char *kallsyms,
		      const char *symfs)
{
	(void)p;
	(void)r;
	(void)kallsyms;
	(void)symfs;
	return TK_EXIT_FAIL;
}

int cli_pchain_hook(void *arg, struct tk_pdat_reader *r, const struct tk_pdat_rec *rec)
{
	(void)arg;
	(void)r;
	(void)rec;
	return 0;
}

int cli_pchain_extend(void *arg, struct tk_fold *fold, uint32_t *node,
		      const struct tk_evfold_stack *st, struct tk_err *err)
{
	(void)arg;
	(void)fold;
	(void)node;
	(void)st;
	return tk_err_set(err, TK_EUNSUPP, -1, "perf.data is not supported by this build");
}

int cli_pchain_fail(struct cli_pchain *p)
{
	(void)p;
	return -1;
}

void cli_pchain_destroy(struct cli_pchain *p)
{
	(void)p;
}
