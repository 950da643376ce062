/* SPDX-License-Identifier: MIT */
/*
 * tracekit-record: the small recorder. This file is its front end (options,
 * signals, messages); record/rec.c does the work and never prints.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record/rec.h"

#ifndef TK_VERSION
#define TK_VERSION "0.0.0"
#endif

enum { EXIT_USAGE = 2 };

/*
 * The one global: the count of SIGINT/SIGTERM received. A signal handler
 * can only communicate through an object of static storage duration, and
 * volatile sig_atomic_t is the only type C guarantees for that. The
 * recorder reads it through a pointer in its options, so library code
 * holds no global of its own.
 */
static volatile sig_atomic_t rec_signals;

static void on_stop_signal(int sig)
{
	(void)sig;
	if (rec_signals < 100)
		rec_signals++;
}

/* SIGCHLD only has to interrupt the main thread's poll(). */
static void on_child(int sig)
{
	(void)sig;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop_signal;	/* no SA_RESTART: poll() must return */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* prog: "tracekit record" when run through tracekit, else tracekit-record */
static void usage(FILE *out, const char *prog)
{
	fprintf(out, "usage: %s [OPTIONS] [-- COMMAND [ARGS...]]\n", prog);
	fprintf(out,
		"\n"
		"Record ftrace events into a trace.dat file (read by tracekit and trace-cmd),\n"
		"in a tracefs instance of its own, until COMMAND exits, -d expires, -m is\n"
		"reached, the disk is full, or SIGINT/SIGTERM (a second one stops waiting for\n"
		"the buffers to drain; the file is valid either way).\n"
		"\n"
		"Options:\n"
		"  -e, --event SYSTEM:EVENT  record these events (globs; SYSTEM alone = all of\n"
		"                            it; EVENT alone = in any system); repeatable\n"
		"  -f, --filter FILTER       kernel filter for the events of the previous -e\n"
		"  -T, --stacktrace          a kernel stack trace with every event\n"
		"  -b, --buffer KB           per-CPU ring buffer size in KiB\n"
		"  -C, --clock CLOCK         trace clock (local, global, mono, perf, ...)\n"
		"  -o, --output FILE         output file (default trace.dat)\n"
		"  -d, --duration SECONDS    stop after this long\n"
		"  -m, --max-size MB         stop when this much trace data was taken\n"
		"      --compression C       zstd (default), zlib or none (v7 only)\n"
		"      --file-version V      7 (default) or 6 (uncompressed)\n"
		"  -p, --tracer TRACER       only 'nop': this recorder takes events\n"
		"      --kprobe SPEC         kprobes (only where the kernel has kprobe_events)\n"
		"  -q, --quiet               no summary line\n"
		"  -h, --help                this help\n"
		"      --version             print the version\n");
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tracekit-record: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'tracekit-record --help')\n");
	return EXIT_USAGE;
}

static int done(void *events, int code)
{
	free(events);
	return code;
}

static void log_line(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "tracekit-record: %s\n", msg);
}

