/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "cli/cli.h"

static int verbosity;

void cli_set_verbosity(int v)
{
	verbosity = v;
	tep_set_loglevel(v >= 2 ? TEP_LOG_ALL : v == 1 ? TEP_LOG_WARNING : TEP_LOG_ERROR);
}

/*
 * libtraceevent prints its messages through this weak hook; ours sends
 * them to stderr with our prefix, never to stdout where reports go.
 */
int tep_vprint(const char *name, enum tep_loglevel level, bool print_err, const char *fmt,
	       va_list ap) __attribute__((format(printf, 4, 0)));
int tep_vprint(const char *name, enum tep_loglevel level, bool print_err, const char *fmt,
	       va_list ap)
{
	int ret;

	(void)print_err;
	if ((level > TEP_LOG_ERROR && verbosity < 1) || (level > TEP_LOG_WARNING && verbosity < 2))
		return 0;
	fprintf(stderr, "tracekit: %s: ", name ? name : "libtraceevent");
	ret = vfprintf(stderr, fmt, ap);
	if (!*fmt || fmt[strlen(fmt) - 1] != '\n')
		fputc('\n', stderr);
	return ret;
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("tracekit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return TK_EXIT_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tracekit: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'tracekit %s --help')\n", cmd);
	return TK_EXIT_USAGE;
}

int cli_fail_err(const struct tk_err *err)
{
	char buf[768];

	tk_err_format(err, buf, sizeof(buf));
	fprintf(stderr, "tracekit: %s\n", buf);
	return TK_EXIT_FAIL;
}

int cli_detect(const char *path, enum cli_input_kind *kind)
{
	unsigned char m[10] = { 0 };
	struct stat st;
	ssize_t n;
	int fd;

	*kind = CLI_INPUT_UNKNOWN;
	/* O_NONBLOCK: a FIFO given by mistake must not hang us in open(). */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		cli_fail("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		cli_fail("%s: %s, not a trace file", path,
			 S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		return -1;
	}
	n = read(fd, m, sizeof(m));
	close(fd);
	if (n < 0) {
		cli_fail("%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	if (n == 0) {
		cli_fail("%s: offset 0 (0x0): empty file, not a trace", path);
		return -1;
	}
	if (n >= 10 && !memcmp(m, "\x17\x08\x44tracing", 10))
		*kind = CLI_INPUT_TDAT;
	else if (n >= 8 && (!memcmp(m, "PERFILE2", 8) || !memcmp(m, "2ELIFREP", 8)))
		*kind = CLI_INPUT_PDAT;
	return 0;
}

int cli_parse_cpus(const char *s, uint64_t *bits, int nbits)
{
	memset(bits, 0, (size_t)(nbits + 63) / 64 * sizeof(*bits));
	while (*s) {
		char *end;
		long a = strtol(s, &end, 10), b;

		if (end == s || a < 0 || a >= nbits)
			return -1;
		b = a;
		s = end;
		if (*s == '-') {
			b = strtol(s + 1, &end, 10);
			if (end == s + 1 || b < a || b >= nbits)
				return -1;
			s = end;
		}
		for (; a <= b; a++)
			bits[a / 64] |= 1ull << (a % 64);
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return 0;
}

int cli_parse_seconds(const char *s, uint64_t *ns)
{
	uint64_t sec = 0, frac = 0, scale = 1000000000ull;
	const char *p = s;

	if (!*p)
		return -1;
	while (*p >= '0' && *p <= '9') {
		if (sec > 18000000000ull)
			return -1;
		sec = sec * 10 + (uint64_t)(*p++ - '0');
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*p - '0') * scale;
			}
			p++;
		}
	}
	if (*p || p == s)
		return -1;
	*ns = sec * 1000000000ull + frac;
	return 0;
}

#include "formats/tdat.h"

/*
 * Two failures that arrive as signals rather than return values: a print
 * format that divides by a record field holding 0 (libtraceevent 1.7 does
 * not check; SIGFPE) and a mapped input file truncated under us (SIGBUS).
 * Both end the run the way any bad input does: one line, exit 1. The
 * message is built before, since only write() is safe in the handler.
 */
static char guard_msg[2][600];

static void guard_handler(int sig)
{
	const char *m = guard_msg[sig == SIGBUS];
	ssize_t ignored = write(STDERR_FILENO, m, strlen(m));

	(void)ignored;
	_exit(TK_EXIT_FAIL);
}

void cli_guard_input(const char *path)
{
	struct sigaction sa;

	snprintf(guard_msg[0], sizeof(guard_msg[0]),
		 "tracekit: %s: an event print format in the file divides by zero "
		 "(libtraceevent cannot evaluate it)\n", path);
	snprintf(guard_msg[1], sizeof(guard_msg[1]),
		 "tracekit: %s: the file became shorter while it was being read\n", path);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = guard_handler;
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

int cli_open_tdat(const char *path, const struct tk_tdat_opts *opts, struct tk_tdat_reader **out)
{
	enum cli_input_kind kind;
	struct tk_err err;
	int ret;

	*out = NULL;
	if (cli_detect(path, &kind) < 0)
		return TK_EXIT_FAIL;
	if (kind == CLI_INPUT_PDAT)
		return cli_fail("%s: perf.data input is not supported yet", path);
	/* Anything else goes to the trace.dat reader, whose error names the
	 * offset where the file stops making sense. */
	tk_err_clear(&err);
	tk_err_set_file(&err, path);
	cli_guard_input(path);
	ret = tk_tdat_open(path, opts, out, &err);
	if (ret < 0)
		return cli_fail_err(&err);
	return TK_EXIT_OK;
}

int cli_fail_tdat(const struct tk_tdat_reader *r)
{
	return cli_fail_err(tk_tdat_get_err(r));
}

int cli_parse_int(const char *s, int min, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

int cli_parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= min && v <= max))
		return -1;
	*out = v;
	return 0;
}
