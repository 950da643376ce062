/* SPDX-License-Identifier: MIT */
/*
 * tracekit stat on perf.data: what the recording is (host, kernel, perf,
 * CPUs, command line, compression), its events with their sample counts,
 * the records per type, the time span and what was lost. Every record is
 * read; nothing is symbolised.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cli/pdat-common.h"
#include "cli/stat-perf.h"
#include "core/cursor.h"
#include "formats/pdat.h"
#include "render/table.h"

/* Record names for the types perf.data files hold (perf's own spelling). */
static const char *rec_name(uint32_t t)
{
	static const char *const names[] = {
		[1] = "MMAP", [2] = "LOST", [3] = "COMM", [4] = "EXIT", [5] = "THROTTLE",
		[6] = "UNTHROTTLE", [7] = "FORK", [8] = "READ", [9] = "SAMPLE", [10] = "MMAP2",
		[11] = "AUX", [12] = "ITRACE_START", [13] = "LOST_SAMPLES", [14] = "SWITCH",
		[15] = "SWITCH_CPU_WIDE", [16] = "NAMESPACES", [17] = "KSYMBOL",
		[18] = "BPF_EVENT", [19] = "CGROUP", [20] = "TEXT_POKE",
		[21] = "AUX_OUTPUT_HW_ID", [64] = "HEADER_ATTR", [65] = "HEADER_EVENT_TYPE",
		[66] = "HEADER_TRACING_DATA", [67] = "HEADER_BUILD_ID", [68] = "FINISHED_ROUND",
		[69] = "ID_INDEX", [70] = "AUXTRACE_INFO", [71] = "AUXTRACE",
		[72] = "AUXTRACE_ERROR", [73] = "THREAD_MAP", [74] = "CPU_MAP",
		[75] = "STAT_CONFIG", [76] = "STAT", [77] = "STAT_ROUND", [78] = "EVENT_UPDATE",
		[79] = "TIME_CONV", [80] = "HEADER_FEATURE", [81] = "COMPRESSED",
		[82] = "FINISHED_INIT", [83] = "COMPRESSED2",
	};

	if (t < sizeof(names) / sizeof(names[0]) && names[t])
		return names[t];
	return t >= 127 ? "(type >= 127)" : "(unknown)";
}

static const char *type_name(uint32_t t)
{
	static const char *const names[] = { "hardware", "software", "tracepoint",
					     "hw-cache", "raw", "breakpoint" };

	return t < 6 ? names[t] : "pmu";
}

struct sp {
	uint64_t *samples;		/* per attr */
	int nalloc;
	uint64_t nsamples, first, last;
	uint64_t untimed;
};

static int count(struct sp *sp, const struct tk_pdat_rec *rec)
{
	if (rec->type != TK_PDAT_SAMPLE)
		return 0;
	if (rec->attr >= sp->nalloc) {
		int n = rec->attr + 8;
		uint64_t *p = realloc(sp->samples, (size_t)n * sizeof(*p));

		if (!p)
			return -1;
		memset(p + sp->nalloc, 0, (size_t)(n - sp->nalloc) * sizeof(*p));
		sp->samples = p;
		sp->nalloc = n;
	}
	if (rec->attr >= 0)
		sp->samples[rec->attr]++;
	if (rec->time == (uint64_t)-1) {
		sp->untimed++;
	} else {
		if (sp->nsamples == sp->untimed || rec->time < sp->first)
			sp->first = rec->time;
		if (rec->time > sp->last)
			sp->last = rec->time;
	}
	sp->nsamples++;
	return 0;
}

static const char *or_none(const char *s)
{
	return s ? s : "(not recorded)";
}

static void fmt_ts(char *buf, size_t n, uint64_t ts)
{
	snprintf(buf, n, "%" PRIu64 ".%06" PRIu64, ts / UINT64_C(1000000000),
		 ts % UINT64_C(1000000000) / 1000);
}

