/* SPDX-License-Identifier: MIT */
/*
 * tracekit report: the events of a trace.dat, line for line as
 * `trace-cmd report` prints them (same columns, widths, order, drop marks),
 * so the two can be diffed.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "cli/cli.h"
#include "cli/report-fast.h"
#include "cli/report-perf.h"
#include "formats/tdat.h"

#define REPORT_MAX_FILTERS 64
#define REPORT_MAX_CPUS 65536

static void help(FILE *out)
{
	fprintf(out,
		"usage: tracekit report [options] FILE\n"
		"\n"
		"Print the events of a trace.dat file in time order, exactly as\n"
		"'trace-cmd report FILE' prints them; or the samples and tracepoint\n"
		"events of a perf.data file as 'perf script' prints them (FILE '-'\n"
		"reads a pipe-mode perf.data from stdin).\n"
		"\n"
		"Options:\n"
		"  --cpu LIST            only these CPUs, e.g. 0,2-3\n"
		"  -F, --filter FILTER   only events matching FILTER: EVENT[:EXPR] in\n"
		"                        libtraceevent filter syntax, e.g.\n"
		"                        'sched_switch:prev_pid==0' (repeatable: any may match)\n"
		"  --from SECONDS        start at this timestamp (as printed)\n"
		"  --to SECONDS          stop after this timestamp\n"
		"  -t                    full nanosecond timestamps\n"
		"  -R, --raw             raw field values instead of print formats\n"
		"\n"
		"perf.data only:\n"
		"  --fields SPEC         fields as perf script -F: [TYPE:]f1,f2 or +f/-f;\n"
		"                        TYPE hw, sw, trace, raw; fields comm, tid, pid,\n"
		"                        time, cpu, event, trace, ip, sym, symoff, dso,\n"
		"                        period, addr\n"
		"  --kallsyms FILE       kernel symbols from FILE (default: /proc/kallsyms\n"
		"                        when the recording's kernel release is running)\n"
		"  --symfs DIR           look for the recorded DSO paths under DIR\n"
		"  --ns                  nanosecond timestamps (perf script --ns)\n"
		"  -v, --verbose         show libtraceevent warnings (twice: debug)\n"
		"  -h, --help            this help\n");
}

struct report {
	struct tep_handle *tep;
	struct tep_event_filter *filters[REPORT_MAX_FILTERS];
	int nfilters;
	int kstack_id, ustack_id;
	bool *last_printed;
	int ncpus;
};

/*
 * trace-cmd's filter rule: an event passes if any filter matches it; a
 * kernel/user stack trace record passes when the event before it on the
 * same CPU was printed, so stacks stay with their events.
 */
static bool passes(struct report *rp, struct tep_record *rec)
{
	bool found = false;
	int i;

	if (!rp->nfilters)
		return true;
	for (i = 0; i < rp->nfilters; i++) {
		int ret = tep_filter_match(rp->filters[i], rec);

		if (ret == TEP_ERRNO__NO_FILTER || ret == TEP_ERRNO__FILTER_MATCH) {
			found = true;
			break;
		}
	}
	if (!found) {
		int id = tep_data_type(rp->tep, rec);
		bool stack = (rp->kstack_id >= 0 && id == rp->kstack_id) ||
			     (rp->ustack_id >= 0 && id == rp->ustack_id);

		if (!stack || rec->cpu < 0 || rec->cpu >= rp->ncpus || !rp->last_printed[rec->cpu])
			return false;
	}
	if (rec->cpu >= 0 && rec->cpu < rp->ncpus)
		rp->last_printed[rec->cpu] = true;
	return true;
}

static int setup_filters(struct report *rp, char **strs, int n)
{
	struct tep_event *ev;
	int i;

	rp->kstack_id = rp->ustack_id = -1;
	ev = tep_find_event_by_name(rp->tep, "ftrace", "kernel_stack");
	if (ev)
		rp->kstack_id = ev->id;
	ev = tep_find_event_by_name(rp->tep, "ftrace", "user_stack");
	if (ev)
		rp->ustack_id = ev->id;
	for (i = 0; i < n; i++) {
		struct tep_event_filter *f = tep_filter_alloc(rp->tep);
		enum tep_errno ret;

		if (!f)
			return cli_fail("out of memory");
		rp->filters[rp->nfilters++] = f;
		ret = tep_filter_add_filter_str(f, strs[i]);
		if (ret < 0) {
			char buf[256];

			if (tep_filter_strerror(f, ret, buf, sizeof(buf)) < 0)
				snprintf(buf, sizeof(buf), "cannot parse");
			return cli_usage_error("report", "filter '%s': %s", strs[i], buf);
		}
	}
	return 0;
}

static size_t put_uint(char *b, unsigned long long v, int width, char pad)
{
	char tmp[24];
	size_t n = 0, i = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (; (int)n + (int)i < width; i++)
		b[i] = pad;
	while (n)
		b[i++] = tmp[--n];
	return i;
}

/*
 * "%16s-%-5d [%03d] %5llu.%06llu:" (or ".%09llu" for ns), as libtraceevent
 * prints trace-cmd's columns: the time in us is rounded to nearest.
 */
