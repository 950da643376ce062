/* SPDX-License-Identifier: MIT */
/*
 * tracekit dump: the structure of a trace.dat file (a debugging aid in the
 * spirit of `trace-cmd dump`): sections with offsets and sizes, buffers,
 * and where each CPU's data lies.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "formats/tdat.h"
#include "render/table.h"

static void help(FILE *out)
{
	fprintf(out, "usage: tracekit dump [options] FILE\n"
		     "\n"
		     "Show the sections of a trace.dat file with their offsets and sizes,\n"
		     "its buffers, and each CPU's data region.\n"
		     "\n"
		     "Options:\n"
		     "  -h, --help     this help\n");
}

static int cmp_off(const void *a, const void *b)
{
	const struct tk_tdat_section *x = a, *y = b;

	return (x->offset > y->offset) - (x->offset < y->offset);
}

/* In file order; the reader lists them in the order it met them. */
static struct tk_tdat_section *sorted_sections(struct tk_tdat_reader *r, int *n)
{
	const struct tk_tdat_section *secs = tk_tdat_get_sections(r, n);
	struct tk_tdat_section *copy = malloc((size_t)(*n ? *n : 1) * sizeof(*copy));

	if (!copy)
		return NULL;
	if (*n)
		memcpy(copy, secs, (size_t)*n * sizeof(*copy));
	qsort(copy, (size_t)*n, sizeof(*copy), cmp_off);
	return copy;
}

int cmd_dump(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tk_tdat_section *secs;
	const struct tk_tdat_info *in;
	struct tk_tdat_reader *r;
	struct tk_table *t;
	int opt, ret, n, i, b;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			help(stdout);
			return TK_EXIT_OK;
		}
		return cli_usage_error("dump", "unknown option");
	}
	if (optind != argc - 1)
		return cli_usage_error("dump", optind >= argc ? "no input file" : "one input file expected");
	cli_set_verbosity(0);
	ret = cli_open_tdat(argv[optind], NULL, &r);
	if (ret)
		return ret;
	in = tk_tdat_get_info(r);
	printf("%s: trace.dat version %d, %s endian, long size %d, page size %u, compression %s, "
	       "%" PRIu64 " bytes\n",
	       argv[optind], in->version, in->big_endian ? "big" : "little", in->file_long_size,
	       in->page_size, in->codec_name, in->file_size);

	secs = sorted_sections(r, &n);
	if (!secs) {
		tk_tdat_close(r);
		return cli_fail("out of memory");
	}
	t = tk_table_create(6);
	if (!t) {
		tk_tdat_close(r);
		return cli_fail("out of memory");
	}
	tk_table_set_col(t, 0, "offset", 1);
	tk_table_set_col(t, 1, "size", 1);
	tk_table_set_col(t, 2, "uncompressed", 1);
	tk_table_set_col(t, 3, "id", 1);
	tk_table_set_col(t, 4, "flags", 0);
	tk_table_set_col(t, 5, "section", 0);
	for (i = 0; i < n; i++) {
		tk_table_cell(t, "0x%" PRIx64, secs[i].offset);
		tk_table_cell(t, "%" PRIu64, secs[i].size);
		tk_table_cell(t, "%" PRIu64, secs[i].usize);
		if (secs[i].id >= 0)
			tk_table_cell(t, "%d", secs[i].id);
		else
			tk_table_cell(t, "-");
		tk_table_cell(t, "%s", secs[i].compressed ? "compressed" : "");
		tk_table_cell(t, "%s", secs[i].name);
	}
	printf("\nsections:\n");
	tk_table_print(t, stdout, "  ");
	tk_table_destroy(t);
	free(secs);

	for (b = 0; b < in->nbuffers; b++) {
		const struct tk_tdat_buffer_info *bi = tk_tdat_get_buffer(r, b);
		const struct tk_tdat_cpu_info *ci = tk_tdat_get_cpus(r, b, &n);

		printf("\nbuffer %d '%s': clock %s, sub-buffer %u bytes, %s, %d CPUs with data\n", b,
		       bi->name, bi->clock, bi->page_size, bi->compressed ? "compressed" : "raw", n);
		t = tk_table_create(3);
		if (!t)
			break;
		tk_table_set_col(t, 0, "cpu", 1);
		tk_table_set_col(t, 1, "offset", 1);
		tk_table_set_col(t, 2, "size", 1);
		for (i = 0; i < n; i++) {
			tk_table_cell(t, "%d", ci[i].cpu);
			tk_table_cell(t, "0x%" PRIx64, ci[i].data_offset);
			tk_table_cell(t, "%" PRIu64, ci[i].data_size);
		}
		tk_table_print(t, stdout, "  ");
		tk_table_destroy(t);
	}
	tk_tdat_close(r);
	return TK_EXIT_OK;
}
