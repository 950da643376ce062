/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the trace.dat reader (formats/tdat.h).
 *
 * The reader opens a path and maps it, so the input goes into an in-memory
 * file (memfd) reached through /proc/self/fd/N. Then it runs what
 * `tracekit report` runs: open, every query, every record printed with the
 * same libtraceevent calls as cli/cmd-report.c (both its fast path and
 * tep_print_event), and the conversion to the common event model. Plugins
 * are loaded, as in production.
 *
 * Any return value is fine; what must not happen is a crash, a sanitizer
 * report, a hang or an allocation out of proportion to the input.
 *
 * Built two ways (tests/fuzz/CMakeLists.txt): as a real libFuzzer binary
 * with clang (-DTK_FUZZ=ON), and linked with standalone.c as a corpus
 * replay that runs under gcc as an ordinary ctest test.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "core/event.h"
#include "formats/tdat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/*
 * LeakSanitizer: libtraceevent 1.7.1 (Debian 12) leaks parts of an event
 * format it fails to parse (fixed upstream in 1.8: "Fix event-parse memory
 * leak in process_cond", "Prevent a memory leak in process_fields"). Those
 * are not ours to fix; anything else leaking still fails the run. Read by
 * ASan's runtime at start-up, under libFuzzer and the replay alike.
 */
const char *__lsan_default_suppressions(void)
{
	return "leak:tep_parse_event\n";
}

/* Upper bound on records printed per input, so one input cannot keep the
 * fuzzer busy for minutes; the reader itself is bounded by the file. */
#define FUZZ_MAX_RECORDS 200000

static int input_fd = -1;
static char input_path[64];

static int write_input(const uint8_t *data, size_t size)
{
	size_t off = 0;

	if (input_fd < 0) {
		input_fd = memfd_create("fuzz-tdat", MFD_CLOEXEC);
		if (input_fd < 0) {
			/* No memfd (old kernel, seccomp): a temporary file. */
			char tmpl[] = "/tmp/fuzz-tdat-XXXXXX";

			input_fd = mkstemp(tmpl);
			if (input_fd < 0) {
				perror("fuzz-tdat: mkstemp");
				abort();
			}
			unlink(tmpl);
		}
		snprintf(input_path, sizeof(input_path), "/proc/self/fd/%d", input_fd);
	}
	if (ftruncate(input_fd, 0) < 0) {
		perror("fuzz-tdat: ftruncate");
		abort();
	}
	while (off < size) {
		ssize_t n = pwrite(input_fd, data + off, size - off, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			perror("fuzz-tdat: pwrite");
			abort();
		}
		off += (size_t)n;
	}
	return 0;
}

static void query_all(struct tk_tdat_reader *r)
{
	const struct tk_tdat_info *in = tk_tdat_get_info(r);
	const struct tk_tdat_section *sec;
	volatile uint64_t sink = 0;
	int i, j, n;

	sink += (uint64_t)in->version + (uint64_t)in->ncpus + in->page_size + in->file_size;
	sink += strlen(in->codec_name) + strlen(in->codec_version) + strlen(in->clock);
	if (in->uname)
		sink += strlen(in->uname);
	if (in->tracer_version)
		sink += strlen(in->tracer_version);
	sec = tk_tdat_get_sections(r, &n);
	for (i = 0; i < n; i++)
		sink += strlen(sec[i].name) + sec[i].offset + sec[i].size + sec[i].usize;
	for (i = 0; i < in->nbuffers; i++) {
		const struct tk_tdat_buffer_info *b = tk_tdat_get_buffer(r, i);
		const struct tk_tdat_cpu_info *ci;

		if (!b)
			abort();	/* every index below nbuffers must exist */
		sink += strlen(b->name) + strlen(b->clock) + b->page_size;
		ci = tk_tdat_get_cpus(r, i, &n);
		for (j = 0; j < n; j++)
			sink += (uint64_t)ci[j].cpu + ci[j].data_offset + ci[j].data_size +
				ci[j].pages + ci[j].lost_events + ci[j].overrun;
	}
	sink += strlen(tk_tdat_get_cpustats(r));
	(void)sink;
}

/* The columns cmd-report.c prints, through both of its paths. */
static void print_record(struct tep_handle *tep, struct trace_seq *s,
			 struct tep_record *rec, unsigned int k)
{
	struct tep_event *ev = tep_find_event_by_record(tep, rec);
	int pid = tep_data_pid(tep, rec);

	trace_seq_reset(s);
	if (rec->missed_events > 0)
		trace_seq_printf(s, "CPU:%d [%lld EVENTS DROPPED]\n", rec->cpu,
				 rec->missed_events);
	else if (rec->missed_events < 0)
		trace_seq_printf(s, "CPU:%d [EVENTS DROPPED]\n", rec->cpu);
	trace_seq_printf(s, "%16s-%-5d [%03d] %5llu.%06llu:", tep_data_comm_from_pid(tep, pid),
			 pid, rec->cpu, rec->ts / 1000000000ull, rec->ts % 1000000000ull / 1000);
	tep_print_event(tep, s, rec, "%16s-%-5d [%03d]", TEP_PRINT_COMM, TEP_PRINT_PID,
			TEP_PRINT_CPU);
	switch (k % 3) {
	case 0:
		tep_print_event(tep, s, rec, " %6.1000d:", TEP_PRINT_TIME);
		break;
	case 1:
		tep_print_event(tep, s, rec, " %9.1d:", TEP_PRINT_TIME);
		break;
	default:
		tep_print_event(tep, s, rec, "%12d:", TEP_PRINT_TIME);
		break;
	}
	if (ev)
		trace_seq_printf(s, " %s: ", ev->name ? ev->name : "");
	tep_print_event(tep, s, rec, "%s", TEP_PRINT_INFO);
	/* -R: the raw fields, a different walk over the same format. */
	if (k % 8 == 0)
		tep_print_event(tep, s, rec, "%s", TEP_PRINT_INFO_RAW);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tk_tdat_opts opts = { .raw_ts = false, .no_plugins = false };
	struct tk_tdat_reader *r = NULL;
	struct tep_handle *tep;
	struct tk_tdat_rec tr;
	struct trace_seq s;
	struct tk_err err;
	struct tk_event ev;
	unsigned int k = 0;
	int ret;

	write_input(data, size);
	tk_err_clear(&err);
	/* The last byte picks a variant, so the corpus covers both. */
	if (size && (data[size - 1] & 0x80))
		opts.raw_ts = true;
	ret = tk_tdat_open(input_path, &opts, &r, &err);
	if (ret) {
		char msg[600];

		if (r)
			abort();	/* a failed open must not hand out a reader */
		tk_err_format(&err, msg, sizeof(msg));
		return 0;
	}
	query_all(r);
	if (size && (data[size - 1] & 0x40)) {
		/* Drop CPU 1, as `report -c` would. */
		uint64_t bits[2] = { ~(uint64_t)2, ~(uint64_t)0 };

		tk_tdat_select_cpus(r, bits, 128);
	}
	tep = tk_tdat_get_tep(r);
	trace_seq_init(&s);
	while (k < FUZZ_MAX_RECORDS && (ret = tk_tdat_next(r, &tr)) > 0) {
		if (!tr.rec || tr.rec->data == NULL || tr.rec->size < 0)
			abort();
		print_record(tep, &s, tr.rec, k);
		tk_tdat_to_event(r, &tr, &ev);
		k++;
	}
	trace_seq_destroy(&s);
	if (ret < 0 && tk_tdat_get_err(r)->code == 0)
		abort();	/* an error return must leave a message */
	query_all(r);
	tk_tdat_bytes_read(r);
	tk_tdat_close(r);
	return 0;
}
