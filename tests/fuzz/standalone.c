/* SPDX-License-Identifier: MIT */
/*
 * Corpus replay without libFuzzer (zstd's regression_driver.c, libgit2's
 * standalone fuzzers): runs LLVMFuzzerTestOneInput on every file named on
 * the command line and on every regular file directly inside (and one
 * level below) each directory named, in sorted order. Built with gcc and
 * ASan/UBSan, this makes a fuzz target an ordinary ctest test.
 *
 * Prints one line per file and then exactly "N passed, 0 failed". A crash
 * or sanitizer report kills the process, so a file "fails" by the test
 * failing; a file that cannot be read counts as failed. Files whose name
 * starts with '.' and README.md files are skipped.
 */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer's default -max_len for corpus files is larger; inputs above
 * this are refused so a stray big file cannot make the test slow. */
#define REPLAY_MAX_SIZE (16u << 20)

static unsigned long passed, failed;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_file(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return -1;
	for (;;) {
		size_t got;

		if (n == cap) {
			uint8_t *nb;

			if (cap >= REPLAY_MAX_SIZE) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb)
				goto fail;
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f))
				goto fail;
			break;
		}
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
fail:
	free(buf);
	fclose(f);
	return -1;
}

static void run_file(const char *path)
{
	uint8_t *data = NULL;
	size_t len = 0;
	double t0;

	if (read_file(path, &data, &len) < 0) {
		printf("FAIL %s: %s\n", path, strerror(errno));
		failed++;
		return;
	}
	t0 = now();
	/* libFuzzer hands out a buffer of exactly the input's size; so do we
	 * (a zero-size input gets a non-NULL pointer it must not read). */
	LLVMFuzzerTestOneInput(len ? data : (const uint8_t *)"", len);
	printf("ok   %s (%zu bytes, %.3f s)\n", path, len, now() - t0);
	fflush(stdout);
	free(data);
	passed++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_path(const char *path, int depth)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	DIR *d;

	if (stat(path, &st) < 0) {
		printf("FAIL %s: %s\n", path, strerror(errno));
		failed++;
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}
	if (depth > 1)
		return;
	d = opendir(path);
	if (!d) {
		printf("FAIL %s: %s\n", path, strerror(errno));
		failed++;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "README.md") == 0)
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*names));

			if (!nn)
				abort();
			names = nn;
		}
		{
			size_t len = strlen(path) + strlen(de->d_name) + 2;

			names[n] = malloc(len);
			if (!names[n])
				abort();
			snprintf(names[n], len, "%s/%s", path, de->d_name);
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		run_path(names[i], depth + 1);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	double t0 = now();
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		run_path(argv[i], 0);
	printf("replayed in %.1f s\n", now() - t0);
	printf("%lu passed, %lu failed\n", passed, failed);
	return failed ? 1 : 0;
}
