/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_MACHINE_H
#define TK_FORMATS_MACHINE_H

/*
 * The recorded machine as perf sees it: threads (tid -> pid, comm), the
 * address-space maps of each process built from MMAP/MMAP2/FORK/COMM
 * records, the kernel's maps, and the DSOs behind them with their symbol
 * tables. It answers "which symbol, in which DSO, is this address of this
 * thread", with perf's rules, so tracekit prints what `perf script` prints.
 *
 * Format-neutral: callers feed it plain values (cli/ adapts perf.data
 * records). Symbol tables are read lazily, once per DSO, from the ELF
 * .symtab (else .dynsym) of the mapped file -- under --symfs, or by build id
 * under a debug directory -- and from a kallsyms source for the kernel. A
 * lookup is a binary search; nothing runs a subprocess.
 *
 * Pointers returned are borrowed and live as long as the machine.
 */

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct tk_machine;

struct tk_machine_opts {
	/* Kernel symbols: this kallsyms file; when NULL, /proc/kallsyms if
	 * the recorded kernel build id is the running kernel's (else the
	 * build-id cache's copy, see buildid_dir), or without a recorded id
	 * if `osrelease` is NULL or equals the running kernel's release --
	 * but never with a symfs (perf: "do not try local files"). */
	const char *kallsyms;
	bool no_live_kallsyms;		/* never read /proc/kallsyms */
	const char *osrelease;		/* of the recording (perf.data OSRELEASE) */
	const char *symfs;		/* prefix for every DSO path (perf --symfs) */
	/* Debug files, tried before the DSO itself in perf's order:
	 * DIR/PATH.debug, DIR/PATH, DIR/.build-id/xx/rest.debug. Used as
	 * given, not under symfs: to do what perf does, pass
	 * SYMFS/usr/lib/debug (or /usr/lib/debug without a symfs). NULL: none. */
	const char *debugdir;
	/* perf's build-id cache (~/.debug, what perf record fills): files as
	 * DIR/.build-id/xx/rest (old style) or DIR/.build-id/xx/rest/{elf,
	 * vdso,debug}, tried first, and the recorded kernel's kallsyms as
	 * DIR/[kernel.kallsyms]/ID/kallsyms when it is not the running
	 * kernel. NULL: none (perf with an empty HOME). */
	const char *buildid_dir;
};

/*
 * Where symbols come from (perf 6.1's dso__load): the first candidate with
 * a .symtab gives the symbols, the first with a .dynsym the mapped image;
 * a candidate whose build id differs from the recorded one (BUILD_ID
 * feature, MMAP2) is refused; without a recorded id the file's own is
 * used. [vdso]: this process's own vdso (perf reads its own too), unless
 * a symfs is set or the BUILD_ID feature named the vdso (then perf looks
 * only in its ~/.debug cache). /tmp/perf-PID.map: read from this
 * machine's /tmp, no symfs, like perf. Kernel: kallsyms only (no vmlinux,
 * no kcore); modules get names ("[ext4]") and their kallsyms symbols.
 */

/* perf's cpumode (perf.data header.misc & 7). */
enum tk_machine_mode {
	TK_MODE_UNKNOWN = 0,
	TK_MODE_KERNEL = 1,
	TK_MODE_USER = 2,
	TK_MODE_HV = 3,
	TK_MODE_GUEST_KERNEL = 4,
	TK_MODE_GUEST_USER = 5,
};

/* One resolved address. */
struct tk_frame {
	uint64_t ip;			/* as recorded */
	uint64_t addr;			/* in the DSO's address space (perf's map_ip;
					 * == ip when there is no map or for the kernel) */
	const char *sym;		/* symbol name, NULL when unresolved */
	uint64_t sym_off;		/* addr - symbol start */
	const char *dso;		/* DSO long name ("/usr/lib/.../libc.so.6",
					 * "[kernel.kallsyms]", "[vdso]"), NULL: no map */
	uint8_t mode;			/* enum tk_machine_mode the address was looked up in */
};

int tk_machine_create(const struct tk_machine_opts *opts, struct tk_machine **out,
		      struct tk_err *err);
void tk_machine_destroy(struct tk_machine *m);

/* --- what the recording says (perf.data record semantics) --- */

/* MMAP / MMAP2. mode TK_MODE_KERNEL for the kernel and module maps
 * ("[kernel.kallsyms]_text", pgoff = address of _text). build_id may be NULL. */
int tk_machine_mmap(struct tk_machine *m, int mode, uint32_t pid, uint32_t tid,
		    uint64_t start, uint64_t len, uint64_t pgoff, const char *filename,
		    const uint8_t *build_id, uint8_t build_id_size);
int tk_machine_comm(struct tk_machine *m, uint32_t pid, uint32_t tid, const char *comm,
		    bool exec, uint64_t time);
int tk_machine_fork(struct tk_machine *m, uint32_t pid, uint32_t ppid, uint32_t tid,
		    uint32_t ptid, uint64_t time);
int tk_machine_exit(struct tk_machine *m, uint32_t pid, uint32_t tid, uint64_t time);
/* KSYMBOL (BPF programs and trampolines; flags & 1: unregister). */
int tk_machine_ksymbol(struct tk_machine *m, uint64_t addr, uint32_t len, const char *name,
		       bool unregister);
/* A build id from the BUILD_ID feature (pid -1: kernel and modules). */
int tk_machine_buildid(struct tk_machine *m, int32_t pid, const char *filename,
		       const uint8_t *id, uint8_t size);

/* --- questions --- */

/* The thread's current comm, as perf names unknown threads (":TID"). */
const char *tk_machine_comm_of(struct tk_machine *m, uint32_t tid);
/* pid of a thread, or -1 when never seen. */
int64_t tk_machine_pid_of(struct tk_machine *m, uint32_t tid);

/* Resolve one address of a thread in the given mode (a sample's ip: when
 * no map holds it, retried in the mode its address belongs to, as perf's
 * thread__find_map_fb; x86_64 split at 2^63). */
int tk_machine_resolve(struct tk_machine *m, uint32_t pid, uint32_t tid, int mode,
		       uint64_t ip, struct tk_frame *out);

/*
 * A sample's callchain (entries as recorded, context markers included, leaf
 * first) resolved the way perf script walks it: markers switch the mode and
 * are not frames; entries before the first marker are looked up in user
 * mode, as perf 6.1 does whatever the sample's cpumode (sample_mode is
 * accepted and unused); an unknown marker (guest contexts) empties the
 * chain, as in perf. Fills up to `max` frames (perf script's --max-stack,
 * 127 by default); returns the count or < 0.
 */
int tk_machine_callchain(struct tk_machine *m, uint32_t pid, uint32_t tid, int sample_mode,
			 const uint64_t *chain, uint64_t nr, struct tk_frame *frames,
			 int max);

const struct tk_err *tk_machine_get_err(const struct tk_machine *m);
/* The first problem met while loading symbols (a corrupt ELF file, a
 * kallsyms without the relocation symbol ...); the calls went on without
 * those symbols, as perf does. code 0 when there was none. */
const struct tk_err *tk_machine_get_warning(const struct tk_machine *m);

#endif
