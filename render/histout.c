/* SPDX-License-Identifier: MIT */
#include "render/histout.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "core/sysname.h"
#include "render/table.h"

/* ---- hist triggers ---- */

/*
 * One key as hist_trigger_print_key() prints it; the order of the checks
 * is the kernel's (hex first, ...), so a field with two meanings prints as
 * the kernel would.
 */
static void print_key(FILE *out, const struct tk_hist *h, const struct tk_hist_field *f,
		      const struct tk_hist_entry *e, int k)
{
	uint64_t v = e->key[k];
	unsigned long long u = (unsigned long long)v;

	if (f->flags & TK_HISTF_STRING) {
		const char *s = tk_hist_get_str(h, (uint32_t)v);

		fprintf(out, "%s: %-50s", f->name, s ? s : "");
	} else if (f->flags & TK_HISTF_HEX) {
		fprintf(out, "%s: %llx", f->name, u);
	} else if (f->flags & TK_HISTF_SYM) {
		const char *s = tk_hist_get_str(h, e->sym[k]);
		char addr[32];

		if (!s) {
			/* %ps of an address without a symbol prints the address */
			snprintf(addr, sizeof(addr), "0x%llx", u);
			s = addr;
		}
		fprintf(out, "%s: [%llx] %-45s", f->name, u, s);
	} else if (f->flags & TK_HISTF_EXECNAME) {
		const char *c = tk_hist_get_str(h, e->comm);

		fprintf(out, "%s: %-16s[%10llu]", f->name, c ? c : "", u);
	} else if (f->flags & TK_HISTF_SYSCALL) {
		const char *n = tk_sysname_get_kernel(tk_hist_get_arch(h), v);
		char name[96];

		if (n)
			snprintf(name, sizeof(name), "sys_%s", n);
		else
			snprintf(name, sizeof(name), "unknown_syscall");
		fprintf(out, "%s: %-30s[%3llu]", f->name, name, u);
	} else if (f->flags & TK_HISTF_LOG2) {
		fprintf(out, "%s: ~ 2^%-2llu", f->name, u);
	} else if (f->flags & TK_HISTF_BUCKET) {
		fprintf(out, "%s: ~ %llu-%llu", f->name, u,
			(unsigned long long)(v + f->buckets - 1));
	} else {
		fprintf(out, "%s: %10llu", f->name, u);
	}
}

int tk_histout_kernel(FILE *out, const struct tk_hist *h, const char *filter)
{
	const struct tk_hist_entry *const *ents;
	size_t n = tk_hist_get_entries(h, &ents), i;
	int k;

	fprintf(out, "# event histogram\n#\n# trigger info: %s", tk_hist_get_trigger(h));
	if (filter && *filter)
		fprintf(out, " if %s", filter);
	fprintf(out, " [active]\n#\n\n");
	for (i = 0; i < n; i++) {
		const struct tk_hist_entry *e = ents[i];

		fputs("{ ", out);
		for (k = 0; k < tk_hist_get_nkeys(h); k++) {
			if (k)
				fputs(", ", out);
			print_key(out, h, tk_hist_get_key(h, k), e, k);
		}
		fprintf(out, " } hitcount: %10llu", (unsigned long long)e->hitcount);
		for (k = 0; k < tk_hist_get_nvals(h); k++) {
			const struct tk_hist_field *f = tk_hist_get_val(h, k);

			fprintf(out, (f->flags & TK_HISTF_HEX) ? "  %s: %10llx" : "  %s: %10llu",
				f->name, (unsigned long long)e->val[k]);
		}
		fputc('\n', out);
	}
	fprintf(out, "\nTotals:\n    Hits: %llu\n    Entries: %zu\n    Dropped: %llu\n",
		(unsigned long long)tk_hist_get_hits(h), n,
		(unsigned long long)tk_hist_get_dropped(h));
	return ferror(out) ? -1 : 0;
}

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : json_object_new_null();
}

static int json_print(FILE *out, json_object *o)
{
	int rc;

	if (!o)
		return -1;
	rc = fprintf(out, "%s\n",
		     json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE)) < 0;
	json_object_put(o);
	return rc || ferror(out) ? -1 : 0;
}

