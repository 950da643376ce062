/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the perf.data reader (formats/pdat.h).
 *
 * The input is read as a file (written to a memfd and opened as
 * /proc/self/fd/N, so it is mapped as in production) or, when the last
 * byte asks for it, through a pipe with tk_pdat_open_fd. Then it runs what
 * a perf.data consumer runs: every query, every record with every pointer
 * it hands out touched, tracepoint payloads printed through libtraceevent
 * with the formats from the file, and close. Plugins are loaded, as in
 * production.
 *
 * Any return value is fine; what must not happen is a crash, a sanitizer
 * report, a hang or an allocation out of proportion to the input.
 *
 * Built two ways (tests/fuzz/CMakeLists.txt): as a real libFuzzer binary
 * with clang (-DTK_FUZZ=ON), and linked with standalone.c as a corpus
 * replay that runs under gcc as an ordinary ctest test.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "formats/pdat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* libtraceevent 1.7.1 leaks parts of event formats it fails to parse
 * (fixed in 1.8); see fuzz-tdat.c. Nothing else is suppressed. */
const char *__lsan_default_suppressions(void)
{
	return "leak:tep_parse_event\n";
}

/* Upper bound on records per input: a small zstd stream can expand to
 * many records, and one input must not keep the fuzzer busy for minutes. */
#define FUZZ_MAX_RECORDS 200000
/* Inputs up to this size also go through a pipe (F_SETPIPE_SZ max). */
#define FUZZ_PIPE_MAX (1u << 20)

static int input_fd = -1;
static char input_path[64];

static void write_input(const uint8_t *data, size_t size)
{
	size_t off = 0;

	if (input_fd < 0) {
		input_fd = memfd_create("fuzz-pdat", MFD_CLOEXEC);
		if (input_fd < 0) {
			char tmpl[] = "/tmp/fuzz-pdat-XXXXXX";

			input_fd = mkstemp(tmpl);
			if (input_fd < 0) {
				perror("fuzz-pdat: mkstemp");
				abort();
			}
			unlink(tmpl);
		}
		snprintf(input_path, sizeof(input_path), "/proc/self/fd/%d", input_fd);
	}
	if (ftruncate(input_fd, 0) < 0) {
		perror("fuzz-pdat: ftruncate");
		abort();
	}
	while (off < size) {
		ssize_t n = pwrite(input_fd, data + off, size - off, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			perror("fuzz-pdat: pwrite");
			abort();
		}
		off += (size_t)n;
	}
}

/* A pipe already holding the whole input, write end closed; -1 if the
 * input does not fit the pipe. */