static size_t put_prefix(char *b, const char *comm, int pid, int cpu, unsigned long long ts,
			 bool usecs)
{
	size_t n = 0, cl = strlen(comm);
	unsigned long long div = usecs ? 1000000ull : 1000000000ull;
	size_t start;

	if (cl > 256)
		cl = 256;
	for (; cl + n < 16; n++)
		b[n] = ' ';
	memcpy(b + n, comm, cl);
	n += cl;
	b[n++] = '-';
	start = n;
	if (pid < 0) {
		b[n++] = '-';
		n += put_uint(b + n, 0ull - (unsigned long long)(long long)pid, 0, ' ');
	} else {
		n += put_uint(b + n, (unsigned long long)pid, 0, ' ');
	}
	while (n - start < 5)
		b[n++] = ' ';
	b[n++] = ' ';
	b[n++] = '[';
	if (cpu < 0) {
		b[n++] = '-';
		n += put_uint(b + n, 0ull - (unsigned long long)(long long)cpu, 2, '0');
	} else {
		n += put_uint(b + n, (unsigned long long)cpu, 3, '0');
	}
	b[n++] = ']';
	b[n++] = ' ';
	if (usecs)
		ts = (ts + 500) / 1000;
	n += put_uint(b + n, ts / div, 5, ' ');
	b[n++] = '.';
	n += put_uint(b + n, ts % div, usecs ? 6 : 9, '0');
	b[n++] = ':';
	return n;
}

