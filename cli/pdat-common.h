/* SPDX-License-Identifier: MIT */
#ifndef TK_CLI_PDAT_COMMON_H
#define TK_CLI_PDAT_COMMON_H

/* What every perf.data subcommand does: open, build the machine, feed it. */

struct tk_machine;
struct tk_pdat_opts;
struct tk_pdat_reader;
struct tk_pdat_rec;

/* Open path ("-": pipe mode on stdin); prints the error. 0 or exit code. */
int cli_open_pdat(const char *path, const struct tk_pdat_opts *opts,
		  struct tk_pdat_reader **out);

/* The machine for a reader's recording; prints the error. 0 or exit code. */
int cli_pdat_machine(struct tk_pdat_reader *r, const char *kallsyms, const char *symfs,
		     struct tk_machine **out);

/*
 * Tell the machine what a record says of the world (maps, comms, forks,
 * exits) and hand it build ids it has not seen; *nbuild counts those
 * already given (start at 0). Samples are left to the caller. 0 or < 0.
 */
int cli_pdat_feed(struct tk_machine *m, struct tk_pdat_reader *r,
		  const struct tk_pdat_rec *rec, int *nbuild);

/* After a failed tk_pdat_next() or feed: print the error, return exit code. */
int cli_fail_pdat(struct tk_pdat_reader *r, struct tk_machine *m);

#endif