static int input_pipe(const uint8_t *data, size_t size)
{
	int fds[2];
	size_t off = 0;

	if (size > FUZZ_PIPE_MAX || pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	if (size > 65536 && fcntl(fds[1], F_SETPIPE_SZ, (int)FUZZ_PIPE_MAX) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	while (off < size) {
		ssize_t n = write(fds[1], data + off, size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fds[0]);
			close(fds[1]);
			return -1;
		}
		off += (size_t)n;
	}
	close(fds[1]);
	return fds[0];
}

static volatile uint64_t sink;

static void touch_str(const char *s)
{
	if (s)
		sink += strlen(s);
}

static void query_all(struct tk_pdat_reader *r)
{
	const struct tk_pdat_info *in = tk_pdat_get_info(r);
	const struct tk_pdat_counts *c = tk_pdat_get_counts(r);
	const struct tk_pdat_buildid *b;
	int i, n;
	uint32_t j;

	touch_str(in->hostname);
	touch_str(in->osrelease);
	touch_str(in->version);
	touch_str(in->arch);
	touch_str(in->cpudesc);
	touch_str(in->cpuid);
	touch_str(in->cmdline);
	sink += in->nr_cpus_avail + in->total_mem_kb + in->data_size + in->salvage_dropped;
	if (in->nattrs != tk_pdat_nattrs(r))
		abort();
	for (i = 0; i < tk_pdat_nattrs(r); i++) {
		const struct tk_pdat_attr *a = tk_pdat_get_attr(r, i);

		if (!a)
			abort();	/* every index below nattrs must exist */
		touch_str(a->name);
		for (j = 0; j < a->nids; j++)
			sink += a->ids[j];
		if (a->tp)
			touch_str(a->tp->name);
	}
	if (tk_pdat_get_attr(r, tk_pdat_nattrs(r)) || tk_pdat_get_attr(r, -1))
		abort();
	b = tk_pdat_get_buildids(r, &n);
	for (i = 0; i < n; i++) {
		touch_str(b[i].filename);
		sink += b[i].id[b[i].size ? b[i].size - 1 : 0];
	}
	for (i = 0; i < 128; i++)
		sink += c->by_type[i];
	sink += c->records + c->unknown + c->unordered + tk_pdat_bytes_read(r);
	if (!tk_pdat_get_tep(r))
		abort();
}

static void touch_words(const uint64_t *w, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		sink += w[i];
}

static void use_record(struct tk_pdat_reader *r, const struct tk_pdat_rec *rec,
		       struct trace_seq *s, unsigned int k)
{
	const struct tk_pdat_sample *x = &rec->u.sample;
	const struct tk_pdat_attr *a;

	if (!rec->data || rec->size < 8)
		abort();
	sink += rec->data[rec->size - 1];
	switch (rec->type) {
	case TK_PDAT_SAMPLE:
		if (x->callchain)
			touch_words(x->callchain, x->nr);
		else if (x->nr)
			abort();
		if (x->read)
			touch_words(x->read, x->read_nwords);
		if (x->branch)
			touch_words(x->branch, x->branch_nr * 3);
		if (x->regs_user)
			touch_words(x->regs_user, x->regs_user_n);
		if (!x->raw)
			break;
		/* the payload and the zero padding after it are ours to read */
		sink += x->raw[x->raw_size + 65535];
		a = tk_pdat_get_attr(r, rec->attr);
		if (a && a->tp) {
			struct tep_record tr;

			memset(&tr, 0, sizeof(tr));
			tr.ts = rec->time;
			tr.cpu = (int)x->cpu;
			tr.data = (void *)(uintptr_t)x->raw;
			tr.size = (int)x->raw_size;
			trace_seq_reset(s);
			tep_print_event(tk_pdat_get_tep(r), s, &tr, "%s-%d %s", TEP_PRINT_COMM,
					TEP_PRINT_PID, TEP_PRINT_INFO);
			if (k % 8 == 0)
				tep_print_event(tk_pdat_get_tep(r), s, &tr, "%s",
						TEP_PRINT_INFO_RAW);
		}
		break;
	case TK_PDAT_MMAP:
	case TK_PDAT_MMAP2:
		touch_str(rec->u.mmap.filename);
		break;
	case TK_PDAT_COMM:
		touch_str(rec->u.comm.comm);
		break;
	case TK_PDAT_KSYMBOL:
		touch_str(rec->u.ksymbol.name);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tk_pdat_opts opts = { 0 };
	struct tk_pdat_reader *r = NULL;
	struct tk_pdat_rec rec;
	struct trace_seq s;
	struct tk_err err;
	unsigned int k = 0;
	uint8_t last = size ? data[size - 1] : 0;
	int ret, fd = -1;

	/* The last byte picks the variant, so the corpus covers them all. */
	opts.unordered = last & 0x80;
	if (last & 0x20)
		opts.reorder_max = 1;	/* the smallest queue: early flushes */
	tk_err_clear(&err);
	if (last & 0x40)
		fd = input_pipe(data, size);
	if (fd >= 0) {
		ret = tk_pdat_open_fd(fd, "fuzz-pipe", &opts, &r, &err);
	} else {
		write_input(data, size);
		ret = tk_pdat_open(input_path, &opts, &r, &err);
	}
	if (ret) {
		char msg[600];

		if (r || !err.code)
			abort();	/* a failed open hands out no reader, says why */
		tk_err_format(&err, msg, sizeof(msg));
		if (fd >= 0)
			close(fd);
		return 0;
	}
	query_all(r);
	trace_seq_init(&s);
	while (k < FUZZ_MAX_RECORDS && (ret = tk_pdat_next(r, &rec)) > 0) {
		use_record(r, &rec, &s, k);
		k++;
	}
	trace_seq_destroy(&s);
	if (ret < 0 && tk_pdat_get_err(r)->code == 0)
		abort();	/* an error return must leave a message */
	if (ret < 0 && tk_pdat_next(r, &rec) != ret)
		abort();	/* errors stick */
	query_all(r);
	tk_pdat_close(r);
	if (fd >= 0)
		close(fd);
	return 0;
}
