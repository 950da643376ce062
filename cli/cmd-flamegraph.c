/* SPDX-License-Identifier: MIT */
/*
 * tracekit flamegraph: folded stacks to an interactive SVG (or a PNG), with
 * flamegraph.pl's options and frame geometry (render/flamesvg.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/fold.h"
#include "cli/cli.h"
#include "cli/collapse.h"
#include "cli/fold-input.h"
#include "core/stacks.h"
#include "core/strtab.h"
#include "formats/folded.h"
#include "render/flamesvg.h"

static void help(FILE *out)
{
	fprintf(out,
		"usage: tracekit flamegraph [options] [FILE|-]\n"
		"\n"
		"Draw folded stacks (\"frame;frame;...;leaf COUNT\" lines, as `tracekit\n"
		"collapse` or FlameGraph's stackcollapse scripts print them) as a flame\n"
		"graph: a self-contained SVG with hover details, click to zoom and regular\n"
		"expression search (Ctrl-F), or a PNG. Without FILE, or with '-', standard\n"
		"input is read. Frames are placed as flamegraph.pl places them.\n"
		"\n"
		"FILE may also be a perf.data file or `perf script` text: its callchain\n"
		"samples are then collapsed first, as `tracekit collapse FILE` does with\n"
		"its default options (for others, pipe `tracekit collapse` in).\n"
		"\n"
		"Options (flamegraph.pl's names and defaults):\n"
		"  --title TEXT       heading (\"Flame Graph\", \"Icicle Graph\", \"Flame Chart\")\n"
		"  --subtitle TEXT    second heading\n"
		"  --width N          image width in pixels (1200)\n"
		"  --height N         height of one frame in pixels (16)\n"
		"  --minwidth N[%%]    leave out frames narrower than N pixels, or N%% of\n"
		"                     the total (0.1); their counts stay in their parents\n"
		"  --fonttype FONT    font family (Verdana)\n"
		"  --fontsize N       font size (12)\n"
		"  --fontwidth N      average character width relative to the size (0.59)\n"
		"  --countname TEXT   what the counts are (samples)\n"
		"  --nametype TEXT    what the names are (Function:)\n"
		"  --colors PALETTE   hot (default), mem, io, wakeup, chain, java, js, perl,\n"
		"                     red, green, blue, aqua, yellow, purple, orange\n"
		"  --hash             colour by a hash weighted to the name's first characters\n"
		"                     (default: a colour seeded by the whole name; both are\n"
		"                     stable across runs and graphs)\n"
		"  --reverse          reverse every stack: merge from the leaves\n"
		"  --inverted         icicle graph: root at the top\n"
		"  --flamechart       keep the input order (time), merge only neighbours\n"
		"  --negate           swap the hues of differential graphs\n"
		"  --notes TEXT       put TEXT in a comment in the SVG\n"
		"  --format svg|png   output format (svg)\n"
		"  -o, --output FILE  write to FILE instead of standard output\n"
		"  --kallsyms FILE    perf.data: kernel symbols from FILE\n"
		"  --symfs DIR        perf.data: look for every DSO under DIR\n"
		"  -h, --help         this help\n"
		"\n"
		"Exit status: 0 ok, 1 bad input or I/O error, 2 usage error.\n");
}

enum {
	OPT_TITLE = 256,
	OPT_SUBTITLE,
	OPT_WIDTH,
	OPT_HEIGHT,
	OPT_MINWIDTH,
	OPT_FONTTYPE,
	OPT_FONTSIZE,
	OPT_FONTWIDTH,
	OPT_COUNTNAME,
	OPT_NAMETYPE,
	OPT_COLORS,
	OPT_HASH,
	OPT_REVERSE,
	OPT_INVERTED,
	OPT_FLAMECHART,
	OPT_NEGATE,
	OPT_NOTES,
	OPT_FORMAT,
	OPT_KALLSYMS,
	OPT_SYMFS,
};

struct input {
	struct tk_strtab *names;
	struct tk_stacks *stacks;	/* sorted graphs */
	struct tk_flamesvg *chart;	/* flame charts take lines as they come */
	uint64_t root_only;		/* lines with an empty stack */
	uint32_t *ids;
	size_t cap;
	bool reverse;
};

