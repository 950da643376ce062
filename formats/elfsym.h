/* SPDX-License-Identifier: MIT */
#ifndef TK_FORMATS_ELFSYM_H
#define TK_FORMATS_ELFSYM_H

/*
 * The symbol source of one ELF file (perf's struct symsrc), read with
 * elfutils' libelf: its build id, whether it has a .symtab / .dynsym, and
 * its function symbols converted to perf's "DSO addresses" (file offsets:
 * what map-relative ip - map start + pgoff gives), into a struct tk_symtab.
 *
 * A corrupt or hostile file never crashes us: every libelf result is
 * checked, every index and string offset is bounds-checked, and a file
 * that does not make sense yields an error and no symbols.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "formats/ksyms.h"

#define TK_BUILD_ID_MAX 20

struct tk_elfsym;

/* Open a file / a memory image (kept borrowed until close, e.g. the vdso). */
int tk_elfsym_open(const char *path, struct tk_elfsym **out, struct tk_err *err);
int tk_elfsym_open_mem(const void *image, size_t len, struct tk_elfsym **out,
		       struct tk_err *err);
void tk_elfsym_close(struct tk_elfsym *e);

/* The GNU build id (from .note.gnu.build-id, else .notes, else .note, as
 * perf's elf_read_build_id looks), its size, 0 when there is none. */
size_t tk_elfsym_build_id(const struct tk_elfsym *e, uint8_t id[TK_BUILD_ID_MAX]);
/* Convenience: open, read the build id, close. 0 when none or unreadable. */
size_t tk_elfsym_file_build_id(const char *path, uint8_t id[TK_BUILD_ID_MAX]);

/* The file name in .gnu_debuglink (perf's filename__read_debuglink), into
 * buf; false when there is none. */
bool tk_elfsym_debuglink(struct tk_elfsym *e, char *buf, size_t size);

bool tk_elfsym_has_symtab(const struct tk_elfsym *e);	/* a SHT_SYMTAB .symtab */
bool tk_elfsym_has_dynsym(const struct tk_elfsym *e);	/* a SHT_DYNSYM .dynsym */

/*
 * perf's dso__load_sym for a user-space DSO plus dso__synthesize_plt_symbols
 * (symbol-elf.c): symbols come from `syms` (its .symtab, else .dynsym);
 * section headers of NOBITS sections and the program headers come from
 * `runtime` (the file that is mapped; may equal syms). Kept: STT_FUNC,
 * STT_GNU_IFUNC and STT_OBJECT with a name and a section, and STT_NOTYPE
 * labels in sections whose name contains "text" or "data"; never SHN_ABS
 * symbols or symbols of non-SHF_ALLOC sections. Values are moved to file
 * offsets by the PT_LOAD segment holding them (p_vaddr - p_offset), else
 * their section (sh_addr - sh_offset). Then ends and duplicates are fixed
 * (tk_symtab_fixup_end / _duplicate) and "NAME@plt" symbols are added for
 * the .plt entries of .rela.plt / .rel.plt, in perf's order (the tree's
 * shape decides overlaps, e.g. a zero-size _init stretched over .plt).
 * Returns the
 * number of symbols or < 0 (then `st` may hold a partial table: discard it).
 */
int tk_elfsym_load(struct tk_elfsym *syms, struct tk_elfsym *runtime, struct tk_symtab *st,
		   struct tk_err *err);

#endif
