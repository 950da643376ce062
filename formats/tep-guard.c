/* SPDX-License-Identifier: MIT */
/*
 * Guards for libtraceevent 1.7 (Debian 12) against text it mishandles, shared
 * by the trace.dat and perf.data readers: both hand event formats and printk
 * formats from a possibly hostile file to the same parser. Moved here from
 * tdat-read.c unchanged when perf.data needed them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "formats/tep-guard.h"

static bool names_unknown_field(const char *s, size_t len);

/* "offset" or "size" as a word, then ':' and a number outside [0, max]. */
static bool bad_field_number(const char *s, const char *p, const char *end, const char *word)
{
	size_t wl = strlen(word);
	long long v;
	char *e;

	if ((size_t)(end - p) < wl + 1 || memcmp(p, word, wl) != 0)
		return false;
	if (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		return false;
	p += wl;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p >= end || *p != ':')
		return false;
	p++;
	v = strtoll(p, &e, 0);	/* s is NUL-terminated */
	return e != p && (v < 0 || v > TK_TEPGUARD_MAX_FIELD_REACH);
}

/*
 * Formats libtraceevent 1.7 (Debian 12) cannot be trusted with; they are
 * treated as formats it cannot parse. Found by fuzz-tdat; no kernel writes
 * either kind:
 *  - a field offset or size outside [0, 64 KiB]: offset + size then
 *    overflows int, or is negative, and passes libtraceevent's bound check
 *    (check_data_offset_size, dynamic_offset_field), or is never checked
 *    (common_pid via tep_data_pid), so printing reads outside the record;
 *    within the bound every read stays in our zeroed scratch area;
 *  - process_op() follows an array subscript "x[N]" (not "x[]") by an
 *    operator it does not know ("->", "=", "+=", "-=", "|=", "&=", "<<=",
 *    ">>=") with a call on a NULL argument;
 *  - '/' or '%' by a literal 0: eval_num_arg() divides without a check
 *    (SIGFPE). A divisor read from the record can still be 0: the CLI turns
 *    that SIGFPE into a one-line error;
 *  - a '[' not closed on its line: the field-list parser follows NULL;
 *  - REC->x where the event has no field x (names_unknown_field below);
 *  - a byte neither printable nor space: libtraceevent's tokenizer makes a
 *    NULL token of it.
 * Text inside quotes is skipped as libtraceevent's tokenizer does.
 */
bool tk_tepguard_format_trips(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	char quote = 0;

	if (names_unknown_field(s, n))
		return true;
	/* libtraceevent's tokenizer makes a NULL token of a byte that is
	 * neither printable nor space, and the field-list parser compares it
	 * with strcmp ("x[\xff]", found by fuzz-pdat). Kernel formats are
	 * printable ASCII. */
	for (p = s; p < end; p++)
		if (!isprint((unsigned char)*p) && !isspace((unsigned char)*p))
			return true;
	p = s;

	for (; p < end; p++) {
		if (quote) {
			/* as libtraceevent's tokenizer: a non-printing byte also
			 * ends a string */
			if (*p == '\\' && p + 1 < end)
				p++;
			else if (*p == quote || (!isprint((unsigned char)*p) && *p != '\n'))
				quote = 0;
			continue;
		}
		if (*p == '"' || *p == '\'') {
			quote = *p;
			continue;
		}
		if (bad_field_number(s, p, end, "offset") || bad_field_number(s, p, end, "size"))
			return true;
		if (*p == '/' || *p == '%') {
			const char *q = p + 1;
			char *e;
			long long v;

			while (q < end && (isspace((unsigned char)*q) || *q == '('))
				q++;
			v = strtoll(q, &e, 0);
			if (e != q && v == 0)
				return true;
		}
		if (*p == '[') {
			/* an unclosed bracket at the end of a line or of the text
			 * makes the field-list parser dereference NULL */
			const char *q = p + 1;

			while (q < end && *q != '\n' && *q != ']')
				q++;
			if (q >= end || *q != ']')
				return true;
		}
		if (*p == ']') {
			const char *q = p + 1, *b = p;

			/* "x[] =" (kvmmmu's access_str) fails cleanly in
			 * process_array(); only a subscript with content reaches
			 * the bad path. */
			while (b > s && isspace((unsigned char)b[-1]))
				b--;
			if (b > s && b[-1] == '[')
				continue;
			while (q < end && isspace((unsigned char)*q))
				q++;
			if (q < end && *q == '=' && (q + 1 >= end || q[1] != '='))
				return true;
			if (q + 1 < end && *q == '-' && q[1] == '>')
				return true;
			if (q + 1 < end && *q && strchr("+-|&", *q) && q[1] == '=')
				return true;
			if (q + 2 < end && *q && strchr("<>", *q) && q[1] == *q && q[2] == '=')
				return true;
		}
	}
	return false;
}

