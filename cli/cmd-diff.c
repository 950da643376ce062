/* SPDX-License-Identifier: MIT */
/*
 * tracekit diff: a differential flame graph of two sets of stacks (folded
 * files or recordings), or difffolded.pl's two-column folded text
 * (analyze/difffold.h, render/flamesvg.h).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/difffold.h"
#include "analyze/fold.h"
#include "cli/cli.h"
#include "cli/fold-input.h"
#include "core/stacks.h"
#include "core/strtab.h"
#include "formats/folded.h"
#include "render/flamesvg.h"

static void help(FILE *out)
{
	fprintf(out,
		"usage: tracekit diff [options] A B\n"
		"\n"
		"Compare two sets of stacks: folded files (\"frame;...;leaf COUNT\" lines)\n"
		"or recordings (perf.data, perf script text), collapsed first as `tracekit\n"
		"collapse FILE` does. The flame graph has the shape of B; each frame is\n"
		"red where its count grew from A and blue where it shrank, shaded by the\n"
		"change (flamegraph.pl's differential colours). One of A and B may be '-'\n"
		"(standard input, folded text).\n"
		"\n"
		"Options:\n"
		"  --folded           print difffolded.pl's lines \"STACK COUNT_A COUNT_B\"\n"
		"                     (sorted) instead of drawing\n"
		"  -n, --normalize    scale A's counts to B's total, as difffolded.pl -n\n"
		"  -s, --strip-hex    rewrite hex numbers 0x... in frames, as difffolded.pl -s\n"
		"  --negate           swap the hues and signs (blue for growth)\n"
		"  --title TEXT, --subtitle TEXT, --width N, --height N, --minwidth N[%%],\n"
		"  --fonttype FONT, --fontsize N, --fontwidth N, --countname TEXT,\n"
		"  --nametype TEXT, --inverted, --notes TEXT\n"
		"                     as for tracekit flamegraph\n"
		"  --format svg|png   output format (svg)\n"
		"  -o, --output FILE  write to FILE instead of standard output\n"
		"  --kallsyms FILE    perf.data: kernel symbols from FILE\n"
		"  --symfs DIR        perf.data: look for every DSO under DIR\n"
		"  -h, --help         this help\n"
		"\n"
		"Exit status: 0 ok, 1 bad input or I/O error, 2 usage error.\n");
}

enum {
	OPT_FOLDED = 256,
	OPT_NEGATE,
	OPT_TITLE,
	OPT_SUBTITLE,
	OPT_WIDTH,
	OPT_HEIGHT,
	OPT_MINWIDTH,
	OPT_FONTTYPE,
	OPT_FONTSIZE,
	OPT_FONTWIDTH,
	OPT_COUNTNAME,
	OPT_NAMETYPE,
	OPT_INVERTED,
	OPT_NOTES,
	OPT_FORMAT,
	OPT_KALLSYMS,
	OPT_SYMFS,
};

/*
 * A folded file into one side. difffolded.pl reads a line as
 * /^(.*)\s+?(\d+(?:\.\d*)?)$/, so a line that already has two counts is a
 * stack ending in a number: the first count belongs to the stack.
 */
static int read_folded(struct tk_difffold *d, enum tk_difffold_side side, const char *path,
		       const char *name)
{
	const struct tk_folded_counts *fc;
	struct tk_folded_reader *r = NULL;
	struct tk_folded_line line;
	struct tk_err err;
	int ret;

	tk_err_clear(&err);
	tk_err_set_file(&err, name);
	if (!strcmp(path, "-"))
		ret = tk_folded_open_fd(STDIN_FILENO, name, NULL, &r, &err);
	else
		ret = tk_folded_open(path, NULL, &r, &err);
	if (ret < 0)
		return cli_fail_err(&err);
	while ((ret = tk_folded_next(r, &line)) == 1) {
		double count = line.differential ? line.count2 : line.count;
		size_t len = line.stack_len;

		if (line.differential) {
			len++;
			while (line.stack[len] == '.' || (line.stack[len] >= '0' && line.stack[len] <= '9'))
				len++;
		}
		if (count != floor(count) || count >= 9007199254740992.0) {
			tk_err_set(&err, TK_EUNSUPP, line.offset,
				   "line %" PRIu64 ": count %.17g is not a whole number below 2^53",
				   line.line, count);
			ret = -1;
			break;
		}
		ret = tk_difffold_add(d, side, line.stack, len, (uint64_t)count, &err);
		if (ret < 0) {
			err.offset = line.offset;
			break;
		}
	}
	if (ret < 0) {
		ret = cli_fail_err(err.code ? &err : tk_folded_get_err(r));
		tk_folded_close(r);
		return ret;
	}
	fc = tk_folded_get_counts(r);
	if (fc->bad_lines)
		fprintf(stderr, "tracekit: %s: ignored %" PRIu64 " lines without a count (first: line %"
				PRIu64 ")\n", name, fc->bad_lines, fc->first_bad_line);
	tk_folded_close(r);
	return TK_EXIT_OK;
}

