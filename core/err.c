/* SPDX-License-Identifier: MIT */
#include "core/err.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void tk_err_clear(struct tk_err *err)
{
	if (!err)
		return;
	err->code = 0;
	err->sys_errno = 0;
	err->offset = -1;
	err->msg[0] = '\0';
}

void tk_err_set_file(struct tk_err *err, const char *file)
{
	if (!err)
		return;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
}

int tk_err_set(struct tk_err *err, int code, int64_t offset, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code)
		return -code;
	err->code = code;
	err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -code;
}

int tk_err_sys(struct tk_err *err, int errnum, int64_t offset, const char *what)
{
	int ret = tk_err_set(err, TK_EIO, offset, "%s: %s", what, strerror(errnum));

	if (err && err->code == TK_EIO && !err->sys_errno)
		err->sys_errno = errnum;
	return ret;
}

void tk_err_format(const struct tk_err *err, char *buf, size_t len)
{
	const char *file = err->file[0] ? err->file : "(input)";

	if (err->offset >= 0)
		snprintf(buf, len, "%s: offset %" PRId64 " (0x%" PRIx64 "): %s", file,
			 err->offset, (uint64_t)err->offset, err->msg);
	else
		snprintf(buf, len, "%s: %s", file, err->msg);
}

const char *tk_err_codename(int code)
{
	static const char *const names[] = {
		"ok", "out of memory", "I/O error", "truncated", "corrupt",
		"wrong format", "unsupported", "limit reached", "invalid argument", "stopped",
	};

	if (code < 0)
		code = -code;
	if ((size_t)code >= sizeof(names) / sizeof(names[0]))
		return "unknown error";
	return names[code];
}