/*
 * Frames of one stack into ids, split at ';' as flamegraph.pl splits them
 * (Perl's split drops empty trailing fields, also after --reverse).
 */
static int split_stack(struct input *in, const char *s, size_t len, size_t *n, struct tk_err *err)
{
	size_t i = 0, k = 0, j;
	int ret;

	*n = 0;
	while (i <= len) {
		const char *semi = memchr(s + i, ';', len - i);
		size_t end = semi ? (size_t)(semi - s) : len;

		if (k == in->cap) {
			size_t ncap = in->cap ? in->cap * 2 : 64;
			uint32_t *ni = realloc(in->ids, ncap * sizeof(*ni));

			if (!ni)
				return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
			in->ids = ni;
			in->cap = ncap;
		}
		ret = tk_strtab_intern(in->names, s + i, end - i, &in->ids[k]);
		if (ret < 0)
			return tk_err_set(err, -ret, -1, "too many frame names for the memory cap");
		k++;
		if (!semi)
			break;
		i = end + 1;
	}
	/* Trailing empty frames go; an empty stack has none at all. */
	while (k && tk_strtab_get_len(in->names, in->ids[k - 1]) == 0)
		k--;
	if (in->reverse) {
		for (j = 0; j < k / 2; j++) {
			uint32_t t = in->ids[j];

			in->ids[j] = in->ids[k - 1 - j];
			in->ids[k - 1 - j] = t;
		}
		while (k && tk_strtab_get_len(in->names, in->ids[k - 1]) == 0)
			k--;
	}
	*n = k;
	return 0;
}

static int read_folded(struct tk_folded_reader *r, const char *name, struct input *in)
{
	const struct tk_folded_counts *fc;
	struct tk_folded_line line;
	struct tk_err err;
	size_t n;
	int ret;

	tk_err_clear(&err);
	tk_err_set_file(&err, name);
	while ((ret = tk_folded_next(r, &line)) == 1) {
		uint64_t count;

		if (line.differential) {
			tk_err_set(&err, TK_EUNSUPP, line.offset,
				   "line %" PRIu64 " has two counts; differential flame graphs are "
				   "not supported yet", line.line);
			return cli_fail_err(&err);
		}
		if (line.count != floor(line.count) || line.count >= 9007199254740992.0) {
			tk_err_set(&err, TK_EUNSUPP, line.offset,
				   "line %" PRIu64 ": count %.17g is not a whole number below 2^53",
				   line.line, line.count);
			return cli_fail_err(&err);
		}
		count = (uint64_t)line.count;
		if (split_stack(in, line.stack, line.stack_len, &n, &err) < 0)
			return cli_fail_err(&err);
		if (in->chart)
			ret = tk_flamesvg_add(in->chart, in->ids, n, count, &err);
		else if (n)
			ret = tk_stacks_add(in->stacks, in->ids, n, count, NULL);
		else
			in->root_only += count;
		if (ret < 0) {
			if (!err.code)
				tk_err_set(&err, -ret, line.offset, "%s",
					   ret == -TK_ELIMIT ? "stacks over the memory cap"
							     : "out of memory");
			return cli_fail_err(&err);
		}
	}
	if (ret < 0)
		return cli_fail_err(tk_folded_get_err(r));
	fc = tk_folded_get_counts(r);
	if (fc->bad_lines)
		fprintf(stderr, "tracekit: %s: ignored %" PRIu64 " lines without a count (first: line %"
				PRIu64 ")\n", name, fc->bad_lines, fc->first_bad_line);
	return TK_EXIT_OK;
}

/* Layout of sorted stacks: the root-only lines sort first. */
static int layout_sorted(const struct tk_stacks *stacks, const struct tk_strtab *names,
			 uint64_t root_only, const struct tk_flamesvg_opts *o,
			 struct tk_flamesvg **out, struct tk_err *err)
{
	uint64_t total = tk_stacks_get_total(stacks, TK_STACKS_ROOT) + root_only;
	struct tk_flamesvg *f = tk_flamesvg_create(o, names, total, err);