struct join_ctx {
	struct tk_difffold *d;
	enum tk_difffold_side side;
	const struct tk_strtab *names;
	char *buf;
	size_t cap;
	struct tk_err *err;
};

/* One stack of a collapsed recording, joined into its folded text. */
static int join_one(void *arg, const uint32_t *frames, size_t depth, uint64_t weight)
{
	struct join_ctx *c = arg;
	size_t i, n = 0;

	for (i = 0; i < depth; i++) {
		size_t len = tk_strtab_get_len(c->names, frames[i]);

		if (n + len + 1 > c->cap) {
			size_t ncap = c->cap ? c->cap : 256;
			char *p;

			while (ncap < n + len + 1)
				ncap *= 2;
			p = realloc(c->buf, ncap);
			if (!p)
				return tk_err_set(c->err, TK_ENOMEM, -1, "out of memory");
			c->buf = p;
			c->cap = ncap;
		}
		if (i)
			c->buf[n++] = ';';
		memcpy(c->buf + n, tk_strtab_get(c->names, frames[i]), len);
		n += len;
	}
	return tk_difffold_add(c->d, c->side, c->buf ? c->buf : "", n, weight, c->err);
}

static int read_input(struct tk_difffold *d, enum tk_difffold_side side, const char *path,
		      const char *kallsyms, const char *symfs)
{
	const char *name = strcmp(path, "-") ? path : "(stdin)";
	enum cli_fold_kind kind = strcmp(path, "-") ? cli_fold_sniff(path) : CLI_FOLD_FOLDED;
	struct join_ctx c = { 0 };
	struct tk_fold *fold = NULL;
	struct tk_err err;
	int ret;

	if (kind == CLI_FOLD_TDAT)
		return cli_fail("%s: a trace.dat file holds no callchain samples to compare; give "
				"folded stacks, perf.data or perf script text", name);
	if (kind == CLI_FOLD_FOLDED)
		return read_folded(d, side, path, name);
	ret = cli_fold_collapse(path, kind, kallsyms, symfs, &fold);
	if (ret != TK_EXIT_OK)
		return ret;
	tk_err_clear(&err);
	tk_err_set_file(&err, name);
	c.d = d;
	c.side = side;
	c.names = tk_fold_get_names(fold);
	c.err = &err;
	ret = tk_stacks_walk_sorted(tk_fold_get_stacks(fold), c.names, join_one, &c);
	if (ret < 0 && !err.code)
		tk_err_set(&err, -ret, -1, "out of memory walking the stacks");
	free(c.buf);
	tk_fold_destroy(fold);
	return ret < 0 ? cli_fail_err(&err) : TK_EXIT_OK;
}

static int write_folded(const struct tk_difffold *d, FILE *out)
{
	size_t i, n = tk_difffold_count(d);

	for (i = 0; i < n; i++) {
		const char *s;
		size_t len;
		uint64_t a, b;

		tk_difffold_get(d, i, &s, &len, &a, &b);
		fwrite(s, 1, len, out);
		fprintf(out, " %" PRIu64 " %" PRIu64 "\n", a, b);
	}
	return ferror(out) ? -1 : 0;
}