int tk_histout_json(FILE *out, const struct tk_hist *h, const char *event, const char *filter)
{
	const struct tk_hist_entry *const *ents;
	size_t n = tk_hist_get_entries(h, &ents), i;
	json_object *o = json_object_new_object(), *arr = json_object_new_array(), *a, *tot;
	int k;

	json_object_object_add(o, "event", jstr(event));
	json_object_object_add(o, "trigger", jstr(tk_hist_get_trigger(h)));
	json_object_object_add(o, "filter", jstr(filter && *filter ? filter : NULL));
	a = json_object_new_array();
	for (k = 0; k < tk_hist_get_nkeys(h); k++)
		json_object_array_add(a, json_object_new_string(tk_hist_get_key(h, k)->spec));
	json_object_object_add(o, "keys", a);
	a = json_object_new_array();
	json_object_array_add(a, json_object_new_string("hitcount"));
	for (k = 0; k < tk_hist_get_nvals(h); k++)
		json_object_array_add(a, json_object_new_string(tk_hist_get_val(h, k)->spec));
	json_object_object_add(o, "vals", a);
	for (i = 0; i < n; i++) {
		const struct tk_hist_entry *e = ents[i];
		json_object *je = json_object_new_object(), *jk = json_object_new_object();

		for (k = 0; k < tk_hist_get_nkeys(h); k++) {
			const struct tk_hist_field *f = tk_hist_get_key(h, k);

			if (f->flags & TK_HISTF_STRING) {
				json_object_object_add(jk, f->name,
						       jstr(tk_hist_get_str(h, (uint32_t)e->key[k])));
				continue;
			}
			json_object_object_add(jk, f->name, json_object_new_uint64(e->key[k]));
			/* the text the modifier shows, under the key's full name */
			if (f->flags & TK_HISTF_SYSCALL)
				json_object_object_add(jk, f->spec,
						       jstr(tk_sysname_get(tk_hist_get_arch(h), e->key[k])));
			else if (f->flags & TK_HISTF_EXECNAME)
				json_object_object_add(jk, f->spec, jstr(tk_hist_get_str(h, e->comm)));
			else if (f->flags & TK_HISTF_SYM)
				json_object_object_add(jk, f->spec, jstr(tk_hist_get_str(h, e->sym[k])));
		}
		json_object_object_add(je, "key", jk);
		json_object_object_add(je, "hitcount", json_object_new_uint64(e->hitcount));
		for (k = 0; k < tk_hist_get_nvals(h); k++)
			json_object_object_add(je, tk_hist_get_val(h, k)->spec,
					       json_object_new_uint64(e->val[k]));
		json_object_array_add(arr, je);
	}
	json_object_object_add(o, "entries", arr);
	tot = json_object_new_object();
	json_object_object_add(tot, "hits", json_object_new_uint64(tk_hist_get_hits(h)));
	json_object_object_add(tot, "entries", json_object_new_uint64(n));
	json_object_object_add(tot, "dropped", json_object_new_uint64(tk_hist_get_dropped(h)));
	json_object_object_add(o, "totals", tot);
	return json_print(out, o);
}

/* ---- log2 distributions ---- */

/* bpftrace's power-of-two labels: 1, 2, ... 512, 1K, 2K, ... 1M ... */
static void p2label(char *buf, size_t n, unsigned power)
{
	static const char suffix[] = "\0KMGTPE";
	unsigned d = power / 10;

	if (d)
		snprintf(buf, n, "%llu%c", 1ull << (power - 10 * d), suffix[d]);
	else
		snprintf(buf, n, "%llu", 1ull << power);
}