/* " NAME: " then spaces up to 20 name columns (trace-cmd's layout). */
static size_t put_name(char *b, size_t n, const char *name)
{
	size_t l = strlen(name);

	if (l > 1024)
		l = 1024;
	b[n++] = ' ';
	memcpy(b + n, name, l);
	n += l;
	b[n++] = ':';
	b[n++] = ' ';
	for (; l < 20; l++)
		b[n++] = ' ';
	return n;
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cpu", required_argument, NULL, 'c' },
		{ "filter", required_argument, NULL, 'F' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 'T' },
		{ "raw", no_argument, NULL, 'R' },
		{ "fields", required_argument, NULL, 'E' },
		{ "kallsyms", required_argument, NULL, 'K' },
		{ "symfs", required_argument, NULL, 'S' },
		{ "ns", no_argument, NULL, 'N' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *filter_strs[REPORT_MAX_FILTERS];
	int nfilter_strs = 0, verbose = 0, opt, ret = TK_EXIT_OK, i;
	uint64_t *cpus = NULL, from = 0, to = UINT64_MAX;
	bool nsec = false, raw = false;
	const struct tk_tdat_info *info;
	struct tk_tdat_reader *r = NULL;
	struct report rp = { 0 };
	enum { TFMT_USECS, TFMT_NSECS, TFMT_RAW } tfmt;
	const char *names[TK_TDAT_MAX_BUFFERS_PUBLIC];
	struct tk_tdat_rec tr;
	struct trace_seq s;
	struct report_fast *fast = NULL;
	static char line[16384];
	int name_width = 0;
	struct report_perf_opts po = { 0 };
	enum cli_input_kind kind = CLI_INPUT_UNKNOWN;
	bool tdat_only = false;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "F:tRvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			free(cpus);
			cpus = calloc(REPORT_MAX_CPUS / 64, sizeof(*cpus));
			if (!cpus)
				return cli_fail("out of memory");
			if (cli_parse_cpus(optarg, cpus, REPORT_MAX_CPUS)) {
				free(cpus);
				return cli_usage_error("report", "bad CPU list '%s'", optarg);
			}
			break;
		case 'F':
			if (nfilter_strs == REPORT_MAX_FILTERS)
				return cli_usage_error("report", "more than %d filters",
						       REPORT_MAX_FILTERS);
			filter_strs[nfilter_strs++] = optarg;
			tdat_only = true;
			break;
		case 'f':
			if (cli_parse_seconds(optarg, &from))
				return cli_usage_error("report", "bad time '%s'", optarg);
			break;
		case 'T':
			if (cli_parse_seconds(optarg, &to))
				return cli_usage_error("report", "bad time '%s'", optarg);
			break;
		case 't':
			nsec = true;
			break;
		case 'R':
			raw = true;
			tdat_only = true;
			break;
		case 'E':
			po.fields = optarg;
			break;
		case 'K':
			po.kallsyms = optarg;
			break;
		case 'S':
			po.symfs = optarg;
			break;
		case 'N':
			po.ns = true;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			help(stdout);
			return TK_EXIT_OK;
		default:
			free(cpus);
			return cli_usage_error("report", "unknown option");
		}
	}
	if (optind != argc - 1) {
		free(cpus);
		return cli_usage_error("report", optind >= argc ? "no input file" : "one input file expected");
	}
	cli_set_verbosity(verbose);
	if (strcmp(argv[optind], "-") && cli_detect(argv[optind], &kind) < 0) {
		free(cpus);
		return TK_EXIT_FAIL;
	}
	if (!strcmp(argv[optind], "-") || kind == CLI_INPUT_PDAT) {
		if (tdat_only) {
			free(cpus);
			return cli_usage_error("report", "-F/--filter and -R are for trace.dat files "
						"(see --fields for perf.data)");
		}
		po.cpus = cpus;
		po.from = from;
		po.to = to;
		ret = report_perf(argv[optind], &po);
		free(cpus);
		return ret;
	}
	if (po.fields || po.kallsyms || po.symfs || po.ns) {
		free(cpus);
		return cli_usage_error("report", "--fields, --kallsyms, --symfs and --ns are for "
					"perf.data files");
	}
	ret = cli_open_tdat(argv[optind], NULL, &r);
	if (ret) {
		free(cpus);
		return ret;
	}
	info = tk_tdat_get_info(r);
	rp.tep = tk_tdat_get_tep(r);
	rp.ncpus = info->ncpus;
	rp.last_printed = calloc(rp.ncpus > 0 ? (size_t)rp.ncpus : 1, 1);
	if (!rp.last_printed) {
		ret = cli_fail("out of memory");
		goto out;
	}
	ret = setup_filters(&rp, filter_strs, nfilter_strs);
	if (ret)
		goto out;
	if (cpus)
		tk_tdat_select_cpus(r, cpus, REPORT_MAX_CPUS);
	if (nsec)
		tep_set_flag(rp.tep, TEP_NSEC_OUTPUT);
	if (info->in_usecs)
		tfmt = nsec ? TFMT_NSECS : TFMT_USECS;
	else
		tfmt = TFMT_RAW;
	/* With extra buffers, trace-cmd prefixes each line with its buffer name. */
	for (i = 0; i < info->nbuffers && i < TK_TDAT_MAX_BUFFERS_PUBLIC; i++) {
		names[i] = tk_tdat_get_buffer(r, i)->name;
		if ((int)strlen(names[i]) > name_width)
			name_width = (int)strlen(names[i]);
	}

	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	printf("cpus=%d\n", info->ncpus);
	trace_seq_init(&s);
	fast = report_fast_create(rp.tep);	/* NULL: everything the slow way */
	while ((ret = tk_tdat_next(r, &tr)) > 0) {
		struct tep_record *rec = tr.rec;
		struct tep_event *ev;
		size_t n;

		if (rec->ts < from)
			continue;
		if (rec->ts > to)
			break;
		if (!passes(&rp, rec))
			continue;
		if (rec->missed_events > 0)
			printf("CPU:%d [%lld EVENTS DROPPED]\n", rec->cpu, rec->missed_events);
		else if (rec->missed_events < 0)
			printf("CPU:%d [EVENTS DROPPED]\n", rec->cpu);
		if (info->nbuffers > 1) {
			const char *bn = tr.buffer < TK_TDAT_MAX_BUFFERS_PUBLIC ? names[tr.buffer] : "";

			if (*bn)
				printf("%*s: ", name_width, bn);
			else
				printf("%*s  ", name_width, "");
		}
		ev = tep_find_event_by_record(rp.tep, rec);
		if (ev && tfmt != TFMT_RAW) {
			/* the columns trace-cmd asks libtraceevent for, formatted here */
			int pid = tep_data_pid(rp.tep, rec);

			n = put_prefix(line, tep_data_comm_from_pid(rp.tep, pid), pid, rec->cpu,
				       rec->ts, tfmt == TFMT_USECS);
		} else {
			/* a raw clock, or an unknown event (which libtraceevent
			 * prints as "[UNKNOWN EVENT]" whatever the format) */
			trace_seq_reset(&s);
			tep_print_event(rp.tep, &s, rec, "%16s-%-5d [%03d]", TEP_PRINT_COMM,
					TEP_PRINT_PID, TEP_PRINT_CPU);
			tep_print_event(rp.tep, &s, rec, "%12d:", TEP_PRINT_TIME);
			fwrite(s.buffer, 1, s.len, stdout);
			n = 0;
		}
		n = put_name(line, n, ev ? ev->name : "(NULL)");
		if (ev && !raw && fast && report_fast_info(fast, ev, rec, line, sizeof(line) - 1, &n)) {
			line[n++] = '\n';
			fwrite(line, 1, n, stdout);
			continue;
		}
		fwrite(line, 1, n, stdout);
		trace_seq_reset(&s);
		tep_print_event(rp.tep, &s, rec, "%s", raw ? TEP_PRINT_INFO_RAW : TEP_PRINT_INFO);
		if (s.len && s.buffer[s.len - 1] == '\n')
			s.len--;
		fwrite(s.buffer, 1, s.len, stdout);
		putchar('\n');
	}
	trace_seq_destroy(&s);
	report_fast_destroy(fast);
	if (fflush(stdout) != 0)
		ret = cli_fail("writing the report failed");
	else if (ret < 0)
		ret = cli_fail_tdat(r);
	else
		ret = TK_EXIT_OK;
out:
	for (i = 0; i < rp.nfilters; i++)
		tep_filter_free(rp.filters[i]);
	free(rp.last_printed);
	free(cpus);
	tk_tdat_close(r);
	return ret;
}