static int parse_number(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

static void print_summary(const char *out, const struct tk_rec_summary *s)
{
	char why[128];
	int i;

	if (s->reason == TK_REC_STOP_COMMAND && s->command_status >= 0) {
		if (WIFEXITED(s->command_status))
			snprintf(why, sizeof(why), "command exited (status %d)",
				 WEXITSTATUS(s->command_status));
		else if (WIFSIGNALED(s->command_status))
			snprintf(why, sizeof(why), "command killed by signal %d",
				 WTERMSIG(s->command_status));
		else
			snprintf(why, sizeof(why), "command exited");
	} else if (s->reason == TK_REC_STOP_NOSPACE || s->reason == TK_REC_STOP_ERROR) {
		snprintf(why, sizeof(why), "%s (%s)", tk_rec_stop_name(s->reason),
			 strerror(s->stop_errno));
	} else {
		snprintf(why, sizeof(why), "%s", tk_rec_stop_name(s->reason));
	}
	fprintf(stderr, "tracekit-record: %s: %" PRIu64 " events, %" PRIu64 " bytes; lost:", out,
		s->events, s->file_bytes);
	for (i = 0; i < s->ncpus; i++)
		fprintf(stderr, " cpu%d %" PRIu64 "%s", s->cpus[i].cpu,
			s->cpus[i].overrun + s->cpus[i].dropped,
			s->cpus[i].missed_pages ? " (pages marked lost)" : "");
	fprintf(stderr, "; stopped: %s\n", why);
}

int main(int argc, char **argv)
{
	enum { OPT_COMPRESSION = 256, OPT_FILE_VERSION, OPT_KPROBE, OPT_VERSION };
	static const struct option longopts[] = {
		{ "event", required_argument, NULL, 'e' },
		{ "filter", required_argument, NULL, 'f' },
		{ "stacktrace", no_argument, NULL, 'T' },
		{ "buffer", required_argument, NULL, 'b' },
		{ "clock", required_argument, NULL, 'C' },
		{ "output", required_argument, NULL, 'o' },
		{ "duration", required_argument, NULL, 'd' },
		{ "max-size", required_argument, NULL, 'm' },
		{ "compression", required_argument, NULL, OPT_COMPRESSION },
		{ "file-version", required_argument, NULL, OPT_FILE_VERSION },
		{ "tracer", required_argument, NULL, 'p' },
		{ "kprobe", required_argument, NULL, OPT_KPROBE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct tk_rec_opts o = { 0 };
	struct tk_rec_event *events;
	struct tk_rec_summary sum;
	struct tk_err err;
	struct tk_rec *r;
	bool quiet = false, codec_given = false;
	double v;
	int c, ret;

	tk_err_clear(&err);
	events = calloc((size_t)argc, sizeof(*events));
	if (!events)
		return 1;
	o.output = "trace.dat";
	o.version = 7;
	o.codec = TK_TDATW_ZSTD;
	o.events = events;
	o.signals = &rec_signals;
	o.log = log_line;

	while ((c = getopt_long(argc, argv, "+e:f:Tb:C:o:d:m:p:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			events[o.nevents++].pattern = optarg;
			break;
		case 'f':
			if (!o.nevents)
				return done(events, usage_error("-f '%s' needs an -e before it", optarg));
			events[o.nevents - 1].filter = optarg;
			break;
		case 'T':
			o.stacktrace = true;
			break;
		case 'b':
			if (parse_number(optarg, &v) || v < 1 || v > (1 << 22))
				return done(events, usage_error("-b wants a size in KiB, not '%s'", optarg));
			o.buffer_kb = (unsigned long)v;
			break;
		case 'C':
			o.clock = optarg;
			break;
		case 'o':
			o.output = optarg;
			break;
		case 'd':
			if (parse_number(optarg, &v) || v <= 0)
				return done(events, usage_error("-d wants seconds, not '%s'", optarg));
			o.duration = v;
			break;
		case 'm':
			if (parse_number(optarg, &v) || v <= 0)
				return done(events, usage_error("-m wants megabytes, not '%s'", optarg));
			o.max_bytes = (uint64_t)(v * 1024 * 1024);
			break;
		case OPT_COMPRESSION:
			codec_given = true;
			if (!strcmp(optarg, "zstd"))
				o.codec = TK_TDATW_ZSTD;
			else if (!strcmp(optarg, "zlib"))
				o.codec = TK_TDATW_ZLIB;
			else if (!strcmp(optarg, "none"))
				o.codec = TK_TDATW_NONE;
			else
				return done(events, usage_error("--compression is zstd, zlib or none, not '%s'",
						   optarg));
			break;
		case OPT_FILE_VERSION:
			if (!strcmp(optarg, "6"))
				o.version = 6;
			else if (!strcmp(optarg, "7"))
				o.version = 7;
			else
				return done(events, usage_error("--file-version is 6 or 7, not '%s'", optarg));
			break;
		case 'p':
			if (strcmp(optarg, "nop"))
				return done(events, usage_error(
					"tracer '%s' is not supported: tracekit-record records "
					"events (-e); the function tracers need a kernel that allows "
					"them (this one's ftrace_enabled is read-only under lockdown)",
					optarg));
			break;
		case OPT_KPROBE:
			if (access("/sys/kernel/tracing/kprobe_events", F_OK) != 0) {
				fprintf(stderr,
					"tracekit-record: --kprobe %s: this kernel has no kprobe_events "
					"(built without CONFIG_KPROBE_EVENTS, or hidden by lockdown); "
					"kprobes cannot be recorded here (uprobes can)\n",
					optarg);
				return done(events, 1);
			}
			fprintf(stderr, "tracekit-record: --kprobe is not implemented yet\n");
			return done(events, 1);
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout, strcmp(argv[0], "tracekit record") ? "tracekit-record"
									 : "tracekit record");
			return done(events, 0);
		case OPT_VERSION:
			printf("tracekit-record %s\n", TK_VERSION);
			return done(events, 0);
		default:
			fprintf(stderr, "tracekit-record: see 'tracekit-record --help'\n");
			return done(events, EXIT_USAGE);
		}
	}
	if (o.version == 6) {
		if (codec_given && o.codec != TK_TDATW_NONE)
			return done(events, usage_error("%s", "version 6 files cannot be compressed "
					   "(use --compression none or --file-version 7)"));
		o.codec = TK_TDATW_NONE;
	}
	if (optind < argc)
		o.argv = argv + optind;
	if (!o.nevents)
		return done(events, usage_error("%s", "no events to record: give at least one -e SYSTEM:EVENT"));

	install_signals();
	r = tk_rec_create(&o, &err);
	if (!r) {
		fprintf(stderr, "tracekit-record: %s\n", err.msg);
		free(events);
		return 1;
	}
	ret = tk_rec_run(r, &sum, &err);
	if (ret) {
		fprintf(stderr, "tracekit-record: %s\n", err.msg);
	} else if (!quiet) {
		print_summary(o.output, &sum);
	}
	tk_rec_destroy(r);
	free(events);
	return ret ? 1 : 0;
}
