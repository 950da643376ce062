/* SPDX-License-Identifier: MIT */
#ifndef TK_CORE_ERR_H
#define TK_CORE_ERR_H

#include <stddef.h>
#include <stdint.h>

/*
 * Expected failures only; programming errors are asserts. Functions return
 * 0 (or a count) on success and the negated code on failure.
 */
enum tk_errcode {
	TK_OK = 0,
	TK_ENOMEM = 1,	/* allocation failed */
	TK_EIO,		/* read/write/open failed; errno saved in sys_errno */
	TK_ETRUNC,	/* the file ends before a structure it promises */
	TK_ECORRUPT,	/* bytes that make no sense */
	TK_EFORMAT,	/* wrong kind of file */
	TK_EUNSUPP,	/* a version or feature we do not handle */
	TK_ELIMIT,	/* a configured bound was hit */
	TK_EINVAL,	/* bad user argument */
	TK_STOP,	/* a callback asked to stop; not an error */
};

/*
 * Caller-owned error record (curl's error buffer, libgit2's message rules).
 * Library code fills it; only cli/ prints it.
 */
struct tk_err {
	int code;		/* enum tk_errcode, 0 when clear */
	int sys_errno;		/* errno for TK_EIO */
	int64_t offset;		/* file offset the problem was found at, -1 if none */
	char file[256];		/* file name (may be truncated) */
	char msg[256];		/* one line, no trailing newline */
};

void tk_err_clear(struct tk_err *err);

/*
 * Record an error unless one is already recorded (the first cause wins).
 * Returns -code so callers can write `return tk_err_set(...)`.
 */
int tk_err_set(struct tk_err *err, int code, int64_t offset, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Like tk_err_set for TK_EIO, appending strerror(errnum). */
int tk_err_sys(struct tk_err *err, int errnum, int64_t offset, const char *what);

void tk_err_set_file(struct tk_err *err, const char *file);

/* "FILE: offset N (0xN): MSG" (no program name, no newline). */
void tk_err_format(const struct tk_err *err, char *buf, size_t len);

const char *tk_err_codename(int code);

#endif
