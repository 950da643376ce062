/* SPDX-License-Identifier: MIT */
/*
 * One ELF file's symbols the way perf 6.1 reads them (tools/perf/util/
 * symbol-elf.c: symsrc__init, elf_read_build_id, dso__load_sym,
 * dso__synthesize_plt_symbols). libelf parses; we check every result it
 * hands back before using it, because the file may be anything.
 *
 * Names are demangled as perf's demangle_sym does for user space: with
 * libiberty's cplus_demangle and no options (no parameter lists), which
 * covers C++ and Rust -- Debian's perf links the same libiberty.
 */
#include "formats/elfsym.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <libiberty/demangle.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef STT_GNU_IFUNC
#define STT_GNU_IFUNC 10
#endif
#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif

/* Longest "NAME@plt" we build, like perf's sympltname buffer. */
#define PLT_NAME_MAX 1024

struct tk_elfsym {
	int fd;			/* -1 for a memory image */
	Elf *elf;
	GElf_Ehdr ehdr;
	size_t shstrndx;
	size_t shnum;
	Elf_Scn *symtab, *dynsym;
	size_t symtab_idx, dynsym_idx;
	uint8_t build_id[TK_BUILD_ID_MAX];
	size_t build_id_size;
};

/* Section `name` (the first one, as perf's elf_section_by_name), or NULL. */
static Elf_Scn *section_by_name(struct tk_elfsym *e, const char *name, GElf_Shdr *shdr,
				size_t *idx)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(e->elf, scn)) != NULL) {
		const char *s;

		if (!gelf_getshdr(scn, shdr))
			continue;
		s = elf_strptr(e->elf, e->shstrndx, shdr->sh_name);
		if (s && !strcmp(s, name)) {
			if (idx)
				*idx = elf_ndxscn(scn);
			return scn;
		}
	}
	return NULL;
}

/* Walk the notes of one section for the GNU build id (perf's loop, bounded). */
static size_t note_build_id(Elf_Scn *scn, uint8_t *id)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t off = 0;

	if (!d || !d->d_buf)
		return 0;
	while (off + 12 <= d->d_size) {
		const unsigned char *p = (const unsigned char *)d->d_buf + off;
		uint32_t namesz, descsz, type;
		size_t nsz, dsz;

		/* Notes are in the file's byte order; libelf converted the
		 * data to ours when it translated the section (ELF_T_NHDR). */
		memcpy(&namesz, p, 4);
		memcpy(&descsz, p + 4, 4);
		memcpy(&type, p + 8, 4);
		nsz = ((size_t)namesz + 3) & ~(size_t)3;
		dsz = ((size_t)descsz + 3) & ~(size_t)3;
		off += 12;
		if (nsz > d->d_size - off)
			return 0;
		if (type == NT_GNU_BUILD_ID && namesz == 4 && !memcmp(p + 12, "GNU", 4)) {
			size_t n = descsz < TK_BUILD_ID_MAX ? descsz : TK_BUILD_ID_MAX;

			if (off + nsz + n > d->d_size)
				return 0;
			memcpy(id, p + 12 + nsz, n);
			return n;
		}
		if (dsz > d->d_size - off - nsz)
			return 0;
		off += nsz + dsz;
	}
	return 0;
}

static void read_build_id(struct tk_elfsym *e)
{
	static const char *const names[] = { ".note.gnu.build-id", ".notes", ".note" };
	GElf_Shdr shdr;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		Elf_Scn *scn = section_by_name(e, names[i], &shdr, NULL);

		/* perf stops at the first of these sections that exists. */
		if (scn) {
			e->build_id_size = note_build_id(scn, e->build_id);
			return;
		}
	}
}

static int finish_open(struct tk_elfsym *e, const char *what, struct tk_err *err)
{
	GElf_Shdr shdr;

	if (elf_kind(e->elf) != ELF_K_ELF || !gelf_getehdr(e->elf, &e->ehdr))
		return tk_err_set(err, TK_EFORMAT, -1, "%s: not an ELF file", what);
	if (elf_getshdrstrndx(e->elf, &e->shstrndx) || elf_getshdrnum(e->elf, &e->shnum))
		return tk_err_set(err, TK_ECORRUPT, -1, "%s: bad section headers: %s", what,
				  elf_errmsg(-1));
	/* perf: "Elf is corrupted/truncated, avoid calling elf_strptr". */
	if (!elf_rawdata(elf_getscn(e->elf, e->shstrndx), NULL))
		return tk_err_set(err, TK_ECORRUPT, -1, "%s: no section name table", what);
	read_build_id(e);
	e->symtab = section_by_name(e, ".symtab", &shdr, &e->symtab_idx);
	if (e->symtab && shdr.sh_type != SHT_SYMTAB)
		e->symtab = NULL;
	e->dynsym = section_by_name(e, ".dynsym", &shdr, &e->dynsym_idx);
	if (e->dynsym && shdr.sh_type != SHT_DYNSYM)
		e->dynsym = NULL;
	return 0;
}