void tk_histout_log2(FILE *out, const char *title, const struct tk_dist *d)
{
	int lo = -1, hi = -1, i;
	uint64_t max = 0;

	fprintf(out, "@%s:\n", title);
	for (i = 0; i < TK_DIST_NBUCKETS; i++) {
		if (!d->buckets[i])
			continue;
		if (lo < 0)
			lo = i;
		hi = i;
		if (d->buckets[i] > max)
			max = d->buckets[i];
	}
	for (i = lo; lo >= 0 && i <= hi; i++) {
		char label[48], a[16], b[16], bar[53];
		/* bpftrace scales bars to 52 columns for the largest bucket */
		size_t w = (size_t)(d->buckets[i] * 52 / max);

		if (i == 0) {
			snprintf(label, sizeof(label), "[0]");
		} else if (i == 1) {
			snprintf(label, sizeof(label), "[1]");
		} else {
			p2label(a, sizeof(a), (unsigned)i - 1);
			p2label(b, sizeof(b), (unsigned)i);
			snprintf(label, sizeof(label), "[%s, %s)", a, b);
		}
		memset(bar, '@', w);
		bar[w] = 0;
		fprintf(out, "%-16s%8llu |%-52s|\n", label, (unsigned long long)d->buckets[i], bar);
	}
}

/* ns as microseconds with three decimals */
static void us(char *buf, size_t n, uint64_t ns)
{
	snprintf(buf, n, "%" PRIu64 ".%03" PRIu64, ns / 1000, ns % 1000);
}

static void dist_summary(FILE *out, const struct tk_dist *d)
{
	char t[32], a[32], p50[32], p90[32], p99[32], p999[32], mx[32], mn[32];

	us(t, sizeof(t), d->sum);
	us(a, sizeof(a), d->n ? d->sum / d->n : 0);
	us(mn, sizeof(mn), d->min);
	us(p50, sizeof(p50), tk_dist_pctl(d, 50, 100));
	us(p90, sizeof(p90), tk_dist_pctl(d, 90, 100));
	us(p99, sizeof(p99), tk_dist_pctl(d, 99, 100));
	us(p999, sizeof(p999), tk_dist_pctl(d, 999, 1000));
	us(mx, sizeof(mx), d->max);
	fprintf(out, "count %" PRIu64 ", total %s us, avg %s us, min %s us\n", d->n, t, a, mn);
	fprintf(out, "p50 %s us, p90 %s us, p99 %s us, p99.9 %s us, max %s us\n", p50, p90, p99,
		p999, mx);
}

static void group_name(const struct tk_latency *l, const struct tk_latency_group *g,
		       const char *arch, char *buf, size_t n)
{
	const char *s;

	switch (tk_latency_get_by(l)) {
	case TK_LATENCY_BY_NONE:
		buf[0] = 0;
		break;
	case TK_LATENCY_BY_PID:
		snprintf(buf, n, "%" PRIu64, g->key);
		break;
	case TK_LATENCY_BY_COMM:
		s = tk_latency_get_str(l, (uint32_t)g->key);
		snprintf(buf, n, "%s", s ? s : "");
		break;
	case TK_LATENCY_BY_SYSCALL:
		s = tk_sysname_get(arch, g->key);
		if (s)
			snprintf(buf, n, "%s", s);
		else
			snprintf(buf, n, "syscall_%" PRIu64, g->key);
		break;
	}
}

int tk_histout_latency(FILE *out, const struct tk_latency *l, const struct tk_histout_lat *o)
{
	const struct tk_latency_group *const *g;
	const struct tk_latency_stats *st = tk_latency_get_stats(l);
	size_t n = tk_latency_get_groups(l, &g), i;

	fprintf(out, "# %s -> %s, matched on %s\n\n", o->start, o->end, tk_latency_get_match(l));
	for (i = 0; i < n; i++) {
		char name[128], title[160];

		group_name(l, g[i], o->arch, name, sizeof(name));
		if (tk_latency_get_by(l) == TK_LATENCY_BY_NONE)
			snprintf(title, sizeof(title), "usecs");
		else
			snprintf(title, sizeof(title), "usecs[%s]", name);
		tk_histout_log2(out, title, &g[i]->d);
		fputc('\n', out);
		dist_summary(out, &g[i]->d);
		fputc('\n', out);
	}
	if (tk_latency_get_by(l) != TK_LATENCY_BY_NONE) {
		fprintf(out, "all:\n");
		dist_summary(out, tk_latency_get_all(l));
		fputc('\n', out);
	} else if (!n) {
		fprintf(out, "no pairs\n\n");
	}
	fprintf(out, "unmatched: %" PRIu64 " starts (%" PRIu64 " replaced by a later start, %" PRIu64
		     " open at the end), %" PRIu64 " ends without a start\n",
		st->unmatched_starts, st->replaced, st->open, st->unmatched_ends);
	if (st->negative)
		fprintf(out, "ignored: %" PRIu64 " pairs whose end is before their start\n",
			st->negative);
	return ferror(out) ? -1 : 0;
}

