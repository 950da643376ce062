/* SPDX-License-Identifier: MIT */
/*
 * tracekit collapse: folded stacks ("comm;outer;...;leaf count") from
 * perf.data callchain samples or from `perf script` text, named as
 * FlameGraph's stackcollapse-perf.pl names them (analyze/fold.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/evfold.h"
#include "analyze/fold.h"
#include "cli/cli.h"
#include "cli/collapse.h"
#include "formats/folded.h"
#include "formats/pscript.h"

/* --comm names at most; a longer list is a usage error. */
#define MAX_COMMS 256

static void help(FILE *out)
{
	fprintf(out,
		"usage: tracekit collapse [options] [FILE|-]\n"
		"\n"
		"Fold callchain samples into one \"comm;outer;...;leaf COUNT\" line per\n"
		"unique stack, sorted: the input of flamegraph.pl. FILE is a perf.data file\n"
		"(file or pipe mode), a trace.dat file, or the text of `perf script`; without\n"
		"FILE, or with '-', standard input is read. Frames are named as FlameGraph's\n"
		"stackcollapse-perf.pl names them, and COUNT is the sum of the sample periods\n"
		"perf script prints (1 per sample when it prints none); on a trace.dat, the\n"
		"number of events with that stack trace (trace-cmd record -T).\n"
		"\n"
		"Modes (trace.dat and perf.data):\n"
		"  --off-cpu              time from each sched_switch out to the task's next\n"
		"                         switch in, under the stack of the switch-out, in\n"
		"                         microseconds (rounded to nearest; see --ns)\n"
		"  --wakeup               a task's sleep (switch-out to its wakeup) under the\n"
		"                         waker's process frame and the stack of its\n"
		"                         sched_waking (else sched_wakeup) event\n"
		"  --state LIST           --off-cpu, --wakeup: only switch-outs in these\n"
		"                         states (S,D,T,t,X,Z,P,I and R for preempted)\n"
		"  --ns                   --off-cpu, --wakeup: weights in nanoseconds\n"
		"\n"
		"Options:\n"
		"  --pid                  process frame \"comm-PID\"\n"
		"  --tid                  process frame \"comm-PID/TID\"\n"
		"  --no-comm              no process frame\n"
		"  --comm LIST            only samples of these comms (comma-separated)\n"
		"  --event NAME           only samples of event NAME (as perf script names it,\n"
		"                         e.g. cpu-clock:ppp); default: the first event type\n"
		"                         seen (--event-filter is the same); on a trace.dat,\n"
		"                         a comma-separated list (sys_enter, sched:sched_switch)\n"
		"                         whose stacks count; default: every event's\n"
		"  --cpu LIST             only events on these CPUs (\"0,2-3\"); --off-cpu: the\n"
		"                         CPU of the switch-out, --wakeup: the waker's\n"
		"  --from SECONDS, --to SECONDS\n"
		"                         only events in this time range (as report prints\n"
		"                         it); --off-cpu, --wakeup: the part of each interval\n"
		"                         inside it\n"
		"  --annotate-kernel      append _[k] to kernel frames (--kernel is the same)\n"
		"  --annotate-jit         append _[j] to /tmp/perf-PID.map frames (--jit)\n"
		"  --all                  both annotations\n"
		"  --addrs                \"[dso <ADDR>]\" for frames without a symbol\n"
		"  --kallsyms FILE        perf.data: kernel symbols from FILE\n"
		"  --symfs DIR            perf.data: look for every DSO under DIR\n"
		"  -v, --verbose          say how many samples were read and kept\n"
		"  -h, --help             this help\n"
		"\n"
		"Exit status: 0 ok, 1 bad input or I/O error, 2 usage error.\n");
}

enum {
	OPT_PID = 256,
	OPT_TID,
	OPT_NO_COMM,
	OPT_COMM,
	OPT_EVENT,
	OPT_KERNEL,
	OPT_JIT,
	OPT_ALL,
	OPT_ADDRS,
	OPT_KALLSYMS,
	OPT_SYMFS,
	OPT_OFFCPU,
	OPT_WAKEUP,
	OPT_STATE,
	OPT_CPU,
	OPT_FROM,
	OPT_TO,
	OPT_NS,
};

/* CPUs a --cpu list may name. */
#define MAX_CPUS 4096

/* "S,D" (or "SD") into TK_TASK_* bits and TK_EVFOLD_STATE_R; -1 on a bad letter. */
static int parse_states(const char *s, uint32_t *out)
{
	static const char letters[] = "SDTtXZPI";
	const char *p;

	*out = 0;
	for (; *s; s++) {
		if (*s == ',')
			continue;
		if (*s == 'R') {
			*out |= TK_EVFOLD_STATE_R;
			continue;
		}
		p = strchr(letters, *s);
		if (!p)
			return -1;
		*out |= 1u << (p - letters);
	}
	return *out ? 0 : -1;
}

