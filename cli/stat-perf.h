/* SPDX-License-Identifier: MIT */
#ifndef TK_CLI_STAT_PERF_H
#define TK_CLI_STAT_PERF_H

#include <stdbool.h>

/* `tracekit stat` on a perf.data ("-": pipe mode on stdin). Exit code. */
int stat_perf(const char *path, bool json);

#endif
