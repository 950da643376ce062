/* SPDX-License-Identifier: MIT */
/*
 * Scheduler latency tables. The perf table's widths, dashes and INFO lines
 * are perf 6.1's (builtin-sched.c output_lat_thread, perf_sched__lat,
 * print_bad_events), checked against the installed perf by
 * tests/oracle/sched-perf.sh.
 */
#include "render/schedtxt.h"

#include <inttypes.h>
#include <string.h>

#include "render/table.h"

void tk_schedtxt_usec(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%" PRIu64 ".%06" PRIu64, ns / 1000000000u, ns % 1000000000u / 1000u);
}

static void dashes(FILE *out, int n)
{
	fputc(' ', out);
	while (n-- > 0)
		fputc('-', out);
	fputc('\n', out);
}

int tk_schedtxt_print_perf_latency(FILE *out, const struct tk_schedlat_perf_row *rows, size_t n,
				   const struct tk_schedlat_perf_info *info)
{
	uint64_t all_runtime = 0, all_count = 0;
	size_t i;

	fputc('\n', out);
	dashes(out, 139);
	fprintf(out, "  Task                  |   Runtime ms  | Switches | Avg delay ms    |"
		     " Max delay ms    | Max delay start           | Max delay end          |\n");
	dashes(out, 139);
	for (i = 0; i < n; i++) {
		const struct tk_schedlat_perf_row *r = &rows[i];
		char s[32], e[32];
		int w;

		all_runtime += r->total_runtime;
		all_count += r->nb_atoms;
		if (r->num_merged > 1)
			w = fprintf(out, "  %s:(%d) ", r->comm, r->num_merged);
		else
			w = fprintf(out, "  %s:%d ", r->comm, r->tid);
		for (; w < 24; w++)
			fputc(' ', out);
		tk_schedtxt_usec(s, sizeof(s), r->max_lat_start);
		tk_schedtxt_usec(e, sizeof(e), r->max_lat_end);
		fprintf(out, "|%11.3f ms |%9" PRIu64 " | avg:%8.3f ms | max:%8.3f ms |"
			     " max start: %12s s | max end: %12s s\n",
			(double)r->total_runtime / 1e6, r->nb_atoms,
			(double)(r->total_lat / r->nb_atoms) / 1e6, (double)r->max_lat / 1e6, s, e);
	}
	dashes(out, 113);
	fprintf(out, "  TOTAL:                |%11.3f ms |%9" PRIu64 " |\n", (double)all_runtime / 1e6,
		all_count);
	dashes(out, 51);
	if (info->nr_unordered_timestamps && info->nr_timestamps)
		fprintf(out, "  INFO: %.3f%% unordered timestamps (%" PRIu64 " out of %" PRIu64 ")\n",
			(double)info->nr_unordered_timestamps / (double)info->nr_timestamps * 100.0,
			info->nr_unordered_timestamps, info->nr_timestamps);
	if (info->nr_lost_events && info->nr_events)
		fprintf(out, "  INFO: %.3f%% lost events (%" PRIu64 " out of %" PRIu64
			     ", in %" PRIu64 " chunks)\n",
			(double)info->nr_lost_events / (double)info->nr_events * 100.0,
			info->nr_lost_events, info->nr_events, info->nr_lost_chunks);
	if (info->nr_context_switch_bugs && info->nr_timestamps) {
		fprintf(out, "  INFO: %.3f%% context switch bugs (%" PRIu64 " out of %" PRIu64 ")",
			(double)info->nr_context_switch_bugs / (double)info->nr_timestamps * 100.0,
			info->nr_context_switch_bugs, info->nr_timestamps);
		if (info->nr_lost_events)
			fprintf(out, " (due to lost events?)");
		fputc('\n', out);
	}
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

/* ms with 3 decimals from ns, exact (no floating point) */
static void ms(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%" PRIu64 ".%03" PRIu64, ns / 1000000u, ns % 1000000u / 1000u);
}

static void us(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%" PRIu64 ".%03" PRIu64, ns / 1000u, ns % 1000u);
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void csv_str(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static uint64_t avg(const struct tk_schedlat_row *r)
{
	return r->ndelays ? r->delay_sum / r->ndelays : 0;
}

static int print_text(FILE *out, const struct tk_schedtxt_latency *l)
{
	static const char *const titles[] = {
		"task", "id", "runtime ms", "switches", "delays", "avg us", "p50 us", "p90 us",
		"p99 us", "p99.9 us", "max us", "max at s", "migr", "preempt",
	};
	struct tk_table *t = tk_table_create(14);
	char b[14][48];
	size_t i;
	int c, rc;

	if (!t)
		return -1;
	for (c = 0; c < 14; c++)
		tk_table_set_col(t, c, titles[c], c > 0);
	if (!strcmp(l->by, "comm"))
		tk_table_set_col(t, 1, "tasks", 1);
	else if (!strcmp(l->by, "cpu"))
		tk_table_set_col(t, 1, "cpu", 1);
	else if (!strcmp(l->by, "pid"))
		tk_table_set_col(t, 1, "pid", 1);
	else
		tk_table_set_col(t, 1, "tid", 1);
	for (i = 0; i < l->nrows; i++) {
		const struct tk_schedlat_row *r = &l->rows[i];

		if (!strcmp(l->by, "comm"))
			snprintf(b[1], sizeof(b[1]), "%u", r->ntasks);
		else
			snprintf(b[1], sizeof(b[1]), "%d", r->tid);
		ms(b[2], sizeof(b[2]), r->runtime);
		snprintf(b[3], sizeof(b[3]), "%" PRIu64, r->switches);
		snprintf(b[4], sizeof(b[4]), "%" PRIu64, r->ndelays);
		us(b[5], sizeof(b[5]), avg(r));
		us(b[6], sizeof(b[6]), r->p50);
		us(b[7], sizeof(b[7]), r->p90);
		us(b[8], sizeof(b[8]), r->p99);
		us(b[9], sizeof(b[9]), r->p999);
		us(b[10], sizeof(b[10]), r->max);
		if (r->ndelays)
			tk_schedtxt_usec(b[11], sizeof(b[11]), r->max_start);
		else
			snprintf(b[11], sizeof(b[11]), "-");
		snprintf(b[12], sizeof(b[12]), "%" PRIu64, r->migrations);
		snprintf(b[13], sizeof(b[13]), "%" PRIu64, r->preemptions);
		tk_table_cell(t, "%s", r->name);
		for (c = 1; c < 14; c++)
			tk_table_cell(t, "%s", b[c]);
	}
	fprintf(out, "Scheduler latency per %s, sorted by %s (delay: runnable to running)\n\n",
		l->by, l->sort);
	rc = tk_table_print(t, out, "");
	tk_table_destroy(t);
	if (rc < 0)
		return rc;
	fprintf(out, "\nCPU utilisation\n\n");
	t = tk_table_create(4);
	if (!t)
		return -1;
	tk_table_set_col(t, 0, "cpu", 1);
	tk_table_set_col(t, 1, "busy ms", 1);
	tk_table_set_col(t, 2, "util %", 1);
	tk_table_set_col(t, 3, "switches", 1);
	for (i = 0; i < l->ncpus; i++) {
		const struct tk_schedlat_cpu *cp = &l->cpus[i];

		tk_table_cell(t, "%d", cp->cpu);
		ms(b[0], sizeof(b[0]), cp->busy);
		tk_table_cell(t, "%s", b[0]);
		tk_table_cell(t, "%.2f", cp->span ? 100.0 * (double)cp->busy / (double)cp->span : 0.0);
		tk_table_cell(t, "%" PRIu64, cp->switches);
	}
	rc = tk_table_print(t, out, "");
	tk_table_destroy(t);
	return rc;
}

static int print_json(FILE *out, const struct tk_schedtxt_latency *l)
{
	size_t i;

	fprintf(out, "{\"by\":\"%s\",\"sort\":\"%s\",\"unit\":\"ns\",\"rows\":[", l->by, l->sort);
	for (i = 0; i < l->nrows; i++) {
		const struct tk_schedlat_row *r = &l->rows[i];

		fprintf(out, "%s\n{\"name\":", i ? "," : "");
		json_str(out, r->name);
		fprintf(out, ",\"id\":%d,\"pid\":%d,\"tasks\":%u,\"runtime\":%" PRIu64
			     ",\"switches\":%" PRIu64 ",\"delays\":%" PRIu64 ",\"avg\":%" PRIu64
			     ",\"p50\":%" PRIu64 ",\"p90\":%" PRIu64 ",\"p99\":%" PRIu64
			     ",\"p99_9\":%" PRIu64 ",\"max\":%" PRIu64 ",\"max_start\":%" PRIu64
			     ",\"max_end\":%" PRIu64 ",\"migrations\":%" PRIu64
			     ",\"preemptions\":%" PRIu64 "}",
			r->tid, r->pid, r->ntasks, r->runtime, r->switches, r->ndelays, avg(r),
			r->p50, r->p90, r->p99, r->p999, r->max, r->max_start, r->max_end,
			r->migrations, r->preemptions);
	}
	fprintf(out, "],\n\"cpus\":[");
	for (i = 0; i < l->ncpus; i++)
		fprintf(out, "%s{\"cpu\":%d,\"busy\":%" PRIu64 ",\"span\":%" PRIu64
			     ",\"switches\":%" PRIu64 "}",
			i ? "," : "", l->cpus[i].cpu, l->cpus[i].busy, l->cpus[i].span,
			l->cpus[i].switches);
	fprintf(out, "]}\n");
	return ferror(out) ? -1 : 0;
}

static int print_csv(FILE *out, const struct tk_schedtxt_latency *l)
{
	size_t i;

	fprintf(out, "name,id,pid,tasks,runtime_ns,switches,delays,avg_ns,p50_ns,p90_ns,p99_ns,"
		     "p99_9_ns,max_ns,max_start_ns,max_end_ns,migrations,preemptions\n");
	for (i = 0; i < l->nrows; i++) {
		const struct tk_schedlat_row *r = &l->rows[i];

		csv_str(out, r->name);
		fprintf(out, ",%d,%d,%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			     ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			     ",%" PRIu64 ",%" PRIu64 "\n",
			r->tid, r->pid, r->ntasks, r->runtime, r->switches, r->ndelays, avg(r),
			r->p50, r->p90, r->p99, r->p999, r->max, r->max_start, r->max_end,
			r->migrations, r->preemptions);
	}
	return ferror(out) ? -1 : 0;
}

int tk_schedtxt_print_latency(FILE *out, const struct tk_schedtxt_latency *l,
			      enum tk_schedtxt_fmt fmt)
{
	if (fmt == TK_SCHEDTXT_JSON)
		return print_json(out, l);
	if (fmt == TK_SCHEDTXT_CSV)
		return print_csv(out, l);
	return print_text(out, l);
}