	if (!f)
		return -err->code;
	if ((root_only && tk_flamesvg_add(f, NULL, 0, root_only, err) < 0) ||
	    tk_flamesvg_add_stacks(f, stacks, err) < 0) {
		tk_flamesvg_destroy(f);
		return -err->code;
	}
	*out = f;
	return 0;
}

int cmd_flamegraph(int argc, char **argv)
{
	static const struct option longopts[] = {
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
		{ "colors", required_argument, NULL, OPT_COLORS },
		{ "hash", no_argument, NULL, OPT_HASH },
		{ "reverse", no_argument, NULL, OPT_REVERSE },
		{ "inverted", no_argument, NULL, OPT_INVERTED },
		{ "flamechart", no_argument, NULL, OPT_FLAMECHART },
		{ "negate", no_argument, NULL, OPT_NEGATE },
		{ "notes", required_argument, NULL, OPT_NOTES },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, 'o' },
		{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
		{ "symfs", required_argument, NULL, OPT_SYMFS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tk_flamesvg_opts o;
	struct tk_folded_reader *r = NULL;
	struct tk_flamesvg *f = NULL;
	struct input in = { 0 };
	const char *path = "-", *name, *output = NULL, *kallsyms = NULL, *symfs = NULL;
	const struct tk_strtab *names;
	const struct tk_stacks *stacks;
	struct tk_fold *fold = NULL;
	enum cli_fold_kind kind;
	struct tk_err err;
	bool png = false;
	FILE *out = stdout;
	int opt, ret;

	tk_flamesvg_opts_init(&o);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_TITLE:
			o.title = optarg;
			break;
		case OPT_SUBTITLE:
			o.subtitle = optarg;
			break;
		case OPT_WIDTH:
			if (cli_parse_int(optarg, 21, 1000000, &o.width))
				return cli_usage_error("flamegraph", "--width wants pixels, 21 to 1000000");
			break;
		case OPT_HEIGHT:
			if (cli_parse_int(optarg, 1, 10000, &o.frame_height))
				return cli_usage_error("flamegraph", "--height wants pixels, 1 to 10000");
			break;
		case OPT_MINWIDTH:
			if (cli_parse_minwidth(optarg, &o))
				return cli_usage_error("flamegraph",
						       "--minwidth wants pixels or a percentage, like 0.5 or 1%%");
			break;
		case OPT_FONTTYPE:
			o.fonttype = optarg;
			break;
		case OPT_FONTSIZE:
			if (cli_parse_double(optarg, 0.1, 1000, &o.fontsize))
				return cli_usage_error("flamegraph", "--fontsize wants 0.1 to 1000");
			break;
		case OPT_FONTWIDTH:
			if (cli_parse_double(optarg, 0.01, 100, &o.fontwidth))
				return cli_usage_error("flamegraph", "--fontwidth wants 0.01 to 100");
			break;
		case OPT_COUNTNAME:
			o.countname = optarg;
			break;
		case OPT_NAMETYPE:
			o.nametype = optarg;
			break;
		case OPT_COLORS:
			if (tk_flamesvg_palette_parse(optarg, &o.palette))
				return cli_usage_error("flamegraph", "unknown palette '%s'", optarg);
			break;
		case OPT_HASH:
			o.hash = true;
			break;
		case OPT_REVERSE:
			in.reverse = true;
			break;
		case OPT_INVERTED:
			o.inverted = true;
			break;
		case OPT_FLAMECHART:
			o.flamechart = true;
			break;
		case OPT_NEGATE:
			o.negate = true;
			break;
		case OPT_NOTES:
			if (strstr(optarg, "--") || (*optarg && optarg[strlen(optarg) - 1] == '-'))
				return cli_usage_error("flamegraph",
						       "--notes cannot contain \"--\" or end in '-'");
			o.notes = optarg;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "png"))
				png = true;
			else if (strcmp(optarg, "svg"))
				return cli_usage_error("flamegraph", "--format is svg or png");
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
			return cli_usage_error("flamegraph", "unknown option");
		}
	}
	if (optind < argc - 1)
		return cli_usage_error("flamegraph", "one input file expected");
	if (optind == argc - 1)
		path = argv[optind];
	if (png && !output && isatty(STDOUT_FILENO))
		return cli_usage_error("flamegraph", "a PNG goes to a file (-o) or a pipe");

	tk_err_clear(&err);
	name = strcmp(path, "-") ? path : "(stdin)";
	tk_err_set_file(&err, name);
	kind = strcmp(path, "-") ? cli_fold_sniff(path) : CLI_FOLD_FOLDED;
	if (kind == CLI_FOLD_TDAT)
		return cli_fail("%s: a trace.dat file holds no callchain samples to draw; give "
				"folded stacks, perf.data or perf script text", name);
	if (kind != CLI_FOLD_FOLDED && o.flamechart)
		return cli_usage_error("flamegraph", "--flamechart needs folded stacks in time "
				       "order, not %s", kind == CLI_FOLD_PDAT ? "perf.data" : "perf script text");
	if (kind == CLI_FOLD_FOLDED && (kallsyms || symfs))
		return cli_usage_error("flamegraph", "--kallsyms and --symfs are for perf.data");

	ret = TK_EXIT_FAIL;
	if (kind != CLI_FOLD_FOLDED) {
		ret = cli_fold_collapse(path, kind, kallsyms, symfs, &fold);
		if (ret != TK_EXIT_OK)
			goto out;
		names = tk_fold_get_names(fold);
		stacks = tk_fold_get_stacks(fold);
		if (in.reverse) {
			if (tk_flamesvg_reverse(stacks, 0, &in.stacks, &err) < 0) {
				ret = cli_fail_err(&err);
				goto out;
			}
			stacks = in.stacks;
		}
	} else {
		if (!strcmp(path, "-"))
			ret = tk_folded_open_fd(STDIN_FILENO, name, NULL, &r, &err);
		else
			ret = tk_folded_open(path, NULL, &r, &err);
		if (ret < 0)
			return cli_fail_err(&err);
		ret = TK_EXIT_FAIL;
		in.names = tk_strtab_create(0);
		if (!in.names)
			goto oom;
		if (o.flamechart) {
			/* Input order; the total is known only at the end. */
			in.chart = tk_flamesvg_create(&o, in.names, 0, &err);
			if (!in.chart) {
				ret = cli_fail_err(&err);
				goto out;
			}
		} else {
			in.stacks = tk_stacks_create(0);
			if (!in.stacks)
				goto oom;
		}
		ret = read_folded(r, name, &in);
		if (ret != TK_EXIT_OK)
			goto out;
		names = in.names;
		stacks = in.stacks;
	}

	tk_err_set_file(&err, name);
	if (in.chart) {
		f = in.chart;
		in.chart = NULL;
	} else if (layout_sorted(stacks, names, in.root_only, &o, &f, &err) < 0) {
		ret = cli_fail_err(&err);
		goto out;
	}
	if (tk_flamesvg_finish(f, &err) < 0) {
		ret = cli_fail_err(&err);
		goto out;
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
	ret = png ? tk_flamesvg_write_png(f, out, &err) : tk_flamesvg_write(f, out, &err);
	if (out != stdout && fclose(out) && ret == 0)
		ret = tk_err_sys(&err, errno, -1, "closing the output");
	out = stdout;
	ret = ret < 0 ? cli_fail_err(&err) : TK_EXIT_OK;
	goto out;
oom:
	ret = cli_fail("out of memory");
out:
	if (out != stdout)
		fclose(out);
	tk_flamesvg_destroy(f);
	tk_flamesvg_destroy(in.chart);
	tk_stacks_destroy(in.stacks);
	tk_strtab_destroy(in.names);
	tk_fold_destroy(fold);
	free(in.ids);
	tk_folded_close(r);
	return ret;
}