static json_object *dist_json(const struct tk_dist *d)
{
	json_object *o = json_object_new_object(), *b = json_object_new_array();
	int i;

	json_object_object_add(o, "count", json_object_new_uint64(d->n));
	json_object_object_add(o, "total_ns", json_object_new_uint64(d->sum));
	json_object_object_add(o, "avg_ns", json_object_new_uint64(d->n ? d->sum / d->n : 0));
	json_object_object_add(o, "min_ns", json_object_new_uint64(d->min));
	json_object_object_add(o, "p50_ns", json_object_new_uint64(tk_dist_pctl(d, 50, 100)));
	json_object_object_add(o, "p90_ns", json_object_new_uint64(tk_dist_pctl(d, 90, 100)));
	json_object_object_add(o, "p99_ns", json_object_new_uint64(tk_dist_pctl(d, 99, 100)));
	json_object_object_add(o, "p99.9_ns", json_object_new_uint64(tk_dist_pctl(d, 999, 1000)));
	json_object_object_add(o, "max_ns", json_object_new_uint64(d->max));
	for (i = 0; i < TK_DIST_NBUCKETS; i++) {
		json_object *e;

		if (!d->buckets[i])
			continue;
		e = json_object_new_object();
		/* [lo, hi) in usecs; bucket 0 is [0, 1) */
		json_object_object_add(e, "lo_us", json_object_new_uint64(i <= 1 ? (uint64_t)i : 1ull << (i - 1)));
		json_object_object_add(e, "hi_us", json_object_new_uint64(i == 0 ? 1 : i == 1 ? 2 : (i >= 64 ? UINT64_MAX : 1ull << i)));
		json_object_object_add(e, "count", json_object_new_uint64(d->buckets[i]));
		json_object_array_add(b, e);
	}
	json_object_object_add(o, "log2_usecs", b);
	return o;
}

int tk_histout_latency_json(FILE *out, const struct tk_latency *l, const struct tk_histout_lat *o)
{
	const struct tk_latency_group *const *g;
	const struct tk_latency_stats *st = tk_latency_get_stats(l);
	size_t n = tk_latency_get_groups(l, &g), i;
	json_object *r = json_object_new_object(), *arr = json_object_new_array(), *u;
	static const char *const bys[] = { "none", "comm", "pid", "syscall" };

	json_object_object_add(r, "start", jstr(o->start));
	json_object_object_add(r, "end", jstr(o->end));
	json_object_object_add(r, "match", jstr(tk_latency_get_match(l)));
	json_object_object_add(r, "by", jstr(bys[tk_latency_get_by(l)]));
	json_object_object_add(r, "all", dist_json(tk_latency_get_all(l)));
	for (i = 0; i < n && tk_latency_get_by(l) != TK_LATENCY_BY_NONE; i++) {
		char name[128];
		json_object *e = dist_json(&g[i]->d);

		group_name(l, g[i], o->arch, name, sizeof(name));
		json_object_object_add(e, "key", jstr(name));
		if (tk_latency_get_by(l) != TK_LATENCY_BY_COMM)
			json_object_object_add(e, "key_value", json_object_new_uint64(g[i]->key));
		json_object_array_add(arr, e);
	}
	json_object_object_add(r, "groups", arr);
	u = json_object_new_object();
	json_object_object_add(u, "starts", json_object_new_uint64(st->unmatched_starts));
	json_object_object_add(u, "replaced", json_object_new_uint64(st->replaced));
	json_object_object_add(u, "open", json_object_new_uint64(st->open));
	json_object_object_add(u, "ends", json_object_new_uint64(st->unmatched_ends));
	json_object_object_add(u, "negative", json_object_new_uint64(st->negative));
	json_object_object_add(r, "unmatched", u);
	return json_print(out, r);
}

/* ---- syscall summary ---- */

