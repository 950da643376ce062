/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the text formats: perf script text through the
 * parser (push mode, small caps so limits are reached), the samples
 * through tk_fold with options taken from the first byte, the trie
 * written as folded text, and every line through the folded reader's
 * grammar. Any return value is fine; a crash, a sanitizer report, a hang
 * or memory out of proportion to the input is a bug.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/fold.h"
#include "core/err.h"
#include "formats/folded.h"
#include "formats/pscript.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int add(struct tk_fold *fold, const struct tk_pscript_sample *s)
{
	struct tk_fold_frame frames[64];
	struct tk_fold_sample fs = { .comm = s->comm, .pid = s->pid, .tid = s->tid,
				     .event = s->event, .event_shown = s->event_shown,
				     .period = s->period, .frames = frames,
				     .nframes = s->nframes < 64 ? s->nframes : 64 };
	size_t i;

	for (i = 0; i < s->nframes && i < 64; i++) {
		frames[i].pc = s->frames[i].pc;
		frames[i].sym = s->frames[i].sym;
		frames[i].dso = s->frames[i].dso;
	}
	return tk_fold_add(fold, &fs, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t f = size ? data[0] : 0;
	struct tk_fold_opts fo = { .pid = f & 1, .tid = f & 2, .no_comm = f & 4,
				   .annotate_kernel = f & 8, .annotate_jit = f & 16,
				   .addrs = f & 32, .event = (f & 64) ? "cycles" : NULL,
				   .max_bytes = 1u << 20 };
	struct tk_pscript_opts po = { .max_line = 4096, .max_frames = 64 };
	const char *text = (const char *)data, *end = text + size, *p = text;
	struct tk_pscript_reader *r = NULL;
	struct tk_pscript_sample s;
	struct tk_folded_line fl;
	struct tk_fold *fold;
	FILE *out;
	int ret = 0;

	fold = tk_fold_create(&fo, NULL);
	if (!fold || tk_pscript_create("fuzz", &po, &r, NULL) < 0)
		goto out;
	while (p < end && ret >= 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		tk_folded_parse_line(p, len, &fl);
		ret = tk_pscript_push(r, p, len, &s);
		if (ret > 0)
			ret = add(fold, &s);
		p += len + 1;
	}
	if (ret >= 0 && tk_pscript_finish(r, &s) > 0)
		add(fold, &s);
	out = fopen("/dev/null", "w");
	if (out) {
		tk_folded_write(out, tk_fold_get_stacks(fold), tk_fold_get_names(fold), NULL);
		fclose(out);
	}
out:
	tk_pscript_close(r);
	tk_fold_destroy(fold);
	return 0;
}