static int print_text(struct tk_pdat_reader *r, const struct sp *sp, const char *path)
{
	const struct tk_pdat_info *in = tk_pdat_get_info(r);
	const struct tk_pdat_counts *c = tk_pdat_get_counts(r);
	struct tk_table *t;
	char a[64], b[64];
	int i;

	printf("file:         %s (%" PRIu64 " bytes)\n", path, in->file_size);
	printf("format:       perf.data, %s mode, %s endian\n", in->pipe ? "pipe" : "file",
	       in->swapped != tk_host_bigendian() ? "big" : "little");
	if (in->compressed)
		printf("compression:  zstd level %u (%" PRIu64 " bytes -> %" PRIu64 ")\n",
		       in->comp_level, c->compressed_bytes, c->decompressed_bytes);
	else
		printf("compression:  none\n");
	printf("host:         %s\n", or_none(in->hostname));
	printf("kernel:       %s (%s)\n", or_none(in->osrelease), or_none(in->arch));
	printf("recorder:     perf %s\n", or_none(in->version));
	printf("CPUs:         %u online, %u available%s%s\n", in->nr_cpus_online,
	       in->nr_cpus_avail, in->cpudesc ? ", " : "", in->cpudesc ? in->cpudesc : "");
	printf("command:      %s\n", or_none(in->cmdline));
	printf("samples:      %" PRIu64 "\n", sp->nsamples);
	if (sp->nsamples > sp->untimed) {
		uint64_t span = sp->last - sp->first;

		fmt_ts(a, sizeof(a), sp->first);
		fmt_ts(b, sizeof(b), sp->last);
		printf("time span:    %s .. %s (%" PRIu64 ".%09" PRIu64 " s)\n", a, b,
		       span / UINT64_C(1000000000), span % UINT64_C(1000000000));
	}
	printf("lost:         %" PRIu64 " events (LOST), %" PRIu64 " samples (LOST_SAMPLES)\n",
	       c->lost, c->lost_samples);
	if (c->unknown)
		printf("skipped:      %" PRIu64 " records of unknown types\n", c->unknown);
	if (in->salvaged)
		printf("salvaged:     data size 0 in the header (perf record did not finish the "
		       "file): read to the end, %" PRIu64 " bytes of a partial last record dropped\n",
		       in->salvage_dropped);

	t = tk_table_create(4);
	if (!t)
		return cli_fail("out of memory");
	tk_table_set_col(t, 0, "event", 0);
	tk_table_set_col(t, 1, "type", 0);
	tk_table_set_col(t, 2, "samples", 1);
	tk_table_set_col(t, 3, "%", 1);
	for (i = 0; i < tk_pdat_nattrs(r); i++) {
		const struct tk_pdat_attr *at = tk_pdat_get_attr(r, i);
		uint64_t n = i < sp->nalloc ? sp->samples[i] : 0;

		tk_table_cell(t, "%s", at->name ? at->name : "(unnamed)");
		tk_table_cell(t, "%s", type_name(at->type));
		tk_table_cell(t, "%" PRIu64, n);
		tk_table_cell(t, "%.2f", sp->nsamples ? 100.0 * (double)n / (double)sp->nsamples : 0.0);
	}
	printf("\nevents:\n");
	tk_table_print(t, stdout, "  ");
	tk_table_destroy(t);

	t = tk_table_create(2);
	if (!t)
		return cli_fail("out of memory");
	tk_table_set_col(t, 0, "record", 0);
	tk_table_set_col(t, 1, "count", 1);
	for (i = 0; i < 128; i++) {
		if (!c->by_type[i])
			continue;
		tk_table_cell(t, "%s", rec_name((uint32_t)i));
		tk_table_cell(t, "%" PRIu64, c->by_type[i]);
	}
	printf("\nrecords:\n");
	tk_table_print(t, stdout, "  ");
	tk_table_destroy(t);
	return TK_EXIT_OK;
}

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static int print_json(struct tk_pdat_reader *r, const struct sp *sp, const char *path)
{
	const struct tk_pdat_info *in = tk_pdat_get_info(r);
	const struct tk_pdat_counts *c = tk_pdat_get_counts(r);
	struct json_object *o = json_object_new_object(), *evs, *recs;
	int i;

	if (!o)
		return cli_fail("out of memory");
	json_object_object_add(o, "file", json_object_new_string(path));
	json_object_object_add(o, "file_size", json_object_new_int64((int64_t)in->file_size));
	json_object_object_add(o, "format", json_object_new_string("perf.data"));
	json_object_object_add(o, "pipe", json_object_new_boolean(in->pipe));
	json_object_object_add(o, "compressed", json_object_new_boolean(in->compressed));
	json_object_object_add(o, "hostname", jstr(in->hostname));
	json_object_object_add(o, "osrelease", jstr(in->osrelease));
	json_object_object_add(o, "arch", jstr(in->arch));
	json_object_object_add(o, "perf_version", jstr(in->version));
	json_object_object_add(o, "cpus_online", json_object_new_int((int)in->nr_cpus_online));
	json_object_object_add(o, "cpus_available", json_object_new_int((int)in->nr_cpus_avail));
	json_object_object_add(o, "cmdline", jstr(in->cmdline));
	json_object_object_add(o, "samples", json_object_new_int64((int64_t)sp->nsamples));
	if (sp->nsamples > sp->untimed) {
		json_object_object_add(o, "first_ts_ns", json_object_new_int64((int64_t)sp->first));
		json_object_object_add(o, "last_ts_ns", json_object_new_int64((int64_t)sp->last));
	}
	json_object_object_add(o, "lost", json_object_new_int64((int64_t)c->lost));
	json_object_object_add(o, "lost_samples", json_object_new_int64((int64_t)c->lost_samples));
	json_object_object_add(o, "unknown_records", json_object_new_int64((int64_t)c->unknown));
	json_object_object_add(o, "salvaged", json_object_new_boolean(in->salvaged));
	evs = json_object_new_array();
	for (i = 0; i < tk_pdat_nattrs(r); i++) {
		const struct tk_pdat_attr *at = tk_pdat_get_attr(r, i);
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "name", jstr(at->name));
		json_object_object_add(e, "type", json_object_new_string(type_name(at->type)));
		json_object_object_add(e, "config", json_object_new_int64((int64_t)at->config));
		json_object_object_add(e, "samples",
				       json_object_new_int64(i < sp->nalloc ? (int64_t)sp->samples[i] : 0));
		json_object_array_add(evs, e);
	}
	json_object_object_add(o, "events", evs);
	recs = json_object_new_object();
	for (i = 0; i < 128; i++)
		if (c->by_type[i])
			json_object_object_add(recs, rec_name((uint32_t)i),
					       json_object_new_int64((int64_t)c->by_type[i]));
	json_object_object_add(o, "records", recs);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return TK_EXIT_OK;
}

int stat_perf(const char *path, bool json)
{
	struct tk_pdat_reader *r = NULL;
	struct tk_pdat_rec rec;
	struct sp sp = { 0 };
	int ret;

	ret = cli_open_pdat(path, &(struct tk_pdat_opts){ .unordered = true, .no_plugins = true },
			    &r);
	if (ret)
		return ret;
	while ((ret = tk_pdat_next(r, &rec)) > 0) {
		if (count(&sp, &rec) < 0) {
			ret = -TK_ENOMEM;
			break;
		}
	}
	if (ret == -TK_ENOMEM)
		ret = cli_fail("out of memory");
	else if (ret < 0)
		ret = cli_fail_pdat(r, NULL);
	else
		ret = json ? print_json(r, &sp, path) : print_text(r, &sp, path);
	free(sp.samples);
	tk_pdat_close(r);
	return ret;
}