enum input_kind { IN_TEXT, IN_PDAT_FILE, IN_PDAT_PIPE, IN_TDAT };

/*
 * Look at the first bytes without consuming them: pread on a regular file;
 * on a pipe, tee(2) copies what is buffered into a scratch pipe and leaves
 * the input as it is. Anything else (a terminal) is taken as text.
 */
static int sniff(int fd, const char *name, unsigned char *buf, size_t len, size_t *got,
		 bool *regular)
{
	struct stat st;

	*got = 0;
	if (fstat(fd, &st) < 0)
		return cli_fail("%s: cannot stat: %s", name, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return cli_fail("%s: is a directory, not a trace file", name);
	*regular = S_ISREG(st.st_mode);
	if (*regular) {
		ssize_t n = pread(fd, buf, len, 0);

		if (n < 0)
			return cli_fail("%s: cannot read: %s", name, strerror(errno));
		*got = (size_t)n;
		return 0;
	}
	if (S_ISFIFO(st.st_mode)) {
		int p[2];
		ssize_t n;

		if (pipe(p) < 0)
			return cli_fail("%s: cannot create a pipe: %s", name, strerror(errno));
		/* Blocks until the writer sends something or closes; a first
		 * write shorter than len is rare and then taken as text. */
		n = tee(fd, p[1], len, 0);
		if (n > 0)
			n = read(p[0], buf, (size_t)n);
		close(p[0]);
		close(p[1]);
		*got = n > 0 ? (size_t)n : 0;
	}
	return 0;
}

static enum input_kind kind_of(const unsigned char *m, size_t n, bool regular)
{
	if (n >= 10 && !memcmp(m, "\x17\x08\x44tracing", 10))
		return IN_TDAT;
	if (n >= 8 && !memcmp(m, "PERFILE2", 8))
		return regular ? IN_PDAT_FILE : IN_PDAT_PIPE;
	return IN_TEXT;
}

int cli_collapse_add(struct tk_fold *fold, struct cli_collapse_conv *c,
		     const struct tk_pscript_sample *s, struct tk_err *err)
{
	struct tk_fold_sample fs;
	size_t i;

	if (s->nframes > c->cap) {
		struct tk_fold_frame *f = realloc(c->frames, s->nframes * sizeof(*f));

		if (!f)
			return tk_err_set(err, TK_ENOMEM, s->offset, "out of memory");
		c->frames = f;
		c->cap = s->nframes;
	}
	for (i = 0; i < s->nframes; i++) {
		c->frames[i].pc = s->frames[i].pc;
		c->frames[i].sym = s->frames[i].sym;
		c->frames[i].dso = s->frames[i].dso;
	}
	fs = (struct tk_fold_sample){
		.comm = s->comm,
		.pid = s->pid,
		.tid = s->tid,
		.event = s->event,
		.event_shown = s->event_shown,
		.period = s->period,
		.frames = c->frames,
		.nframes = s->nframes,
	};
	if (tk_fold_add(fold, &fs, err) < 0) {
		err->offset = s->offset;
		return -err->code;
	}
	return 0;
}

int cli_collapse_text(int fd, const char *name, struct tk_fold *fold)
{
	const struct tk_pscript_counts *pc;
	struct cli_collapse_conv conv = { NULL, 0 };
	struct tk_pscript_reader *r;
	struct tk_pscript_sample s;
	struct tk_err err;
	int ret;

	tk_err_clear(&err);
	tk_err_set_file(&err, name);
	if (tk_pscript_open_fd(fd, name, NULL, &r, &err) < 0)
		return cli_fail_err(&err);
	while ((ret = tk_pscript_next(r, &s)) > 0) {
		ret = cli_collapse_add(fold, &conv, &s, &err);
		if (ret < 0)
			break;
	}
	free(conv.frames);
	pc = tk_pscript_get_counts(r);
	if (ret < 0)
		ret = cli_fail_err(err.code ? &err : tk_pscript_get_err(r));
	else if (pc->bad_lines && !pc->samples)
		ret = cli_fail("%s: line %" PRIu64 " (offset %" PRId64 "): not perf.data, "
			       "trace.dat or perf script text",
			       name, pc->first_bad_line, pc->first_bad_offset);
	else {
		if (pc->bad_lines)
			fprintf(stderr,
				"tracekit: %s: line %" PRIu64 " (offset %" PRId64 "): %" PRIu64
				" line%s not understood as perf script output, skipped\n",
				name, pc->first_bad_line, pc->first_bad_offset, pc->bad_lines,
				pc->bad_lines == 1 ? "" : "s");
		ret = TK_EXIT_OK;
	}
	tk_pscript_close(r);
	return ret;
}

/* Split "a,b,c" in place into names[]; returns the count or -1. */
static int split_list(char *s, const char **names, int max)
{
	int n = 0;
	char *p = s;

	for (;;) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		if (*p) {
			if (n == max)
				return -1;
			names[n++] = p;
		}
		if (!comma)
			return n;
		p = comma + 1;
	}
}

