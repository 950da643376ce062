/* SPDX-License-Identifier: MIT */
#ifndef TK_CORE_SYSNAME_H
#define TK_CORE_SYSNAME_H

/*
 * Syscall names by number for the recording's architecture. The table is
 * generated at build time from the kernel headers the build machine has
 * (Debian's linux-libc-dev, asm/unistd_64.h), so it is x86_64 only and
 * as new as those headers: numbers past them have no name.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/*
 * Architecture from a uname machine string ("x86_64", also "amd64"); other
 * architectures, or NULL, have no table.
 */
bool tk_sysname_known_arch(const char *arch);
/* Name of syscall nr on arch, or NULL when unknown. */
const char *tk_sysname_get(const char *arch, uint64_t nr);
/*
 * The name the kernel's syscall metadata gives (SYSCALL_DEFINE's name, as
 * a hist trigger's .syscall prints it after "sys_"): the header's name
 * except for the few x86_64 entries defined under another name.
 */
const char *tk_sysname_get_kernel(const char *arch, uint64_t nr);
/* Number of a name on arch: 1 and *nr set, or 0. */
int tk_sysname_find(const char *arch, const char *name, uint64_t *nr);

/* The generated table (module-private). */
extern const char *const tk_sysname__x86_64[];
extern const unsigned tk_sysname__x86_64_n;

#endif
