/* SPDX-License-Identifier: MIT */
/*
 * Inputs of the stack commands (flamegraph, diff): folded text, or a
 * recording collapsed first as `tracekit collapse FILE` does.
 */
#include "cli/fold-input.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/fold.h"
#include "cli/cli.h"
#include "cli/collapse.h"
#include "render/flamesvg.h"

/* Whether a line is a perf script callchain entry: "<blanks>ADDR SYM (DSO)". */
static bool callchain_line(const char *s, size_t len)
{
	size_t i = 0, hex = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (i + hex < len && ((s[i + hex] >= '0' && s[i + hex] <= '9') ||
				 (s[i + hex] >= 'a' && s[i + hex] <= 'f')))
		hex++;
	return i > 0 && hex > 0 && i + hex < len && s[i + hex] == ' ' && s[len - 1] == ')';
}

/*
 * What a file holds: perf.data and trace.dat by their magic; perf script
 * text by a callchain line in its first 64 KiB; anything else, and what is
 * not a regular file (a pipe), is read as folded stacks, whose reader
 * reports what is wrong with it.
 */
enum cli_fold_kind cli_fold_sniff(const char *path)
{
	enum cli_fold_kind kind = CLI_FOLD_FOLDED;
	char *buf = malloc(65536);
	struct stat st;
	ssize_t n = -1;
	size_t i = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd >= 0 && buf && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = pread(fd, buf, 65536, 0);
	if (fd >= 0)
		close(fd);
	if (n >= 10 && !memcmp(buf, "\x17\x08\x44tracing", 10))
		kind = CLI_FOLD_TDAT;
	else if (n >= 8 && (!memcmp(buf, "PERFILE2", 8) || !memcmp(buf, "2ELIFREP", 8)))
		kind = CLI_FOLD_PDAT;
	while (kind == CLI_FOLD_FOLDED && n > 0 && i < (size_t)n) {
		char *nl = memchr(buf + i, '\n', (size_t)n - i);
		size_t end = nl ? (size_t)(nl - buf) : (size_t)n;

		if (callchain_line(buf + i, end - i))
			kind = CLI_FOLD_PSCRIPT;
		if (!nl)
			break;
		i = end + 1;
	}
	free(buf);
	return kind;
}

/* perf script text into fold, through collapse's reader. Prints errors; exit code. */
static int collapse_pscript(const char *path, struct tk_fold *fold)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return cli_fail("%s: cannot open: %s", path, strerror(errno));
	ret = cli_collapse_text(fd, path, fold);
	close(fd);
	return ret;
}

/* A perf.data file or perf script text, collapsed as `tracekit collapse` does. */
int cli_fold_collapse(const char *path, enum cli_fold_kind kind, const char *kallsyms,
		    const char *symfs, struct tk_fold **out)
{
	const struct tk_fold_counts *fc;
	struct tk_fold_opts fo = { 0 };
	struct tk_fold *fold;
	struct tk_err err;
	int ret;

	tk_err_clear(&err);
	fold = tk_fold_create(&fo, &err);
	if (!fold)
		return cli_fail("out of memory");
	if (kind == CLI_FOLD_PDAT && !cli_collapse_has_pdat)
		ret = cli_fail("%s: perf.data is not readable in this build", path);
	else if (kind == CLI_FOLD_PDAT)
		ret = cli_collapse_pdat(path, path, -1, fold, kallsyms, symfs, false, NULL);
	else
		ret = collapse_pscript(path, fold);
	if (ret != TK_EXIT_OK) {
		tk_fold_destroy(fold);
		return ret;
	}
	fc = tk_fold_get_counts(fold);
	if (fc->event_defaulted && fc->other_event)
		fprintf(stderr,
			"tracekit: %s: several event types; kept only %s, the first "
			"(%" PRIu64 " samples of others dropped; see tracekit collapse --event)\n",
			path, fc->event, fc->other_event);
	*out = fold;
	return TK_EXIT_OK;
}

/* flamegraph.pl's /^([0-9.]+)%?$/. */
int cli_parse_minwidth(const char *s, struct tk_flamesvg_opts *o)
{
	size_t n = strlen(s);
	char buf[64];

	if (!n || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n + 1);
	o->minwidth_pct = buf[n - 1] == '%';
	if (o->minwidth_pct)
		buf[--n] = 0;
	if (!n || strspn(buf, "0123456789.") != n)
		return -1;
	return cli_parse_double(buf, 0, o->minwidth_pct ? 100 : 1e9, &o->minwidth);
}
