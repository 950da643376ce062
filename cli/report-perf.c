/* SPDX-License-Identifier: MIT */
/*
 * tracekit report on perf.data: samples and tracepoint events printed as
 * Debian's `perf script` (perf 6.1) prints them by default -- same fields,
 * widths, order and callchain layout -- so the two can be diffed line by
 * line. Symbols come from formats/machine (the recording's maps, the ELF
 * files they name, a kallsyms source).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "cli/cli.h"
#include "cli/pdat-common.h"
#include "cli/report-perf.h"
#include "formats/machine.h"
#include "formats/pdat.h"

/* perf script's output fields (PERF_OUTPUT_* in builtin-script.c). */
enum {
	F_COMM = 1u << 0,
	F_TID = 1u << 1,
	F_PID = 1u << 2,
	F_TIME = 1u << 3,
	F_CPU = 1u << 4,
	F_EVNAME = 1u << 5,
	F_TRACE = 1u << 6,
	F_IP = 1u << 7,
	F_SYM = 1u << 8,
	F_DSO = 1u << 9,
	F_SYMOFF = 1u << 10,
	F_PERIOD = 1u << 11,
	F_ADDR = 1u << 12,
};

static const struct {
	const char *name;
	unsigned bit;
} field_names[] = {
	{ "comm", F_COMM }, { "tid", F_TID }, { "pid", F_PID }, { "time", F_TIME },
	{ "cpu", F_CPU }, { "event", F_EVNAME }, { "trace", F_TRACE }, { "ip", F_IP },
	{ "sym", F_SYM }, { "dso", F_DSO }, { "symoff", F_SYMOFF }, { "period", F_PERIOD },
	{ "addr", F_ADDR },
};

static const char *const type_names[RP_NTYPES] = { "hw", "sw", "trace", "raw" };

/* perf script's defaults per type (builtin-script.c's output[] table). */
static const unsigned default_fields[RP_NTYPES] = {
	[RP_TYPE_HW] = F_COMM | F_TID | F_CPU | F_TIME | F_EVNAME | F_IP | F_SYM | F_SYMOFF |
		  F_DSO | F_PERIOD,
	[RP_TYPE_SW] = F_COMM | F_TID | F_CPU | F_TIME | F_EVNAME | F_IP | F_SYM | F_SYMOFF |
		  F_DSO | F_PERIOD,
	[RP_TYPE_TRACE] = F_COMM | F_TID | F_CPU | F_TIME | F_EVNAME | F_TRACE,
	[RP_TYPE_RAW] = F_COMM | F_TID | F_PID | F_CPU | F_TIME | F_EVNAME | F_ADDR | F_IP |
		   F_SYM | F_SYMOFF | F_DSO | F_PERIOD,
};

/* Deepest callchain perf script resolves (PERF_MAX_STACK_DEPTH). */
#define RP_MAX_STACK 127

struct rp {
	const struct report_perf_opts *o;
	struct tk_pdat_reader *r;
	struct tk_machine *m;
	unsigned fields[RP_NTYPES];
	bool user_set[RP_NTYPES];
	int name_width;
	int nattrs_seen;		/* attrs whose name width is counted */
	struct trace_seq s;
	struct tk_frame frames[RP_MAX_STACK + 1];
};

enum report_perf_type report_perf_type(const struct tk_pdat_attr *a)
{
	switch (a->type) {
	case 1:
		return RP_TYPE_SW;
	case 2:
		return RP_TYPE_TRACE;
	case 4:
		return RP_TYPE_RAW;
	default:	/* hardware, hw-cache and PMU types */
		return RP_TYPE_HW;
	}
}

static int parse_one_field(const char *name, size_t len, unsigned *bit)
{
	size_t i;

	for (i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++) {
		if (strlen(field_names[i].name) == len && !strncmp(field_names[i].name, name, len)) {
			*bit = field_names[i].bit;
			return 0;
		}
	}
	return -1;
}

/*
 * perf script -F: "[TYPE:]f1,f2,..." replaces the fields (of TYPE or of
 * every type); "[TYPE:]+f" / "-f" adds to or removes from the defaults.
 */
