/* SPDX-License-Identifier: MIT */
/*
 * Stand-in for cli/collapse-pdat.c in builds without the perf.data reader
 * and symbolizer, so `collapse` of perf script text always builds.
 */
#include "cli/cli.h"
#include "cli/collapse.h"

const bool cli_collapse_has_pdat = false;

int cli_collapse_pdat(const char *path, const char *name, int fd, struct tk_fold *fold,
		      const char *kallsyms, const char *symfs, bool pid_tid)
{
	(void)path;
	(void)fd;
	(void)pid_tid;
	(void)fold;
	(void)kallsyms;
	(void)symfs;
	return cli_fail("%s: perf.data input is not supported by this build; "
			"fold `perf script` text instead", name);
}