static struct tk_elfsym *new_elfsym(struct tk_err *err)
{
	struct tk_elfsym *e;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		tk_err_set(err, TK_EUNSUPP, -1, "libelf: %s", elf_errmsg(-1));
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		tk_err_set(err, TK_ENOMEM, -1, "out of memory for an ELF handle");
	else
		e->fd = -1;
	return e;
}

int tk_elfsym_open(const char *path, struct tk_elfsym **out, struct tk_err *err)
{
	struct tk_elfsym *e;
	struct stat sb;
	int ret;

	*out = NULL;
	e = new_elfsym(err);
	if (!e)
		return err ? -err->code : -TK_ENOMEM;
	/* O_NONBLOCK: a FIFO named like a DSO must not hang us. */
	e->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (e->fd < 0) {
		ret = tk_err_sys(err, errno, -1, path);
		free(e);
		return ret;
	}
	if (fstat(e->fd, &sb) || !S_ISREG(sb.st_mode)) {
		ret = tk_err_set(err, TK_EFORMAT, -1, "%s: not a regular file", path);
		tk_elfsym_close(e);
		return ret;
	}
	e->elf = elf_begin(e->fd, ELF_C_READ_MMAP, NULL);
	if (!e->elf) {
		ret = tk_err_set(err, TK_EFORMAT, -1, "%s: %s", path, elf_errmsg(-1));
		tk_elfsym_close(e);
		return ret;
	}
	ret = finish_open(e, path, err);
	if (ret) {
		tk_elfsym_close(e);
		return ret;
	}
	*out = e;
	return 0;
}

int tk_elfsym_open_mem(const void *image, size_t len, struct tk_elfsym **out,
		       struct tk_err *err)
{
	struct tk_elfsym *e;
	int ret;

	*out = NULL;
	e = new_elfsym(err);
	if (!e)
		return err ? -err->code : -TK_ENOMEM;
	/* libelf takes a non-const pointer but only reads with ELF_C_READ. */
	e->elf = elf_memory((char *)(uintptr_t)image, len);
	if (!e->elf) {
		ret = tk_err_set(err, TK_EFORMAT, -1, "ELF image: %s", elf_errmsg(-1));
		tk_elfsym_close(e);
		return ret;
	}
	ret = finish_open(e, "ELF image", err);
	if (ret) {
		tk_elfsym_close(e);
		return ret;
	}
	*out = e;
	return 0;
}

void tk_elfsym_close(struct tk_elfsym *e)
{
	if (!e)
		return;
	if (e->elf)
		elf_end(e->elf);
	if (e->fd >= 0)
		close(e->fd);
	free(e);
}

size_t tk_elfsym_build_id(const struct tk_elfsym *e, uint8_t id[TK_BUILD_ID_MAX])
{
	memcpy(id, e->build_id, e->build_id_size);
	return e->build_id_size;
}

size_t tk_elfsym_file_build_id(const char *path, uint8_t id[TK_BUILD_ID_MAX])
{
	struct tk_elfsym *e;
	size_t n;

	if (tk_elfsym_open(path, &e, NULL))
		return 0;
	n = tk_elfsym_build_id(e, id);
	tk_elfsym_close(e);
	return n;
}

bool tk_elfsym_debuglink(struct tk_elfsym *e, char *buf, size_t size)
{
	GElf_Shdr shdr;
	Elf_Scn *scn = section_by_name(e, ".gnu_debuglink", &shdr, NULL);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	const char *s;
	size_t n;

	if (!d || !d->d_buf || !d->d_size || !size)
		return false;
	/* The section starts with a NUL-terminated name (then a CRC). */
	s = d->d_buf;
	n = strnlen(s, d->d_size);
	if (n == d->d_size || n == 0 || n >= size)
		return false;
	memcpy(buf, s, n + 1);
	return true;
}

bool tk_elfsym_has_symtab(const struct tk_elfsym *e)
{
	return e->symtab != NULL;
}

bool tk_elfsym_has_dynsym(const struct tk_elfsym *e)
{
	return e->dynsym != NULL;
}