static void sysname(const char *arch, uint64_t nr, char *buf, size_t n)
{
	const char *s = tk_sysname_get(arch, nr);

	if (s)
		snprintf(buf, n, "%s", s);
	else
		snprintf(buf, n, "syscall_%" PRIu64, nr);
}

static void group_cols(const struct tk_sysstat *s, const struct tk_sysstat_row *r, char *g,
		       size_t gn, char *c, size_t cn)
{
	const char *str;

	g[0] = c[0] = 0;
	switch (tk_sysstat_get_by(s)) {
	case TK_SYSSTAT_BY_SYSCALL:
		break;
	case TK_SYSSTAT_BY_PID:
	case TK_SYSSTAT_BY_TID:
		snprintf(g, gn, "%" PRIu64, r->group);
		str = tk_sysstat_get_str(s, r->comm);
		snprintf(c, cn, "%s", str ? str : "");
		break;
	case TK_SYSSTAT_BY_COMM:
		str = tk_sysstat_get_str(s, (uint32_t)r->group);
		snprintf(g, gn, "%s", str ? str : "");
		break;
	}
}

static const char *by_col(enum tk_sysstat_by by)
{
	return by == TK_SYSSTAT_BY_PID ? "pid" : by == TK_SYSSTAT_BY_TID ? "tid" : "comm";
}