/* Frames of one stack as flamegraph.pl splits them (trailing empty ones go). */
static int split(struct tk_strtab *names, const char *s, size_t len, uint32_t **ids,
		 size_t *cap, size_t *n)
{
	size_t i = 0, k = 0;

	while (len) {
		const char *semi = memchr(s + i, ';', len - i);
		size_t end = semi ? (size_t)(semi - s) : len;

		if (k == *cap) {
			size_t ncap = *cap ? *cap * 2 : 64;
			uint32_t *p = realloc(*ids, ncap * sizeof(*p));

			if (!p)
				return -TK_ENOMEM;
			*ids = p;
			*cap = ncap;
		}
		if (tk_strtab_intern(names, s + i, end - i, &(*ids)[k]) < 0)
			return -TK_ENOMEM;
		k++;
		if (!semi)
			break;
		i = end + 1;
	}
	while (k && tk_strtab_get_len(names, (*ids)[k - 1]) == 0)
		k--;
	*n = k;
	return 0;
}

/* The differential layout: widths from B, deltas B - A. */
static int layout(const struct tk_difffold *d, const struct tk_flamesvg_opts *o,
		  struct tk_strtab *names, struct tk_flamesvg **out, struct tk_err *err)
{
	struct tk_flamesvg *f = tk_flamesvg_create(o, names, tk_difffold_get_total(d, TK_DIFFFOLD_B),
						   err);
	size_t i, n, cap = 0, count = tk_difffold_count(d);
	uint32_t *ids = NULL;
	int ret = 0;

	if (!f)
		return -err->code;
	for (i = 0; i < count && ret == 0; i++) {
		const char *s;
		size_t len;
		uint64_t a, b;

		tk_difffold_get(d, i, &s, &len, &a, &b);
		if (a > INT64_MAX || b > INT64_MAX) {
			ret = tk_err_set(err, TK_ELIMIT, -1, "counts above 2^63");
			break;
		}
		ret = split(names, s, len, &ids, &cap, &n);
		if (ret < 0) {
			tk_err_set(err, -ret, -1, "out of memory");
			break;
		}
		ret = tk_flamesvg_add_diff(f, ids, n, b, (int64_t)b - (int64_t)a, err);
	}
	free(ids);
	if (ret == 0)
		ret = tk_flamesvg_finish(f, err);
	if (ret < 0) {
		tk_flamesvg_destroy(f);
		return ret;
	}
	*out = f;
	return 0;
}

