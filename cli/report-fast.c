/* SPDX-License-Identifier: MIT */
#include "cli/report-fast.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#define RF_MAX_SPECS 16
#define RF_MAX_LIT 256
#define RF_VERIFY_FIRST 64
#define RF_VERIFY_EVERY 1024
#define RF_MAX_IDS 65536	/* common_type is a u16 */

enum rf_conv { RF_INT, RF_UINT, RF_HEX };

struct rf_spec {
	char lit[RF_MAX_LIT];	/* literal text before the conversion */
	int litlen;
	enum rf_conv conv;
	int lsize;		/* 0 int, 1 long, 2 long long */
	int off, size;		/* where the value is in the record */
};

struct rf_event {
	int state;		/* 1 usable, -1 not */
	uint64_t count;
	int nspec;
	struct rf_spec spec[RF_MAX_SPECS];
	char tail[RF_MAX_LIT];
	int taillen;
};

struct report_fast {
	struct tep_handle *tep;
	struct rf_event *ev[RF_MAX_IDS];
	struct trace_seq check;
	int long_size;
};

struct report_fast *report_fast_create(struct tep_handle *tep)
{
	struct report_fast *rf = calloc(1, sizeof(*rf));

	if (!rf)
		return NULL;
	rf->tep = tep;
	rf->long_size = tep_get_long_size(tep);
	trace_seq_init(&rf->check);
	return rf;
}

void report_fast_destroy(struct report_fast *rf)
{
	int i;

	if (!rf)
		return;
	for (i = 0; i < RF_MAX_IDS; i++)
		free(rf->ev[i]);
	trace_seq_destroy(&rf->check);
	free(rf);
}

/* A plain field, or fixed-array[constant]; anything else is not ours. */
static bool arg_location(struct tep_event *ev, struct tep_print_arg *a, int *off, int *size)
{
	struct tep_format_field *f;

	if (a->type == TEP_PRINT_FIELD) {
		f = a->field.field ? a->field.field : tep_find_any_field(ev, a->field.name);
		if (!f || (f->flags & (TEP_FIELD_IS_ARRAY | TEP_FIELD_IS_DYNAMIC |
				       TEP_FIELD_IS_STRING | TEP_FIELD_IS_RELATIVE)))
			return false;
		*off = f->offset;
		*size = f->size;
	} else if (a->type == TEP_PRINT_OP && a->op.op && !strcmp(a->op.op, "[") && a->op.left &&
		   a->op.right && a->op.left->type == TEP_PRINT_FIELD &&
		   a->op.right->type == TEP_PRINT_ATOM) {
		char *end;
		unsigned long idx = strtoul(a->op.right->atom.atom, &end, 0);

		f = a->op.left->field.field ? a->op.left->field.field
					    : tep_find_any_field(ev, a->op.left->field.name);
		if (*end || !f || !(f->flags & TEP_FIELD_IS_ARRAY) ||
		    (f->flags & (TEP_FIELD_IS_DYNAMIC | TEP_FIELD_IS_RELATIVE)) ||
		    !f->elementsize || idx >= (unsigned long)(f->size / f->elementsize))
			return false;
		*off = f->offset + (int)idx * f->elementsize;
		*size = f->elementsize;
	} else {
		return false;
	}
	return *size == 1 || *size == 2 || *size == 4 || *size == 8;
}

static struct rf_event *compile(struct tep_event *ev)
{
	struct rf_event *e = calloc(1, sizeof(*e));
	struct tep_print_arg *a = ev->print_fmt.args;
	const char *p = ev->print_fmt.format;
	char *lit;
	int *litlen;