/* perf's demangle_sym: the demangled name (free it) or NULL. */
static char *demangle(const char *name)
{
	/* Only mangled names can change; skip the libiberty call for C. */
	if (name[0] != '_')
		return NULL;
	return cplus_demangle(name, DMGL_NO_OPTS);
}

/* A symbol table section with its string table, ready to index. */
struct symsec {
	Elf_Data *syms;
	Elf_Data *strs;
	size_t nr;
};

static int open_symsec(struct tk_elfsym *e, Elf_Scn *scn, struct symsec *ss)
{
	GElf_Shdr shdr;
	Elf_Scn *strscn;
	size_t fsz = gelf_fsize(e->elf, ELF_T_SYM, 1, EV_CURRENT);

	if (!gelf_getshdr(scn, &shdr) || !fsz)
		return -1;
	ss->syms = elf_getdata(scn, NULL);
	strscn = elf_getscn(e->elf, shdr.sh_link);
	ss->strs = strscn ? elf_getdata(strscn, NULL) : NULL;
	if (!ss->syms || !ss->strs || !ss->strs->d_buf || !ss->strs->d_size)
		return -1;
	/* perf divides sh_size by sh_entsize; the data libelf has is the bound. */
	ss->nr = ss->syms->d_size / fsz;
	return 0;
}

/* Name of a symbol, NULL unless it lies NUL-terminated inside the table. */
static const char *sym_name(const struct symsec *ss, const GElf_Sym *sym)
{
	const char *base = ss->strs->d_buf;

	if (sym->st_name >= ss->strs->d_size)
		return NULL;
	if (!memchr(base + sym->st_name, '\0', ss->strs->d_size - sym->st_name))
		return NULL;
	return base + sym->st_name;
}

static bool sec_name_has(struct tk_elfsym *e, const GElf_Shdr *shdr, const char *what)
{
	const char *s = elf_strptr(e->elf, e->shstrndx, shdr->sh_name);

	return s && strstr(s, what);
}