int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "folded", no_argument, NULL, OPT_FOLDED },
		{ "normalize", no_argument, NULL, 'n' },
		{ "strip-hex", no_argument, NULL, 's' },
		{ "negate", no_argument, NULL, OPT_NEGATE },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "subtitle", required_argument, NULL, OPT_SUBTITLE },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "height", required_argument, NULL, OPT_HEIGHT },
		{ "minwidth", required_argument, NULL, OPT_MINWIDTH },
		{ "fonttype", required_argument, NULL, OPT_FONTTYPE },
		{ "fontsize", required_argument, NULL, OPT_FONTSIZE },
		{ "fontwidth", required_argument, NULL, OPT_FONTWIDTH },
		{ "countname", required_argument, NULL, OPT_COUNTNAME },
		{ "nametype", required_argument, NULL, OPT_NAMETYPE },
		{ "inverted", no_argument, NULL, OPT_INVERTED },
		{ "notes", required_argument, NULL, OPT_NOTES },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, 'o' },
		{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
		{ "symfs", required_argument, NULL, OPT_SYMFS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tk_difffold_opts dopts = { 0 };
	struct tk_flamesvg_opts o;
	struct tk_difffold *d = NULL;
	struct tk_flamesvg *f = NULL;
	struct tk_strtab *names = NULL;
	const char *output = NULL, *kallsyms = NULL, *symfs = NULL;
	bool folded = false, normalize = false, png = false;
	struct tk_err err;
	FILE *out = stdout;
	int opt, ret;

	tk_flamesvg_opts_init(&o);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "nso:h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_FOLDED:
			folded = true;
			break;
		case 'n':
			normalize = true;
			break;
		case 's':
			dopts.strip_hex = true;
			break;
		case OPT_NEGATE:
			o.negate = true;
			break;
		case OPT_TITLE:
			o.title = optarg;
			break;
		case OPT_SUBTITLE:
			o.subtitle = optarg;
			break;
		case OPT_WIDTH:
			if (cli_parse_int(optarg, 21, 1000000, &o.width))
				return cli_usage_error("diff", "--width wants pixels, 21 to 1000000");
			break;
		case OPT_HEIGHT:
			if (cli_parse_int(optarg, 1, 10000, &o.frame_height))
				return cli_usage_error("diff", "--height wants pixels, 1 to 10000");
			break;
		case OPT_MINWIDTH:
			if (cli_parse_minwidth(optarg, &o))
				return cli_usage_error("diff",
						       "--minwidth wants pixels or a percentage, like 0.5 or 1%%");
			break;
		case OPT_FONTTYPE:
			o.fonttype = optarg;
			break;
		case OPT_FONTSIZE:
			if (cli_parse_double(optarg, 0.1, 1000, &o.fontsize))
				return cli_usage_error("diff", "--fontsize wants 0.1 to 1000");
			break;
		case OPT_FONTWIDTH:
			if (cli_parse_double(optarg, 0.01, 100, &o.fontwidth))
				return cli_usage_error("diff", "--fontwidth wants 0.01 to 100");
			break;
		case OPT_COUNTNAME:
			o.countname = optarg;
			break;
		case OPT_NAMETYPE:
			o.nametype = optarg;
			break;
		case OPT_INVERTED:
			o.inverted = true;
			break;
		case OPT_NOTES:
			if (strstr(optarg, "--") || (*optarg && optarg[strlen(optarg) - 1] == '-'))
				return cli_usage_error("diff", "--notes cannot contain \"--\" or end in '-'");
			o.notes = optarg;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "png"))
				png = true;
			else if (strcmp(optarg, "svg"))
				return cli_usage_error("diff", "--format is svg or png");
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_KALLSYMS:
			kallsyms = optarg;
			break;
		case OPT_SYMFS:
			symfs = optarg;
			break;
		case 'h':
			help(stdout);
			return TK_EXIT_OK;
		default:
			return cli_usage_error("diff", "unknown option");
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("diff", "two inputs expected, A and B");
	if (!strcmp(argv[optind], "-") && !strcmp(argv[optind + 1], "-"))
		return cli_usage_error("diff", "only one of A and B can be standard input");
	if (folded && png)
		return cli_usage_error("diff", "--folded prints text; --format is for the graph");
	if (png && !output && isatty(STDOUT_FILENO))
		return cli_usage_error("diff", "a PNG goes to a file (-o) or a pipe");

	tk_err_clear(&err);
	d = tk_difffold_create(&dopts, &err);
	if (!d)
		return cli_fail_err(&err);
	ret = read_input(d, TK_DIFFFOLD_A, argv[optind], kallsyms, symfs);
	if (ret == TK_EXIT_OK)
		ret = read_input(d, TK_DIFFFOLD_B, argv[optind + 1], kallsyms, symfs);
	if (ret != TK_EXIT_OK)
		goto out;
	tk_err_set_file(&err, argv[optind]);
	if (tk_difffold_finish(d, normalize, &err) < 0) {
		ret = cli_fail_err(&err);
		goto out;
	}
	if (!folded) {
		names = tk_strtab_create(0);
		if (!names) {
			ret = cli_fail("out of memory");
			goto out;
		}
		tk_err_set_file(&err, argv[optind + 1]);
		if (layout(d, &o, names, &f, &err) < 0) {
			ret = cli_fail_err(&err);
			goto out;
		}
	}
	if (output) {
		out = fopen(output, "wb");
		if (!out) {
			ret = cli_fail("%s: cannot create: %s", output, strerror(errno));
			out = stdout;
			goto out;
		}
	}
	tk_err_clear(&err);
	tk_err_set_file(&err, output ? output : "(stdout)");
	if (folded)
		ret = write_folded(d, out) < 0 ? tk_err_sys(&err, errno, -1, "writing") : 0;
	else
		ret = png ? tk_flamesvg_write_png(f, out, &err) : tk_flamesvg_write(f, out, &err);
	if (out != stdout && fclose(out) && ret == 0)
		ret = tk_err_sys(&err, errno, -1, "closing the output");
	else if (out == stdout && fflush(out) && ret == 0)
		ret = tk_err_sys(&err, errno, -1, "writing");
	out = stdout;
	ret = ret < 0 ? cli_fail_err(&err) : TK_EXIT_OK;
out:
	if (out != stdout)
		fclose(out);
	tk_flamesvg_destroy(f);
	tk_strtab_destroy(names);
	tk_difffold_destroy(d);
	return ret;
}