int cmd_collapse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pid", no_argument, NULL, OPT_PID },
		{ "tid", no_argument, NULL, OPT_TID },
		{ "no-comm", no_argument, NULL, OPT_NO_COMM },
		{ "comm", required_argument, NULL, OPT_COMM },
		{ "event", required_argument, NULL, OPT_EVENT },
		{ "event-filter", required_argument, NULL, OPT_EVENT },
		{ "annotate-kernel", no_argument, NULL, OPT_KERNEL },
		{ "kernel", no_argument, NULL, OPT_KERNEL },
		{ "annotate-jit", no_argument, NULL, OPT_JIT },
		{ "jit", no_argument, NULL, OPT_JIT },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "addrs", no_argument, NULL, OPT_ADDRS },
		{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
		{ "symfs", required_argument, NULL, OPT_SYMFS },
		{ "off-cpu", no_argument, NULL, OPT_OFFCPU },
		{ "wakeup", no_argument, NULL, OPT_WAKEUP },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "cpu", required_argument, NULL, OPT_CPU },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "ns", no_argument, NULL, OPT_NS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *comms[MAX_COMMS];
	struct tk_fold_opts fo = { 0 };
	const char *kallsyms = NULL, *symfs = NULL, *path = "-", *name;
	const struct tk_fold_counts *fc;
	unsigned char magic[10];
	struct tk_fold *fold;
	enum input_kind kind;
	struct tk_err err;
	bool regular = false, ns = false, filtered = false;
	static uint64_t cpus[MAX_CPUS / 64];
	struct cli_collapse_filter flt = { 0 };
	struct cli_collapse_evopts eo = { 0 };
	const char *events[MAX_COMMS];
	char *event_list = NULL;
	int mode = -1;
	size_t got;
	int opt, verbose = 0, ret, fd, n;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_PID:
			fo.pid = true;
			break;
		case OPT_TID:
			fo.tid = true;
			break;
		case OPT_NO_COMM:
			fo.no_comm = true;
			break;
		case OPT_COMM:
			n = split_list(optarg, comms + fo.ncomms, MAX_COMMS - (int)fo.ncomms);
			if (n < 0)
				return cli_usage_error("collapse", "more than %d --comm names",
						       MAX_COMMS);
			fo.ncomms += (size_t)n;
			fo.comms = comms;
			break;
		case OPT_EVENT:
			if (!*optarg)
				return cli_usage_error("collapse", "--event needs a name");
			fo.event = optarg;
			break;
		case OPT_KERNEL:
			fo.annotate_kernel = true;
			break;
		case OPT_JIT:
			fo.annotate_jit = true;
			break;
		case OPT_ALL:
			fo.annotate_kernel = fo.annotate_jit = true;
			break;
		case OPT_ADDRS:
			fo.addrs = true;
			break;
		case OPT_KALLSYMS:
			kallsyms = optarg;
			break;
		case OPT_SYMFS:
			symfs = optarg;
			break;
		case OPT_OFFCPU:
		case OPT_WAKEUP:
			n = opt == OPT_OFFCPU ? TK_EVFOLD_OFFCPU : TK_EVFOLD_WAKEUP;
			if (mode >= 0 && mode != n)
				return cli_usage_error("collapse", "--off-cpu and --wakeup exclude "
						       "each other");
			mode = n;
			break;
		case OPT_STATE:
			if (parse_states(optarg, &eo.states))
				return cli_usage_error("collapse", "bad --state list '%s' (letters "
						       "S D T t X Z P I R)", optarg);
			break;
		case OPT_CPU:
			memset(cpus, 0, sizeof(cpus));
			if (cli_parse_cpus(optarg, cpus, MAX_CPUS))
				return cli_usage_error("collapse", "bad CPU list '%s'", optarg);
			flt.cpus = cpus;
			flt.ncpubits = MAX_CPUS;
			filtered = true;
			break;
		case OPT_FROM:
		case OPT_TO:
			if (cli_parse_seconds(optarg, opt == OPT_FROM ? &flt.from : &flt.to))
				return cli_usage_error("collapse", "bad time '%s'", optarg);
			filtered = true;
			break;
		case OPT_NS:
			ns = true;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			help(stdout);
			return TK_EXIT_OK;
		default:
			return cli_usage_error("collapse", "unknown option");
		}
	}
	if (optind < argc - 1)
		return cli_usage_error("collapse", "one input file expected");
	if (optind == argc - 1)
		path = argv[optind];
	if ((eo.states || ns) && mode < 0)
		return cli_usage_error("collapse", "--state and --ns go with --off-cpu or --wakeup");
	if (mode >= 0 && fo.event)
		return cli_usage_error("collapse", "--event is for on-CPU stacks, not with %s",
				       mode == TK_EVFOLD_OFFCPU ? "--off-cpu" : "--wakeup");
	if (flt.to && flt.to < flt.from)
		return cli_usage_error("collapse", "--to is before --from");
	cli_set_verbosity(verbose);

	if (!strcmp(path, "-")) {
		fd = STDIN_FILENO;
		name = "(stdin)";
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return cli_fail("%s: cannot open: %s", path, strerror(errno));
		name = path;
	}
	ret = sniff(fd, name, magic, sizeof(magic), &got, &regular);
	if (ret)
		goto out_fd;
	kind = kind_of(magic, got, regular);
	if (kind == IN_TEXT && (mode >= 0 || filtered)) {
		/* the input, not the command line, is wrong: an empty or foreign file too */
		ret = cli_fail("%s: not a trace.dat or perf.data file (--off-cpu, --wakeup, "
			       "--cpu, --from and --to need one; perf script text has no "
			       "sched_switch times)", name);
		goto out_fd;
	}
	if (kind == IN_TDAT && !regular) {
		ret = cli_fail("%s: a trace.dat must be read from a file, not a pipe", name);
		goto out_fd;
	}
	tk_err_clear(&err);
	fold = tk_fold_create(&fo, &err);
	if (!fold) {
		ret = cli_fail("out of memory");
		goto out_fd;
	}
	eo.mode = mode >= 0 ? mode : TK_EVFOLD_ONCPU;
	eo.flt = &flt;
	eo.kallsyms = kallsyms;
	eo.symfs = symfs;
	eo.verbose = verbose > 0;
	if (kind == IN_TDAT && fo.event) {
		/* a list of trace events whose stacks count */
		event_list = strdup(fo.event);
		n = event_list ? split_list(event_list, events, MAX_COMMS) : -1;
		if (n < 0) {
			ret = cli_fail("out of memory or too many --event names");
			goto out_fold;
		}
		eo.events = events;
		eo.nevents = (size_t)n;
	}
	if (kind == IN_TEXT)
		ret = cli_collapse_text(fd, name, fold);
	else if (kind == IN_TDAT || mode >= 0)
		ret = cli_collapse_events(strcmp(path, "-") ? path : "/dev/stdin", name,
					  kind == IN_PDAT_PIPE ? fd : -1, kind != IN_TDAT, fold, &eo);
	else
		ret = cli_collapse_pdat(strcmp(path, "-") ? path : "/dev/stdin", name,
					kind == IN_PDAT_PIPE ? fd : -1, fold, kallsyms, symfs,
					fo.pid || fo.tid, filtered ? &flt : NULL);
	if (kind == IN_TDAT || mode >= 0) {
		/* the perf sample counts below do not apply */
		if (ret == TK_EXIT_OK) {
			tk_err_clear(&err);
			tk_err_set_file(&err, "(stdout)");
			if (tk_folded_write_div(stdout, tk_fold_get_stacks(fold),
						tk_fold_get_names(fold),
						mode >= 0 && !ns ? 1000 : 1, &err) < 0)
				ret = cli_fail_err(&err);
		}
		goto out_fold;
	}
	fc = tk_fold_get_counts(fold);
	if (ret == TK_EXIT_OK) {
		tk_err_clear(&err);
		tk_err_set_file(&err, "(stdout)");
		if (tk_folded_write(stdout, tk_fold_get_stacks(fold), tk_fold_get_names(fold),
				    &err) < 0)
			ret = cli_fail_err(&err);
	}
	if (ret == TK_EXIT_OK && fc->event_defaulted && fc->other_event)
		fprintf(stderr,
			"tracekit: %s: several event types; kept only %s, the first "
			"(%" PRIu64 " samples of others dropped; see --event)\n",
			name, fc->event, fc->other_event);
	if (ret == TK_EXIT_OK && fc->samples && !fc->kept && (fc->other_event || fc->other_comm))
		/* an --event or --comm that matches nothing is likely a typo */
		fprintf(stderr,
			"tracekit: %s: no sample kept (%" PRIu64 " of other events, %" PRIu64
			" of other comms)\n",
			name, fc->other_event, fc->other_comm);
	if (ret == TK_EXIT_OK && verbose)
		fprintf(stderr,
			"tracekit: %s: %" PRIu64 " samples, %" PRIu64 " kept, %" PRIu64
			" of other events, %" PRIu64 " of other comms\n",
			name, fc->samples, fc->kept, fc->other_event, fc->other_comm);
out_fold:
	free(event_list);
	tk_fold_destroy(fold);
out_fd:
	if (fd != STDIN_FILENO)
		close(fd);
	return ret;
}
