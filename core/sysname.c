/* SPDX-License-Identifier: MIT */
#include "core/sysname.h"

#include <string.h>

bool tk_sysname_known_arch(const char *arch)
{
	return arch && (!strcmp(arch, "x86_64") || !strcmp(arch, "amd64"));
}

const char *tk_sysname_get(const char *arch, uint64_t nr)
{
	if (!tk_sysname_known_arch(arch) || nr >= tk_sysname__x86_64_n)
		return NULL;
	return tk_sysname__x86_64[nr];
}

int tk_sysname_find(const char *arch, const char *name, uint64_t *nr)
{
	unsigned i;

	if (!tk_sysname_known_arch(arch))
		return 0;
	for (i = 0; i < tk_sysname__x86_64_n; i++) {
		if (tk_sysname__x86_64[i] && !strcmp(tk_sysname__x86_64[i], name)) {
			*nr = i;
			return 1;
		}
	}
	return 0;
}

const char *tk_sysname_get_kernel(const char *arch, uint64_t nr)
{
	/*
	 * x86_64 table entries whose handler is defined as
	 * SYSCALL_DEFINEn(<other name>) (arch/x86/entry/syscalls/
	 * syscall_64.tbl: stat -> sys_newstat, ...).
	 */
	static const struct {
		const char *nr_name, *meta;
	} renamed[] = {
		{ "stat", "newstat" }, { "fstat", "newfstat" }, { "lstat", "newlstat" },
		{ "uname", "newuname" }, { "umount2", "umount" }, { "sendfile", "sendfile64" },
	};
	const char *n = tk_sysname_get(arch, nr);
	size_t i;

	if (!n)
		return NULL;
	for (i = 0; i < sizeof(renamed) / sizeof(renamed[0]); i++)
		if (!strcmp(n, renamed[i].nr_name))
			return renamed[i].meta;
	return n;
}