static int parse_fields(struct rp *rp, const char *spec)
{
	const char *p = spec, *colon = strchr(spec, ':');
	int t, only = -1;
	unsigned set = 0, add = 0, del = 0;
	bool modify = false;

	if (colon) {
		for (t = 0; t < RP_NTYPES; t++)
			if ((size_t)(colon - spec) == strlen(type_names[t]) &&
			    !strncmp(spec, type_names[t], strlen(type_names[t])))
				only = t;
		if (only < 0)
			return cli_usage_error("report", "unknown event type in --fields '%s' "
						"(hw, sw, trace, raw)", spec);
		p = colon + 1;
	}
	modify = *p == '+' || *p == '-';
	while (*p) {
		size_t len;
		char sign = 0;
		unsigned bit;

		if (*p == '+' || *p == '-')
			sign = *p++;
		len = strcspn(p, ",");
		if (modify && !sign)
			return cli_usage_error("report", "--fields '%s': mix of +/- and plain fields",
					       spec);
		if (!modify && sign)
			return cli_usage_error("report", "--fields '%s': mix of +/- and plain fields",
					       spec);
		if (parse_one_field(p, len, &bit))
			return cli_usage_error("report", "--fields: unknown field '%.*s'", (int)len, p);
		if (sign == '-')
			del |= bit;
		else if (sign == '+')
			add |= bit;
		else
			set |= bit;
		p += len;
		if (*p == ',')
			p++;
	}
	for (t = 0; t < RP_NTYPES; t++) {
		if (only >= 0 && t != only)
			continue;
		if (modify) {
			rp->fields[t] = (rp->fields[t] | add) & ~del;
		} else {
			rp->fields[t] = set;
			rp->user_set[t] = true;
		}
	}
	return 0;
}

/* Fields of an attr after perf's checks: defaults the samples cannot
 * fill are dropped; callchains turn on ip and sym. */
static unsigned attr_fields(const struct rp *rp, const struct tk_pdat_attr *a)
{
	int t = (int)report_perf_type(a);
	unsigned f = rp->fields[t];
	uint64_t st = a->sample_type;

	if (!rp->user_set[t]) {
		if (!(st & TK_PS_CPU))
			f &= ~F_CPU;
		if (!(st & TK_PS_TIME))
			f &= ~F_TIME;
		if (!(st & TK_PS_PERIOD))
			f &= ~F_PERIOD;
		if (!(st & TK_PS_TID))
			f &= ~(F_TID | F_PID);
		if (!(st & TK_PS_ADDR))
			f &= ~F_ADDR;
		if (!(st & TK_PS_IP) && !(st & TK_PS_CALLCHAIN))
			f &= ~(F_IP | F_SYM | F_SYMOFF | F_DSO);
		if (st & TK_PS_CALLCHAIN)
			f |= F_IP | F_SYM | F_SYMOFF | F_DSO;
	}
	if (!(f & F_IP))
		f &= ~(F_SYM | F_SYMOFF | F_DSO);
	return f;
}

static const char *attr_name(const struct tk_pdat_attr *a)
{
	return a->name ? a->name : "[unknown]";
}

static int check_user_fields(struct rp *rp)
{
	int i, n = tk_pdat_nattrs(rp->r);

	for (i = 0; i < n; i++) {
		const struct tk_pdat_attr *a = tk_pdat_get_attr(rp->r, i);
		int t = (int)report_perf_type(a);
		unsigned f = rp->fields[t];
		uint64_t st = a->sample_type;
		const char *miss = NULL;

		if (!rp->user_set[t])
			continue;
		if ((f & F_CPU) && !(st & TK_PS_CPU))
			miss = "cpu";
		else if ((f & F_TIME) && !(st & TK_PS_TIME))
			miss = "time";
		else if ((f & F_PERIOD) && !(st & TK_PS_PERIOD))
			miss = "period";
		else if ((f & (F_TID | F_PID)) && !(st & TK_PS_TID))
			miss = f & F_TID ? "tid" : "pid";
		else if ((f & F_ADDR) && !(st & TK_PS_ADDR))
			miss = "addr";
		else if ((f & F_TRACE) && a->type != 2)
			miss = "trace";
		if (miss)
			return cli_usage_error("report", "the '%s' samples have no '%s' field",
					       attr_name(a), miss);
	}
	return 0;
}