	if (!e)
		return NULL;
	e->state = -1;
	if (!p || ev->handler || (ev->flags & (TEP_EVENT_FL_FAILED | TEP_EVENT_FL_ISBPRINT |
					       TEP_EVENT_FL_ISPRINT | TEP_EVENT_FL_PRINTRAW |
					       TEP_EVENT_FL_ISFTRACE)))
		return e;
	lit = e->spec[0].lit;
	litlen = &e->spec[0].litlen;
	while (*p) {
		struct rf_spec *sp;

		if (*p != '%') {
			/* escapes reach here already decoded by libtraceevent */
			if (*litlen >= RF_MAX_LIT - 1 || *p == '\\')
				return e;
			lit[(*litlen)++] = *p++;
			continue;
		}
		if (p[1] == '%') {
			if (*litlen >= RF_MAX_LIT - 1)
				return e;
			lit[(*litlen)++] = '%';
			p += 2;
			continue;
		}
		if (e->nspec >= RF_MAX_SPECS || !a)
			return e;
		sp = &e->spec[e->nspec];
		p++;
		sp->lsize = 0;
		while (*p == 'l' && sp->lsize < 2) {
			sp->lsize++;
			p++;
		}
		switch (*p) {
		case 'd':
		case 'i':
			sp->conv = RF_INT;
			break;
		case 'u':
			sp->conv = RF_UINT;
			break;
		case 'x':
			sp->conv = RF_HEX;
			break;
		default:
			return e;	/* width, flags, %s, %p...: libtraceevent's job */
		}
		p++;
		if (!arg_location(ev, a, &sp->off, &sp->size))
			return e;
		a = a->next;
		e->nspec++;
		lit = e->nspec < RF_MAX_SPECS ? e->spec[e->nspec].lit : e->tail;
		litlen = e->nspec < RF_MAX_SPECS ? &e->spec[e->nspec].litlen : &e->taillen;
	}
	if (a || !e->nspec)
		return e;
	if (e->nspec < RF_MAX_SPECS) {
		memcpy(e->tail, e->spec[e->nspec].lit, (size_t)e->spec[e->nspec].litlen);
		e->taillen = e->spec[e->nspec].litlen;
	}
	e->state = 1;
	return e;
}

static size_t put_u(char *b, unsigned long long v, bool hex)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		unsigned d = (unsigned)(hex ? v & 15 : v % 10);

		tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v = hex ? v >> 4 : v / 10;
	} while (v);
	for (i = 0; i < n; i++)
		b[i] = tmp[n - 1 - i];
	return n;
}

/* The value as C's printf would see it after libtraceevent's cast. */
static size_t put_value(char *b, unsigned long long val, const struct rf_spec *sp)
{
	if (sp->lsize == 0) {
		if (sp->conv == RF_INT) {
			int v = (int)val;

			if (v < 0) {
				b[0] = '-';
				return 1 + put_u(b + 1, (unsigned long long)(-(long long)v), false);
			}
			return put_u(b, (unsigned long long)v, false);
		}
		return put_u(b, (unsigned int)val, sp->conv == RF_HEX);
	}
	if (sp->conv == RF_INT) {
		long long v = (long long)val;

		if (v < 0) {
			b[0] = '-';
			return 1 + put_u(b + 1, 0ull - (unsigned long long)v, false);
		}
		return put_u(b, (unsigned long long)v, false);
	}
	return put_u(b, val, sp->conv == RF_HEX);
}

static size_t render(struct report_fast *rf, const struct rf_event *e, struct tep_record *rec,
		     char *b)
{
	const uint8_t *data = rec->data;
	size_t n = 0;
	int i;

	for (i = 0; i < e->nspec; i++) {
		const struct rf_spec *sp = &e->spec[i];
		unsigned long long v = 0;

		memcpy(b + n, sp->lit, (size_t)sp->litlen);
		n += (size_t)sp->litlen;
		/* libtraceevent reads 0 for a field past the record's end */
		if (sp->off + sp->size <= rec->size)
			v = tep_read_number(rf->tep, data + sp->off, sp->size);
		n += put_value(b + n, v, sp);
	}
	memcpy(b + n, e->tail, (size_t)e->taillen);
	return n + (size_t)e->taillen;
}

int report_fast_info(struct report_fast *rf, struct tep_event *ev, struct tep_record *rec,
		     char *buf, size_t cap, size_t *len)
{
	struct rf_event *e;
	size_t need, n;

	if (ev->id < 0 || ev->id >= RF_MAX_IDS)
		return 0;
	e = rf->ev[ev->id];
	if (!e) {
		e = rf->ev[ev->id] = compile(ev);
		if (!e)
			return 0;
	}
	if (e->state != 1)
		return 0;
	need = (size_t)e->nspec * (RF_MAX_LIT + 24) + RF_MAX_LIT;
	if (cap - *len < need)
		return 0;
	n = render(rf, e, rec, buf + *len);
	if (e->count < RF_VERIFY_FIRST || e->count % RF_VERIFY_EVERY == 0) {
		trace_seq_reset(&rf->check);
		tep_print_event(rf->tep, &rf->check, rec, "%s", TEP_PRINT_INFO);
		if (rf->check.len != n || memcmp(rf->check.buffer, buf + *len, n)) {
			e->state = -1;	/* not exact: libtraceevent prints it from now on */
			return 0;
		}
	}
	e->count++;
	*len += n;
	return 1;
}
