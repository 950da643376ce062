/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/pdat-common.h"
#include "formats/machine.h"
#include "formats/pdat.h"

int cli_open_pdat(const char *path, const struct tk_pdat_opts *opts,
		  struct tk_pdat_reader **out)
{
	struct tk_err err;
	int ret;

	tk_err_clear(&err);
	tk_err_set_file(&err, strcmp(path, "-") ? path : "(stdin)");
	if (!strcmp(path, "-"))
		ret = tk_pdat_open_fd(STDIN_FILENO, "(stdin)", opts, out, &err);
	else
		ret = tk_pdat_open(path, opts, out, &err);
	return ret < 0 ? cli_fail_err(&err) : TK_EXIT_OK;
}

int cli_pdat_machine(struct tk_pdat_reader *r, const char *kallsyms, const char *symfs,
		     struct tk_machine **out)
{
	struct tk_machine_opts mo = { 0 };
	char debugdir[4096], cache[4096];
	const char *home = getenv("HOME");
	struct tk_err err;

	mo.kallsyms = kallsyms;
	mo.symfs = symfs;
	/* perf also looks for split debug files by build id, under symfs too */
	if ((size_t)snprintf(debugdir, sizeof(debugdir), "%s/usr/lib/debug", symfs ? symfs : "") <
	    sizeof(debugdir))
		mo.debugdir = debugdir;
	/* perf's build-id cache, which perf record fills unless -N */
	if (home && *home && (size_t)snprintf(cache, sizeof(cache), "%s/.debug", home) < sizeof(cache))
		mo.buildid_dir = cache;
	mo.osrelease = tk_pdat_get_info(r)->osrelease;
	tk_err_clear(&err);
	if (kallsyms)
		tk_err_set_file(&err, kallsyms);
	return tk_machine_create(&mo, out, &err) < 0 ? cli_fail_err(&err) : TK_EXIT_OK;
}

int cli_pdat_feed(struct tk_machine *m, struct tk_pdat_reader *r,
		  const struct tk_pdat_rec *rec, int *nbuild)
{
	const struct tk_pdat_buildid *b;
	int mode = rec->misc & TK_PDAT_MISC_CPUMODE_MASK, n;

	/* pipe mode: build ids arrive as records, before the samples they name */
	b = tk_pdat_get_buildids(r, &n);
	for (; *nbuild < n; (*nbuild)++)
		tk_machine_buildid(m, b[*nbuild].pid, b[*nbuild].filename, b[*nbuild].id,
				   b[*nbuild].size);
	switch (rec->type) {
	case TK_PDAT_MMAP:
	case TK_PDAT_MMAP2:
		return tk_machine_mmap(m, mode, rec->u.mmap.pid, rec->u.mmap.tid, rec->u.mmap.start,
				       rec->u.mmap.len, rec->u.mmap.pgoff, rec->u.mmap.filename,
				       rec->u.mmap.build_id_size ? rec->u.mmap.build_id : NULL,
				       rec->u.mmap.build_id_size);
	case TK_PDAT_COMM:
		return tk_machine_comm(m, rec->u.comm.pid, rec->u.comm.tid, rec->u.comm.comm,
				       rec->u.comm.exec, rec->time);
	case TK_PDAT_FORK:
		return tk_machine_fork(m, rec->u.fork.pid, rec->u.fork.ppid, rec->u.fork.tid,
				       rec->u.fork.ptid, rec->u.fork.time);
	case TK_PDAT_EXIT:
		return tk_machine_exit(m, rec->u.fork.pid, rec->u.fork.tid, rec->u.fork.time);
	case TK_PDAT_KSYMBOL:
		return tk_machine_ksymbol(m, rec->u.ksymbol.addr, rec->u.ksymbol.len,
					  rec->u.ksymbol.name, rec->u.ksymbol.flags & 1);
	default:
		return 0;
	}
}

int cli_fail_pdat(struct tk_pdat_reader *r, struct tk_machine *m)
{
	const struct tk_err *e = tk_pdat_get_err(r);

	if (!e->code && m)
		e = tk_machine_get_err(m);
	return cli_fail_err(e);
}