/* CSV field: quoted when it holds a separator, quote or newline (RFC 4180) */
static void csv_str(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
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

int tk_histout_sysstat(FILE *out, const struct tk_sysstat *s, const char *arch,
		       enum tk_histout_fmt fmt)
{
	const struct tk_sysstat_row *const *rows;
	const struct tk_sysstat_totals *tot = tk_sysstat_get_totals(s);
	size_t n = tk_sysstat_get_rows(s, &rows), i;
	enum tk_sysstat_by by = tk_sysstat_get_by(s);
	bool grouped = by != TK_SYSSTAT_BY_SYSCALL, named = by == TK_SYSSTAT_BY_PID || by == TK_SYSSTAT_BY_TID;
	struct tk_table *t = NULL;
	json_object *jo = NULL, *arr = NULL;
	int col = 0, rc = 0;

	if (fmt == TK_HISTOUT_TEXT) {
		t = tk_table_create(8 + grouped + named);
		if (!t)
			return -1;
		if (grouped)
			tk_table_set_col(t, col++, by_col(by), by != TK_SYSSTAT_BY_COMM);
		if (named)
			tk_table_set_col(t, col++, "comm", 0);
		tk_table_set_col(t, col++, "syscall", 0);
		tk_table_set_col(t, col++, "calls", 1);
		tk_table_set_col(t, col++, "errors", 1);
		tk_table_set_col(t, col++, "total ms", 1);
		tk_table_set_col(t, col++, "avg us", 1);
		tk_table_set_col(t, col++, "p99 us", 1);
		tk_table_set_col(t, col++, "max us", 1);
		tk_table_set_col(t, col++, "% time", 1);
	} else if (fmt == TK_HISTOUT_CSV) {
		if (grouped)
			fprintf(out, "%s,", by_col(by));
		if (named)
			fputs("comm,", out);
		fputs("syscall,nr,calls,errors,pairs,total_ns,avg_ns,p99_ns,max_ns\n", out);
	} else {
		jo = json_object_new_object();
		arr = json_object_new_array();
	}
	for (i = 0; i < n; i++) {
		const struct tk_sysstat_row *r = rows[i];
		char g[64], c[64], name[64], a[32], b[32], d[32], e[32];
		uint64_t avg = r->d.n ? r->d.sum / r->d.n : 0, p99 = tk_dist_pctl(&r->d, 99, 100);

		group_cols(s, r, g, sizeof(g), c, sizeof(c));
		sysname(arch, r->nr, name, sizeof(name));
		if (fmt == TK_HISTOUT_TEXT) {
			uint64_t pm = tot->total_ns ? r->d.sum * 10000 / tot->total_ns : 0;

			if (grouped)
				tk_table_cell(t, "%s", g);
			if (named)
				tk_table_cell(t, "%s", c);
			tk_table_cell(t, "%s", name);
			tk_table_cell(t, "%" PRIu64, r->calls);
			tk_table_cell(t, "%" PRIu64, r->errors);
			tk_table_cell(t, "%" PRIu64 ".%03" PRIu64, r->d.sum / 1000000,
				      r->d.sum / 1000 % 1000);
			us(a, sizeof(a), avg);
			us(b, sizeof(b), p99);
			us(d, sizeof(d), r->d.max);
			/* calls that never returned (exit_group) have no latency */
			tk_table_cell(t, "%s", r->d.n ? a : "-");
			tk_table_cell(t, "%s", r->d.n ? b : "-");
			tk_table_cell(t, "%s", r->d.n ? d : "-");
			snprintf(e, sizeof(e), "%" PRIu64 ".%02" PRIu64, pm / 100, pm % 100);
			tk_table_cell(t, "%s", e);
		} else if (fmt == TK_HISTOUT_CSV) {
			if (grouped) {
				csv_str(out, g);
				fputc(',', out);
			}
			if (named) {
				csv_str(out, c);
				fputc(',', out);
			}
			fprintf(out, "%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
				     ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n",
				name, r->nr, r->calls, r->errors, r->d.n, r->d.sum, avg, p99, r->d.max);
		} else {
			json_object *je = json_object_new_object();

			if (by == TK_SYSSTAT_BY_COMM)
				json_object_object_add(je, "comm", jstr(g));
			else if (grouped)
				json_object_object_add(je, by_col(by), json_object_new_uint64(r->group));
			if (named)
				json_object_object_add(je, "comm", jstr(c));
			json_object_object_add(je, "syscall", jstr(name));
			json_object_object_add(je, "nr", json_object_new_uint64(r->nr));
			json_object_object_add(je, "calls", json_object_new_uint64(r->calls));
			json_object_object_add(je, "errors", json_object_new_uint64(r->errors));
			json_object_object_add(je, "pairs", json_object_new_uint64(r->d.n));
			json_object_object_add(je, "total_ns", json_object_new_uint64(r->d.sum));
			json_object_object_add(je, "avg_ns", json_object_new_uint64(avg));
			json_object_object_add(je, "p99_ns", json_object_new_uint64(p99));
			json_object_object_add(je, "max_ns", json_object_new_uint64(r->d.max));
			json_object_array_add(arr, je);
		}
	}
	if (fmt == TK_HISTOUT_TEXT) {
		char a[32];

		rc = tk_table_print(t, out, "");
		tk_table_destroy(t);
		us(a, sizeof(a), tot->pairs ? tot->total_ns / tot->pairs : 0);
		fprintf(out, "\ntotal: %" PRIu64 " calls, %" PRIu64 " errors, %" PRIu64 ".%03" PRIu64
			     " ms in %" PRIu64 " timed calls (avg %s us)\n",
			tot->calls, tot->errors, tot->total_ns / 1000000, tot->total_ns / 1000 % 1000,
			tot->pairs, a);
		fprintf(out, "untimed: %" PRIu64 " entries without an exit, %" PRIu64
			     " exits without an entry\n",
			tot->entries_without_exit, tot->exits_without_entry);
		return rc < 0 || ferror(out) ? -1 : 0;
	}
	if (fmt == TK_HISTOUT_CSV)
		return ferror(out) ? -1 : 0;
	{
		json_object *jt = json_object_new_object();

		json_object_object_add(jo, "by", jstr(by == TK_SYSSTAT_BY_SYSCALL ? "syscall" : by_col(by)));
		json_object_object_add(jo, "rows", arr);
		json_object_object_add(jt, "calls", json_object_new_uint64(tot->calls));
		json_object_object_add(jt, "errors", json_object_new_uint64(tot->errors));
		json_object_object_add(jt, "pairs", json_object_new_uint64(tot->pairs));
		json_object_object_add(jt, "total_ns", json_object_new_uint64(tot->total_ns));
		json_object_object_add(jt, "entries_without_exit",
				       json_object_new_uint64(tot->entries_without_exit));
		json_object_object_add(jt, "exits_without_entry",
				       json_object_new_uint64(tot->exits_without_entry));
		json_object_object_add(jo, "totals", jt);
	}
	return json_print(out, jo);
}