void report_perf_name_width(struct tk_pdat_reader *r, int *seen, int *width)
{
	int n = tk_pdat_nattrs(r);

	for (; *seen < n; (*seen)++) {
		int l = (int)strlen(attr_name(tk_pdat_get_attr(r, *seen)));

		if (l > *width)
			*width = l;
	}
}

/* "sym+0xoff" (or "[unknown]"), then " (dso)", as perf's callchain and
 * sample printers write a resolved address. */
static void print_sym(FILE *out, const struct tk_frame *fr, unsigned f)
{
	if (f & F_SYM) {
		fputc(' ', out);
		if (fr->sym) {
			fputs(fr->sym, out);
			if (f & F_SYMOFF)
				fprintf(out, "+0x%" PRIx64, fr->sym_off);
		} else {
			fputs("[unknown]", out);
		}
	}
	if (f & F_DSO)
		fprintf(out, " (%s)", fr->dso ? fr->dso : "[unknown]");
}

static void print_time(FILE *out, uint64_t t, bool ns)
{
	char buf[48];

	if (ns) {
		fprintf(out, "%5" PRIu64 ".%09" PRIu64 ": ", t / 1000000000u, t % 1000000000u);
		return;
	}
	snprintf(buf, sizeof(buf), "%" PRIu64 ".%06" PRIu64, t / 1000000000u,
		 t % 1000000000u / 1000u);
	fprintf(out, "%12s: ", buf);
}

static int print_sample(struct rp *rp, const struct tk_pdat_rec *rec, FILE *out)
{
	const struct tk_pdat_sample *s = &rec->u.sample;
	const struct tk_pdat_attr *a;
	int mode = rec->misc & TK_PDAT_MISC_CPUMODE_MASK;
	bool chain;
	unsigned f;
	int attr = rec->attr;

	if (attr < 0 && tk_pdat_nattrs(rp->r) == 1)
		attr = 0;
	if (attr < 0)
		return 0;	/* perf drops samples of an unknown id, too */
	a = tk_pdat_get_attr(rp->r, attr);
	f = attr_fields(rp, a);
	if (!f)
		return 0;
	if (rp->o->cpus && (a->sample_type & TK_PS_CPU) &&
	    (s->cpu >= REPORT_PERF_MAX_CPUS || !(rp->o->cpus[s->cpu / 64] >> (s->cpu % 64) & 1)))
		return 0;
	if ((a->sample_type & TK_PS_TIME) && (s->time < rp->o->from || s->time > rp->o->to))
		return 0;
	chain = (a->sample_type & TK_PS_CALLCHAIN) && s->callchain;

	if (f & F_COMM) {
		const char *comm = tk_machine_comm_of(rp->m, s->tid);

		if ((f & F_IP) && (a->sample_type & TK_PS_CALLCHAIN))
			fprintf(out, "%s ", comm);
		else
			fprintf(out, "%16s ", comm);
	}
	if ((f & F_PID) && (f & F_TID))
		fprintf(out, "%5d/%-5d ", (int)s->pid, (int)s->tid);
	else if (f & F_PID)
		fprintf(out, "%5d ", (int)s->pid);
	else if (f & F_TID)
		fprintf(out, "%5d ", (int)s->tid);
	if (f & F_CPU)
		fprintf(out, "[%03d] ", (int)s->cpu);
	if (f & F_TIME)
		print_time(out, s->time, rp->o->ns);
	if (f & F_PERIOD)
		fprintf(out, "%10" PRIu64 " ", s->period);
	if (f & F_EVNAME) {
		report_perf_name_width(rp->r, &rp->nattrs_seen, &rp->name_width);
		fprintf(out, "%*s: ", rp->name_width, attr_name(a));
	}
	if ((f & F_TRACE) && s->raw && a->tp) {
		struct tep_record tr;

		memset(&tr, 0, sizeof(tr));
		tr.cpu = (int)s->cpu;
		tr.size = (int)s->raw_size;
		tr.data = (void *)(uintptr_t)s->raw;
		trace_seq_reset(&rp->s);
		tep_print_event(tk_pdat_get_tep(rp->r), &rp->s, &tr, "%s", TEP_PRINT_INFO);
		fwrite(rp->s.buffer, 1, rp->s.len, out);
	}
	if (f & F_ADDR)
		fprintf(out, "%16" PRIx64, s->addr);
	if (f & F_IP) {
		int n = -1, i;

		if (chain)
			n = tk_machine_callchain(rp->m, s->pid, s->tid, mode, s->callchain, s->nr,
						 rp->frames, RP_MAX_STACK);
		if (n >= 0) {
			fputc('\n', out);
			for (i = 0; i < n; i++) {
				fprintf(out, "\t%16" PRIx64, rp->frames[i].addr);
				print_sym(out, &rp->frames[i], f);
				fputc('\n', out);
			}
		} else {
			struct tk_frame fr;

			fputc(' ', out);
			if (tk_machine_resolve(rp->m, s->pid, s->tid, mode, s->ip, &fr) < 0)
				memset(&fr, 0, sizeof(fr));
			fprintf(out, "%16" PRIx64, s->ip);
			print_sym(out, &fr, f);
		}
	}
	fputc('\n', out);
	return 0;
}