#define TEPGUARD_MAX_FIELDS 1024

static bool is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* The field names a format declares: the last identifier of each
 * "field:TYPE NAME[N];" line, array brackets after the name dropped
 * ("__data_loc char[] name" keeps its "[]" before the name). */
static size_t field_names(const char *s, const char *end, const char **names, size_t *lens)
{
	const char *line = s;
	size_t n = 0;

	while (line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		const char *p = line, *colon, *semi, *q;

		if (!eol)
			eol = end;
		while (p < eol && isspace((unsigned char)*p))
			p++;
		colon = memchr(p, ':', (size_t)(eol - p));
		semi = colon ? memchr(colon, ';', (size_t)(eol - colon)) : NULL;
		if ((size_t)(eol - p) > 5 && memcmp(p, "field", 5) == 0 && semi) {
			q = semi;
			while (q > colon && isspace((unsigned char)q[-1]))
				q--;
			if (q > colon && q[-1] == ']') {
				while (q > colon && q[-1] != '[')
					q--;
				if (q > colon)
					q--;
				while (q > colon && isspace((unsigned char)q[-1]))
					q--;
			}
			p = q;
			while (p > colon + 1 && is_ident(p[-1]))
				p--;
			if (p < q) {
				if (n >= TEPGUARD_MAX_FIELDS)
					return (size_t)-1;
				names[n] = p;
				lens[n] = (size_t)(q - p);
				n++;
			}
		}
		line = eol + 1;
	}
	return n;
}

/*
 * libtraceevent 1.7 follows NULL when __print_flags() or __print_symbolic()
 * is given REC->x and the event has no field x (found by fuzz-pdat). A
 * kernel's print format only names fields of its own event, so a format
 * that names any other one is not given to it.
 */
static bool names_unknown_field(const char *s, size_t len)
{
	const char *names[TEPGUARD_MAX_FIELDS];
	size_t lens[TEPGUARD_MAX_FIELDS], nf, i;
	const char *end = s + len, *pf, *p;
	char quote = 0;

	pf = strstr(s, "print fmt:");
	if (!pf || pf >= end)
		return false;
	nf = field_names(s, pf, names, lens);
	if (nf == (size_t)-1)
		return true;	/* more fields than any event has */
	for (p = pf + 10; p < end; p++) {
		const char *id;
		size_t il;

		if (quote) {
			if (*p == '\\' && p + 1 < end)
				p++;
			else if (*p == quote)
				quote = 0;
			continue;
		}
		if (*p == '"' || *p == '\'') {
			quote = *p;
			continue;
		}
		if ((size_t)(end - p) < 5 || memcmp(p, "REC->", 5) != 0 ||
		    (p > s && is_ident(p[-1])))
			continue;
		id = p + 5;
		il = 0;
		while (id + il < end && is_ident(id[il]))
			il++;
		for (i = 0; i < nf; i++)
			if (lens[i] == il && memcmp(names[i], id, il) == 0)
				break;
		if (i == nf)
			return true;
		p = id + il - 1;
	}
	return false;
}

/*
 * libtraceevent 1.7's tep_parse_printk_formats() reads past its copy of the
 * text on a last line with no ':' or with nothing after it (it takes the
 * character after the ':' as a space to skip), and tep_register_print_string()
 * reads before the string when the format (less a leading '"') is shorter
 * than 3 characters. Keep only lines "ADDR:X" + a format of at least 3 bytes,
 * compacting s in place; the kernel writes nothing else (found by fuzz-tdat).
 */
void tk_tepguard_printk_filter(char *s, size_t n)
{
	size_t in = 0, out = 0;

	while (in < n) {
		const char *line = s + in, *eol = memchr(line, '\n', n - in);
		size_t len = eol ? (size_t)(eol - line) : n - in;
		const char *p = line, *end = line + len, *colon;

		while (p < end && *p == ':')	/* strtok_r skips leading ':' */
			p++;
		colon = p < end ? memchr(p, ':', (size_t)(end - p)) : NULL;
		if (colon && end - colon >= 2) {
			const char *fmt = colon + 2;

			if (fmt < end && *fmt == '"')
				fmt++;
			if (end - fmt >= 3) {
				memmove(s + out, line, len);
				out += len;
				if (eol)
					s[out++] = '\n';
			}
		}
		in += len + 1;
	}
	s[out] = '\0';
}