/* File offset of a virtual address: PT_LOAD segment holding it, else section. */
static uint64_t to_file_offset(struct tk_elfsym *rt, uint64_t value, const GElf_Shdr *shdr)
{
	size_t i, n;

	if (!elf_getphdrnum(rt->elf, &n)) {
		for (i = 0; i < n && i < 65536; i++) {
			GElf_Phdr ph;

			if (!gelf_getphdr(rt->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
				continue;
			if (value >= ph.p_vaddr && value - ph.p_vaddr < ph.p_memsz)
				return value - (ph.p_vaddr - ph.p_offset);
		}
	}
	return value - (shdr->sh_addr - shdr->sh_offset);
}

static int add_plt(struct tk_elfsym *rt, struct tk_symtab *st, struct tk_err *err)
{
	GElf_Shdr rel_shdr, plt_shdr;
	Elf_Scn *rel = section_by_name(rt, ".rela.plt", &rel_shdr, NULL);
	struct symsec dyn;
	Elf_Data *reldata;
	size_t i, nrel, entsize;
	uint64_t off;
	char name[PLT_NAME_MAX];
	int nr = 0;

	if (!rt->dynsym)
		return 0;
	if (!rel)
		rel = section_by_name(rt, ".rel.plt", &rel_shdr, NULL);
	if (!rel || rel_shdr.sh_link != rt->dynsym_idx || !rel_shdr.sh_entsize)
		return 0;
	if (rel_shdr.sh_type != SHT_RELA && rel_shdr.sh_type != SHT_REL)
		return 0;
	if (!section_by_name(rt, ".plt", &plt_shdr, NULL) || open_symsec(rt, rt->dynsym, &dyn))
		return 0;
	reldata = elf_getdata(rel, NULL);
	if (!reldata)
		return 0;
	entsize = plt_shdr.sh_entsize;
	nrel = rel_shdr.sh_size / rel_shdr.sh_entsize;
	/* x86: the first .plt entry is the resolver stub, then one per reloc. */
	off = plt_shdr.sh_offset;
	for (i = 0; i < nrel && i < TK_SYMTAB_MAX_SYMS; i++) {
		GElf_Rela rela;
		GElf_Rel r;
		GElf_Sym sym;
		const char *s;
		char *dem;
		uint64_t info;
		int n;

		if (rel_shdr.sh_type == SHT_RELA) {
			if (!gelf_getrela(reldata, (int)i, &rela))
				break;
			info = rela.r_info;
		} else {
			if (!gelf_getrel(reldata, (int)i, &r))
				break;
			info = r.r_info;
		}
		off += entsize;
		if (!gelf_getsym(dyn.syms, (int)GELF_R_SYM(info), &sym))
			continue;
		s = sym_name(&dyn, &sym);
		if (!s)
			continue;
		dem = demangle(s);
		n = snprintf(name, sizeof(name), "%s@plt", dem ? dem : s);
		free(dem);
		if (n < 0)
			continue;
		if ((size_t)n >= sizeof(name))
			n = (int)sizeof(name) - 1;
		if (tk_symtab_add(st, off, entsize, TK_STB_GLOBAL, TK_STT_FUNC, name, (size_t)n, 0,
				  err))
			return -1;
		nr++;
	}
	return nr;
}

int tk_elfsym_load(struct tk_elfsym *syms, struct tk_elfsym *runtime, struct tk_symtab *st,
		   struct tk_err *err)
{
	struct symsec ss;
	Elf_Scn *scn = syms->symtab ? syms->symtab : syms->dynsym;
	size_t i;
	int nr = 0, plt;

	if (!runtime)
		runtime = syms;
	if (!scn)
		return 0;
	if (open_symsec(syms, scn, &ss))
		return tk_err_set(err, TK_ECORRUPT, -1, "unreadable symbol table");
	for (i = 0; i < ss.nr; i++) {
		GElf_Sym sym;
		GElf_Shdr shdr;
		Elf_Scn *sec;
		struct tk_elfsym *secsrc = syms;
		const char *name;
		char *dem;
		int type, ret;
		bool label;
		uint64_t value;

		if (!gelf_getsym(ss.syms, (int)i, &sym))
			continue;
		type = GELF_ST_TYPE(sym.st_info);
		if (!sym.st_name || sym.st_shndx == SHN_UNDEF)
			continue;
		label = type == STT_NOTYPE && sym.st_shndx != SHN_ABS;
		if (!label && type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_OBJECT)
			continue;
		if (sym.st_shndx == SHN_ABS)
			continue;
		name = sym_name(&ss, &sym);
		if (!name)
			return tk_err_set(err, TK_ECORRUPT, -1,
					  "symbol %zu: name offset %u outside its string table", i,
					  (unsigned)sym.st_name);
		/* perf gives up on the whole table when a section index does
		 * not resolve (SHN_COMMON, SHN_XINDEX, garbage). */
		sec = elf_getscn(syms->elf, sym.st_shndx);
		if (!sec || !gelf_getshdr(sec, &shdr))
			return tk_err_set(err, TK_ECORRUPT, -1, "symbol %s: bad section index %u",
					  name, (unsigned)sym.st_shndx);
		/* Sections that are not loaded (".gnu.warning.*") hold no code. */
		if (!(shdr.sh_flags & SHF_ALLOC))
			continue;
		/* A debug file's NOBITS headers have meaningless offsets: use
		 * the mapped file's header of the same section. */
		if (shdr.sh_type == SHT_NOBITS && runtime != syms) {
			sec = elf_getscn(runtime->elf, sym.st_shndx);
			if (!sec || !gelf_getshdr(sec, &shdr))
				return tk_err_set(err, TK_ECORRUPT, -1,
						  "symbol %s: section %u missing in the mapped file",
						  name, (unsigned)sym.st_shndx);
			secsrc = runtime;
		}
		if (label && !sec_name_has(secsrc, &shdr, "text") &&
		    !sec_name_has(secsrc, &shdr, "data"))
			continue;
		/* ARM mapping symbols ($a, $d, $t, $x) are not functions. */
		if ((syms->ehdr.e_machine == EM_ARM || syms->ehdr.e_machine == EM_AARCH64) &&
		    name[0] == '$' && name[1] && strchr("adtx", name[1]) &&
		    (name[2] == '\0' || name[2] == '.'))
			continue;
		value = sym.st_value;
		if (syms->ehdr.e_machine == EM_ARM && (value & 1))
			value--;	/* thumb bit */
		value = to_file_offset(runtime, value, &shdr);
		dem = demangle(name);
		if (dem)
			name = dem;
		ret = tk_symtab_add(st, value, sym.st_size, GELF_ST_BIND(sym.st_info), (uint8_t)type,
				    name, strlen(name), 0, err);
		free(dem);
		if (ret)
			return ret;
		nr++;
	}
	if (nr > 0) {
		tk_symtab_fixup_end(st, false);
		tk_symtab_fixup_duplicate(st);
		/* perf adds PLT entries after the fixups, so they get none. */
		plt = add_plt(runtime, st, err);
		if (plt < 0)
			return err ? -err->code : -TK_ENOMEM;
		nr += plt;
	}
	return nr;
}