int report_perf(const char *path, const struct report_perf_opts *o)
{
	struct rp rp = { 0 };
	struct tk_pdat_rec rec;
	int ret, t, nbuild = 0;

	rp.o = o;
	for (t = 0; t < RP_NTYPES; t++)
		rp.fields[t] = default_fields[t];
	if (o->fields) {
		char *dup = strdup(o->fields), *tok, *save = NULL;

		if (!dup)
			return cli_fail("out of memory");
		/* several -F specs may be given separated by spaces */
		ret = 0;
		for (tok = strtok_r(dup, " ", &save); tok && !ret; tok = strtok_r(NULL, " ", &save))
			ret = parse_fields(&rp, tok);
		free(dup);
		if (ret)
			return ret;
	}

	/* perf 6.1 prints tracepoints with their own print formats, without
	 * libtraceevent's plugins (which trace-cmd loads) */
	ret = cli_open_pdat(path, &(struct tk_pdat_opts){ .no_plugins = true }, &rp.r);
	if (ret)
		return ret;
	ret = check_user_fields(&rp);
	if (ret)
		goto out;

	ret = cli_pdat_machine(rp.r, o->kallsyms, o->symfs, &rp.m);
	if (ret)
		goto out;
	trace_seq_init(&rp.s);
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	while ((ret = tk_pdat_next(rp.r, &rec)) > 0) {
		ret = cli_pdat_feed(rp.m, rp.r, &rec, &nbuild);
		if (ret >= 0 && rec.type == TK_PDAT_SAMPLE)
			ret = print_sample(&rp, &rec, stdout);
		if (ret < 0)
			break;
	}
	if (ret < 0)
		ret = cli_fail_pdat(rp.r, rp.m);
	else if (fflush(stdout) != 0) {
		ret = cli_fail("writing the report failed");
	} else if (tk_pdat_get_info(rp.r)->salvaged) {
		/* perf refuses such a file; we read it, and say so */
		fprintf(stderr, "tracekit: %s: warning: the header's data size is 0 (perf record "
			"did not finish the file); records were read up to the end%s\n", path,
			tk_pdat_get_info(rp.r)->salvage_dropped ? ", a last partial one dropped" : "");
		ret = TK_EXIT_OK;
	} else {
		ret = TK_EXIT_OK;
	}
	trace_seq_destroy(&rp.s);
out:
	tk_machine_destroy(rp.m);
	tk_pdat_close(rp.r);
	return ret;
}
