/* SPDX-License-Identifier: MIT */
/*
 * tracekit-record's ftrace mode. Threads: one per CPU moving whole
 * sub-buffers from trace_pipe_raw to an unnamed temporary file with
 * splice (tracefs_cpu_write), and the caller's thread, which only waits for
 * a stop condition and then assembles the trace.dat.
 *
 * Disk space: the temporary files live in the output's directory (so a
 * full disk shows up while tracing, not only at the end). A reserve file of
 * the metadata's size is allocated there first and freed before the file is
 * assembled, and the temporary data is punched out behind the copy, so a
 * recording stopped by ENOSPC still fits into a valid file.
 */
#include "record/rec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>
#include <traceevent/kbuffer.h>


#ifndef TK_VERSION
#define TK_VERSION "0.0.0"
#endif

/* saved_cmdlines entries we ask for, so comms of short-lived tasks survive. */
#define REC_CMDLINES 32768
/* Assembly copies this much temporary data at a time (whole pages). */
#define REC_COPY_BYTES (1u << 20)
/* The main thread looks at its stop conditions at least this often (ms). */
#define REC_TICK_MS 100
/* Most CPUs we open (possible CPUs on this host are far fewer). */
#define REC_MAX_CPUS 4096

struct rec_evsel {
	char *system;
	char *event;
};

struct rec_cpu {
	struct tk_rec *r;
	int cpu;
	struct tracefs_cpu *tcpu;
	int fd;				/* temporary data */
	pthread_t thread;
	bool started;
	_Atomic uint64_t bytes;
	_Atomic int err;		/* errno of a failed write, 0 none */
	atomic_bool done;
	struct tk_rec_cpu_summary sum;
};

struct tk_rec {
	struct tk_rec_opts o;
	struct tracefs_instance *inst;
	char inst_name[64];
	int ncpus;			/* configured CPUs: the file's CPU count */
	struct rec_cpu *cpus;
	uint32_t page_size;

	struct rec_evsel *sel;
	size_t nsel;
	struct tk_rec_cpu_summary *sums;	/* handed out by tk_rec_run */

	int out_fd;
	bool out_written;		/* else the output is removed at destroy */
	int reserve_fd;
	char *out_dir;
	int wake[2];			/* workers -> main: something to look at */
	atomic_bool stopping;		/* workers: leave the blocking loop */
	atomic_bool abandon;		/* workers: stop draining */

	long old_cmdlines_size;		/* to restore, -1 untouched */
	pid_t child;
	int go_fd;			/* write end: lets the child exec */
	int exec_err_fd;		/* read end: errno of a failed exec */
	int child_status;

	/* metadata, read before tracing (the reserve is sized from it) */
	char *header_page, *header_event, *kallsyms, *printk;
	size_t header_page_len, header_event_len, kallsyms_len, printk_len;
	struct tk_tdatw_blob *ftrace;
	char **ftrace_bufs;
	size_t nftrace;
};

const char *tk_rec_stop_name(enum tk_rec_stop reason)
{
	switch (reason) {
	case TK_REC_STOP_SIGNAL:
		return "signal";
	case TK_REC_STOP_DURATION:
		return "duration (-d) expired";
	case TK_REC_STOP_LIMIT:
		return "size limit (-m) reached";
	case TK_REC_STOP_COMMAND:
		return "command exited";
	case TK_REC_STOP_NOSPACE:
		return "disk full";
	case TK_REC_STOP_ERROR:
		return "write error";
	default:
		return "not stopped";
	}
}

static void logf_(struct tk_rec *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct tk_rec *r, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (!r->o.log)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->o.log(r->o.log_arg, buf);
}

/* ---- files ------------------------------------------------------------- */

/* Whole file into memory (procfs/tracefs files report size 0). */
static int slurp(const char *path, char **out, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap), *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf) {
		int e = fd < 0 ? errno : ENOMEM;

		free(buf);
		if (fd >= 0)
			close(fd);
		return -e;
	}
	for (;;) {
		ssize_t k;

		if (n == cap) {
			p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = p;
			cap *= 2;
		}
		k = read(fd, buf + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;

			free(buf);
			close(fd);
			return -e;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	*out = buf;
	*len = n;
	return 0;
}

/* A file under the tracing directory (top level), NULL-safe length. */
static int slurp_tracefs(const char *rel, char **out, size_t *len)
{
	char *path = tracefs_get_tracing_file(rel);
	int ret;

	if (!path)
		return -ENOMEM;
	ret = slurp(path, out, len);
	tracefs_put_tracing_file(path);
	return ret;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* An unnamed file in dir (removed by the kernel when closed). */
static int tmpfile_in(const char *dir, const char *hint)
{
	char path[4096];
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != ENOENT))
		return fd;
	/* file systems without O_TMPFILE: a named file, unlinked at once */
	snprintf(path, sizeof(path), "%s/.%s.%d.XXXXXX", dir, hint, (int)getpid());
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/* ---- tracefs setup ----------------------------------------------------- */

static int instance_write(struct tk_rec *r, const char *file, const char *val)
{
	return tracefs_instance_file_write(r->inst, file, val) < 0 ? -1 : 0;
}

/* The kernel's error log, one line: "error: ... Command: ...". */
static void error_log_line(struct tk_rec *r, char *buf, size_t len)
{
	char *log = tracefs_error_last(r->inst), *s, *d;

	buf[0] = '\0';
	if (!log)
		return;
	s = strstr(log, "] ");
	s = s ? s + 2 : log;
	for (d = buf; *s && (size_t)(d - buf) < len - 1; s++) {
		if (*s == '\n' || *s == '\t')
			*s = ' ';
		if (*s == ' ' && d > buf && d[-1] == ' ')
			continue;
		*d++ = *s;
	}
	while (d > buf && d[-1] == ' ')
		d--;
	*d = '\0';
	free(log);
}

static int add_sel(struct tk_rec *r, const char *sys, const char *ev, struct tk_err *err)
{
	struct rec_evsel *n;
	size_t i;

	for (i = 0; i < r->nsel; i++)
		if (!strcmp(r->sel[i].system, sys) && !strcmp(r->sel[i].event, ev))
			return 0;	/* already selected by an earlier -e */
	n = realloc(r->sel, (r->nsel + 1) * sizeof(*n));
	if (!n)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	r->sel = n;
	n[r->nsel].system = strdup(sys);
	n[r->nsel].event = strdup(ev);
	if (!n[r->nsel].system || !n[r->nsel].event)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	r->nsel++;
	return 0;
}

/*
 * Resolve one -e into events: SYSTEM:EVENT, SYSTEM (all its events) or
 * EVENT (in any system), each part a glob. New selections are appended.
 */
static int resolve_event(struct tk_rec *r, const char *pattern, struct tk_err *err)
{
	char *pat = strdup(pattern), *colon, *spat, *epat;
	char **systems = NULL;
	int i, ret = 0;
	bool matched = false;

	if (!pat)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	colon = strchr(pat, ':');
	if (!colon)
		colon = strchr(pat, '/');	/* the uprobe_events "group/event" spelling */
	if (colon) {
		*colon = '\0';
		spat = pat;
		epat = colon + 1;
	} else {
		spat = NULL;
		epat = pat;
	}
	systems = tracefs_event_systems(NULL);
	for (i = 0; systems && systems[i] && !ret; i++) {
		char **events;
		bool sys_match = spat ? !fnmatch(spat, systems[i], 0)
				      : !fnmatch(epat, systems[i], 0);
		int k;

		/* "-e SYSTEM" means all of it; "-e EVENT" any system's EVENT */
		if (spat && !sys_match)
			continue;
		events = tracefs_system_events(NULL, systems[i]);
		for (k = 0; events && events[k] && !ret; k++) {
			bool ok;

			if (spat)
				ok = !fnmatch(epat, events[k], 0);
			else
				ok = sys_match || !fnmatch(epat, events[k], 0);
			if (!ok)
				continue;
			/* the ftrace system holds the tracer's own records */
			if (!strcmp(systems[i], "ftrace"))
				continue;
			matched = true;
			ret = add_sel(r, systems[i], events[k], err);
		}
		tracefs_list_free(events);
	}
	tracefs_list_free(systems);
	free(pat);
	if (ret)
		return ret;
	if (!matched)
		return tk_err_set(err, TK_EINVAL, -1,
				  "no event matches '%s' (see %s/available_events)", pattern,
				  tracefs_tracing_dir());
	return 0;
}

static int set_filter(struct tk_rec *r, size_t from, size_t to, const char *filter,
		      struct tk_err *err)
{
	size_t i;

	for (i = from; i < to; i++) {
		char log[200];

		tracefs_error_clear(r->inst);
		if (tracefs_event_file_write(r->inst, r->sel[i].system, r->sel[i].event, "filter",
					     filter) >= 0)
			continue;
		error_log_line(r, log, sizeof(log));
		return tk_err_set(err, TK_EINVAL, -1, "bad filter '%s' for %s:%s: %s", filter,
				  r->sel[i].system, r->sel[i].event,
				  log[0] ? log : strerror(errno));
	}
	return 0;
}

static int read_metadata(struct tk_rec *r, struct tk_err *err)
{
	char **evs;
	size_t i, n = 0;
	int ret;

	ret = slurp_tracefs("events/header_page", &r->header_page, &r->header_page_len);
	if (!ret)
		ret = slurp_tracefs("events/header_event", &r->header_event, &r->header_event_len);
	if (ret)
		return tk_err_sys(err, -ret, -1, "cannot read events/header_page");
	ret = slurp_tracefs("printk_formats", &r->printk, &r->printk_len);
	if (ret) {
		r->printk = NULL;
		r->printk_len = 0;
		logf_(r, "printk_formats unreadable (%s): stored empty", strerror(-ret));
	}
	ret = slurp("/proc/kallsyms", &r->kallsyms, &r->kallsyms_len);
	if (ret) {
		r->kallsyms = NULL;
		r->kallsyms_len = 0;
		logf_(r, "/proc/kallsyms unreadable (%s): stored empty", strerror(-ret));
	}
	/* Every ftrace format, as trace-cmd stores them (kernel_stack for -T). */
	evs = tracefs_system_events(NULL, "ftrace");
	while (evs && evs[n])
		n++;
	r->ftrace = calloc(n ? n : 1, sizeof(*r->ftrace));
	r->ftrace_bufs = calloc(n ? n : 1, sizeof(*r->ftrace_bufs));
	if (!r->ftrace || !r->ftrace_bufs) {
		tracefs_list_free(evs);
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	}
	for (i = 0; i < n; i++) {
		char rel[512];
		size_t len;

		snprintf(rel, sizeof(rel), "events/ftrace/%s/format", evs[i]);
		if (slurp_tracefs(rel, &r->ftrace_bufs[r->nftrace], &len))
			continue;
		r->ftrace[r->nftrace].data = r->ftrace_bufs[r->nftrace];
		r->ftrace[r->nftrace].len = len;
		r->nftrace++;
	}
	tracefs_list_free(evs);
	return 0;
}

static void restore_cmdlines(struct tk_rec *r)
{
	char val[32];
	char *cur;

	if (r->old_cmdlines_size < 0)
		return;
	/* Only if nobody changed it meanwhile (another recorder may have). */
	cur = tracefs_instance_file_read(NULL, "saved_cmdlines_size", NULL);
	if (cur && strtol(cur, NULL, 10) == REC_CMDLINES) {
		snprintf(val, sizeof(val), "%ld", r->old_cmdlines_size);
		tracefs_instance_file_write(NULL, "saved_cmdlines_size", val);
	}
	free(cur);
	r->old_cmdlines_size = -1;
}

static void enlarge_cmdlines(struct tk_rec *r)
{
	char *cur = tracefs_instance_file_read(NULL, "saved_cmdlines_size", NULL);
	long n = cur ? strtol(cur, NULL, 10) : -1;
	char val[32];

	free(cur);
	if (n < 0 || n >= REC_CMDLINES)
		return;
	snprintf(val, sizeof(val), "%d", REC_CMDLINES);
	if (tracefs_instance_file_write(NULL, "saved_cmdlines_size", val) < 0) {
		logf_(r, "cannot enlarge saved_cmdlines_size (%s): comms may show as <...>",
		      strerror(errno));
		return;
	}
	r->old_cmdlines_size = n;
}

static int check_access(struct tk_err *err)
{
	const char *dir = tracefs_tracing_dir();
	char path[4096];

	if (!dir)
		return tk_err_set(err, TK_EIO, -1,
				  "tracefs is not mounted and could not be mounted; mount it "
				  "with: mount -t tracefs nodev /sys/kernel/tracing");
	snprintf(path, sizeof(path), "%s/instances", dir);
	if (access(path, W_OK) < 0) {
		if (errno == EACCES || errno == EPERM)
			return tk_err_set(err, TK_EIO, -1,
					  "no permission to use tracefs at %s: run as root "
					  "(or with write access to tracefs)",
					  dir);
		return tk_err_set(err, TK_EIO, -1,
				  "%s is not usable (%s); mount tracefs with: mount -t tracefs "
				  "nodev /sys/kernel/tracing",
				  path, strerror(errno));
	}
	return 0;
}

/*
 * Instances of recorders that died without cleaning up (SIGKILL). Listed
 * with readdir: tracefs_instances() leaks its regex in libtracefs 1.6.
 */
static void remove_stale_instances(struct tk_rec *r)
{
	static const char prefix[] = "tracekit-record-";
	char *path = tracefs_get_tracing_file("instances");
	DIR *d = path ? opendir(path) : NULL;
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL) {
		struct tracefs_instance *inst;
		char *end;
		long pid;

		if (strncmp(e->d_name, prefix, sizeof(prefix) - 1))
			continue;
		pid = strtol(e->d_name + sizeof(prefix) - 1, &end, 10);
		if (pid <= 0 || *end || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		inst = tracefs_instance_alloc(NULL, e->d_name);
		if (inst && tracefs_instance_destroy(inst) == 0)
			logf_(r, "removed instance %s left by a killed recorder", e->d_name);
		tracefs_instance_free(inst);
	}
	if (d)
		closedir(d);
	tracefs_put_tracing_file(path);
}

static int open_output(struct tk_rec *r, struct tk_err *err)
{
	const char *slash = strrchr(r->o.output, '/');

	r->out_fd = open(r->o.output, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (r->out_fd < 0)
		return tk_err_set(err, TK_EIO, -1, "cannot create %s: %s", r->o.output,
				  strerror(errno));
	if (!slash)
		r->out_dir = strdup(".");
	else if (slash == r->o.output)
		r->out_dir = strdup("/");
	else
		r->out_dir = strndup(r->o.output, (size_t)(slash - r->o.output));
	if (!r->out_dir)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	return 0;
}

/* Space the metadata will need at assembly, held until then. */
static int make_reserve(struct tk_rec *r, struct tk_err *err)
{
	off_t need = (off_t)(r->header_page_len + r->header_event_len + r->kallsyms_len +
			     r->printk_len) +
		     (off_t)REC_CMDLINES * 24 + (off_t)r->ncpus * 2 * r->page_size +
		     4 * REC_COPY_BYTES + (256 << 10);
	size_t i;
	int ret;

	for (i = 0; i < r->nftrace; i++)
		need += (off_t)r->ftrace[i].len;
	need += (off_t)r->nsel * 8192;
	r->reserve_fd = tmpfile_in(r->out_dir, "reserve");
	if (r->reserve_fd < 0)
		return tk_err_set(err, TK_EIO, -1, "cannot create a temporary file in %s: %s",
				  r->out_dir, strerror(errno));
	ret = posix_fallocate(r->reserve_fd, 0, need);
	if (ret == ENOSPC)
		return tk_err_set(err, TK_EIO, -1,
				  "%s has less than the %lld bytes free the file's metadata needs",
				  r->out_dir, (long long)need);
	if (ret)
		logf_(r, "cannot reserve space in %s (%s): a full disk may cost the metadata",
		      r->out_dir, strerror(ret));
	return 0;
}

struct tk_rec *tk_rec_create(const struct tk_rec_opts *opts, struct tk_err *err)
{
	struct tk_rec *r;
	char val[64];
	size_t i;
	int cpu;

	r = calloc(1, sizeof(*r));
	if (!r) {
		tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		return NULL;
	}
	r->o = *opts;
	r->out_fd = r->reserve_fd = r->go_fd = r->exec_err_fd = -1;
	r->wake[0] = r->wake[1] = -1;
	r->old_cmdlines_size = -1;
	r->child = -1;
	r->child_status = -1;
	if (!r->o.nevents && !r->o.nuprobes) {
		tk_err_set(err, TK_EINVAL, -1, "no events to record (give -e or --uprobe)");
		goto fail;
	}
	if (check_access(err))
		goto fail;
	tracefs_set_loglevel(TEP_LOG_NONE);
	remove_stale_instances(r);

	if (open_output(r, err))
		goto fail;

	snprintf(r->inst_name, sizeof(r->inst_name), "tracekit-record-%d", (int)getpid());
	r->inst = tracefs_instance_create(r->inst_name);
	if (!r->inst) {
		tk_err_set(err, TK_EIO, -1, "cannot create tracefs instance %s: %s", r->inst_name,
			   strerror(errno));
		goto fail;
	}
	/* tracing stays off until every thread is ready */
	tracefs_trace_off(r->inst);

	if (r->o.clock && instance_write(r, "trace_clock", r->o.clock)) {
		char *avail = tracefs_instance_file_read(r->inst, "trace_clock", NULL);

		if (avail && strchr(avail, '\n'))
			*strchr(avail, '\n') = '\0';
		tk_err_set(err, TK_EINVAL, -1, "unknown trace clock '%s' (available: %s)",
			   r->o.clock, avail ? avail : "?");
		free(avail);
		goto fail;
	}
	if (r->o.buffer_kb) {
		snprintf(val, sizeof(val), "%lu", r->o.buffer_kb);
		if (instance_write(r, "buffer_size_kb", val)) {
			tk_err_set(err, TK_EINVAL, -1, "cannot set a %lu KiB buffer: %s",
				   r->o.buffer_kb, strerror(errno));
			goto fail;
		}
	}
	if (r->o.stacktrace && instance_write(r, "options/stacktrace", "1")) {
		tk_err_set(err, TK_EIO, -1, "cannot enable stack traces (-T): %s",
			   strerror(errno));
		goto fail;
	}

	/* select, filter, then enable: a filter applies from the first record */
	for (i = 0; i < r->o.nevents; i++) {
		size_t before = r->nsel;

		if (resolve_event(r, r->o.events[i].pattern, err))
			goto fail;
		if (r->o.events[i].filter &&
		    set_filter(r, before, r->nsel, r->o.events[i].filter, err))
			goto fail;
	}
	for (i = 0; i < r->nsel; i++) {
		if (tracefs_event_file_write(r->inst, r->sel[i].system, r->sel[i].event, "enable",
					     "1") < 0) {
			tk_err_set(err, TK_EIO, -1, "cannot enable %s:%s: %s", r->sel[i].system,
				   r->sel[i].event, strerror(errno));
			goto fail;
		}
	}

	if (read_metadata(r, err))
		goto fail;
	enlarge_cmdlines(r);

	r->ncpus = (int)sysconf(_SC_NPROCESSORS_CONF);
	if (r->ncpus < 1 || r->ncpus > REC_MAX_CPUS) {
		tk_err_set(err, TK_EIO, -1, "CPU count %d", r->ncpus);
		goto fail;
	}
	r->cpus = calloc((size_t)r->ncpus, sizeof(*r->cpus));
	if (!r->cpus) {
		tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		goto fail;
	}
	for (cpu = 0; cpu < r->ncpus; cpu++) {
		struct rec_cpu *c = &r->cpus[cpu];

		c->r = r;
		c->cpu = cpu;
		c->fd = -1;
		c->sum.cpu = cpu;
		c->tcpu = tracefs_cpu_open(r->inst, cpu, false);
		if (!c->tcpu) {
			logf_(r, "CPU %d: cannot open trace_pipe_raw (%s): not recorded", cpu,
			      strerror(errno));
			continue;
		}
		if (!r->page_size)
			r->page_size = (uint32_t)tracefs_cpu_read_size(c->tcpu);
		c->fd = tmpfile_in(r->out_dir, "cpu");
		if (c->fd < 0) {
			tk_err_set(err, TK_EIO, -1, "cannot create a temporary file in %s: %s",
				   r->out_dir, strerror(errno));
			goto fail;
		}
	}
	if (!r->page_size) {
		tk_err_set(err, TK_EIO, -1, "no CPU's trace_pipe_raw could be opened");
		goto fail;
	}
	if (make_reserve(r, err))
		goto fail;
	if (pipe2(r->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		tk_err_set(err, TK_EIO, -1, "pipe: %s", strerror(errno));
		goto fail;
	}
	return r;
fail:
	tk_rec_destroy(r);
	return NULL;
}

/* ---- tracing ----------------------------------------------------------- */

static void wake_main(struct tk_rec *r)
{
	char b = 1;

	/* non-blocking: a full pipe already says "look" */
	if (write(r->wake[1], &b, 1) < 0)
		return;
}

static uint64_t total_bytes(struct tk_rec *r)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < r->ncpus; i++)
		n += atomic_load(&r->cpus[i].bytes);
	return n;
}

static void note_bytes(struct rec_cpu *c, uint64_t n)
{
	struct tk_rec *r = c->r;

	atomic_fetch_add(&c->bytes, n);
	if (r->o.max_bytes && total_bytes(r) >= r->o.max_bytes)
		wake_main(r);
}

/* Drain what is left after tracing stopped: partial pages included. */
static void drain(struct rec_cpu *c, void *page)
{
	struct tk_rec *r = c->r;

	while (!atomic_load(&r->abandon)) {
		int n = tracefs_cpu_flush(c->tcpu, page);
		int ret;

		if (n <= 0)
			break;
		ret = write_all(c->fd, page, (size_t)n);
		if (ret) {
			atomic_store(&c->err, -ret);
			break;
		}
		note_bytes(c, (uint64_t)n);
	}
}

static void *cpu_thread(void *arg)
{
	struct rec_cpu *c = arg;
	struct tk_rec *r = c->r;
	void *page = malloc(r->page_size);

	while (!atomic_load(&r->stopping)) {
		int n = tracefs_cpu_write(c->tcpu, c->fd, false);

		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			atomic_store(&c->err, errno ? errno : EIO);
			wake_main(r);
			break;
		}
		if (n > 0)
			note_bytes(c, (uint64_t)n);
	}
	if (page && !atomic_load(&c->err))
		drain(c, page);
	free(page);
	atomic_store(&c->done, true);
	wake_main(r);
	return NULL;
}

/*
 * The command is forked before tracing starts and held on a pipe until it
 * is on, so its first instructions are traced; exec failures come back
 * through a close-on-exec pipe.
 */
static int start_command(struct tk_rec *r, struct tk_err *err)
{
	int go[2], ee[2];

	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(ee, O_CLOEXEC) < 0)
		return tk_err_set(err, TK_EIO, -1, "pipe: %s", strerror(errno));
	r->child = fork();
	if (r->child < 0)
		return tk_err_set(err, TK_EIO, -1, "fork: %s", strerror(errno));
	if (r->child == 0) {
		char b;
		int e;
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(go[1]);
		close(ee[0]);
		if (read(go[0], &b, 1) != 1)
			_exit(127);
		execvp(r->o.argv[0], r->o.argv);
		e = errno;
		if (write(ee[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(ee[1]);
	r->go_fd = go[1];
	r->exec_err_fd = ee[0];
	return 0;
}

static int release_command(struct tk_rec *r, struct tk_err *err)
{
	char b = 1;
	int e = 0;
	ssize_t n;

	if (r->child <= 0)
		return 0;
	if (write(r->go_fd, &b, 1) != 1)
		return tk_err_set(err, TK_EIO, -1, "cannot start the command: %s", strerror(errno));
	close(r->go_fd);
	r->go_fd = -1;
	do
		n = read(r->exec_err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(r->exec_err_fd);
	r->exec_err_fd = -1;
	if (n == (ssize_t)sizeof(e)) {
		waitpid(r->child, NULL, 0);
		r->child = -1;
		return tk_err_set(err, TK_EINVAL, -1, "cannot run '%s': %s", r->o.argv[0],
				  strerror(e));
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum tk_rec_stop wait_for_stop(struct tk_rec *r, int *stop_errno)
{
	double deadline = r->o.duration > 0 ? now_s() + r->o.duration : 0;

	for (;;) {
		struct pollfd p = { .fd = r->wake[0], .events = POLLIN };
		int timeout = REC_TICK_MS, i;
		char junk[64];

		if (*r->o.signals)
			return TK_REC_STOP_SIGNAL;
		for (i = 0; i < r->ncpus; i++) {
			int e = atomic_load(&r->cpus[i].err);

			if (e) {
				*stop_errno = e;
				return e == ENOSPC || e == EDQUOT ? TK_REC_STOP_NOSPACE
								  : TK_REC_STOP_ERROR;
			}
		}
		if (r->o.max_bytes && total_bytes(r) >= r->o.max_bytes)
			return TK_REC_STOP_LIMIT;
		if (r->child > 0 && waitpid(r->child, &r->child_status, WNOHANG) == r->child) {
			r->child = -1;
			return TK_REC_STOP_COMMAND;
		}
		if (deadline) {
			double left = deadline - now_s();

			if (left <= 0)
				return TK_REC_STOP_DURATION;
			if (left * 1000 < timeout)
				timeout = (int)(left * 1000) + 1;
		}
		/* signals (SIGINT, SIGTERM, SIGCHLD) end the poll early */
		if (poll(&p, 1, timeout) > 0)
			while (read(r->wake[0], junk, sizeof(junk)) > 0)
				;
	}
}

/* Join the threads; a second signal tells them to stop draining. */
static void join_threads(struct tk_rec *r)
{
	int i;

	for (;;) {
		struct pollfd p = { .fd = r->wake[0], .events = POLLIN };
		char junk[64];
		bool all = true;

		if (*r->o.signals >= 2 && !atomic_load(&r->abandon)) {
			atomic_store(&r->abandon, true);
			logf_(r, "second signal: not waiting for the rest of the buffers");
		}
		for (i = 0; i < r->ncpus; i++)
			if (r->cpus[i].started && !atomic_load(&r->cpus[i].done))
				all = false;
		if (all)
			break;
		if (poll(&p, 1, REC_TICK_MS) > 0)
			while (read(r->wake[0], junk, sizeof(junk)) > 0)
				;
	}
	for (i = 0; i < r->ncpus; i++) {
		if (r->cpus[i].started)
			pthread_join(r->cpus[i].thread, NULL);
		r->cpus[i].started = false;
	}
}

static int start_threads(struct tk_rec *r, struct tk_err *err)
{
	sigset_t all, old;
	int i, ret = 0;

	/* Threads inherit a full mask: signals reach only the main thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 0; i < r->ncpus && !ret; i++) {
		struct rec_cpu *c = &r->cpus[i];

		if (!c->tcpu)
			continue;
		ret = pthread_create(&c->thread, NULL, cpu_thread, c);
		if (ret)
			tk_err_set(err, TK_EIO, -1, "cannot start a thread: %s", strerror(ret));
		else
			c->started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret ? -TK_EIO : 0;
}

static void stop_threads(struct tk_rec *r)
{
	int i;

	atomic_store(&r->stopping, true);
	for (i = 0; i < r->ncpus; i++)
		if (r->cpus[i].started)
			tracefs_cpu_stop(r->cpus[i].tcpu);
}

/* ---- assembly ---------------------------------------------------------- */

static uint64_t stat_field(const char *stats, const char *name)
{
	const char *p = stats ? strstr(stats, name) : NULL;

	return p ? strtoull(p + strlen(name), NULL, 10) : 0;
}

/* Count records and MISSED pages of whole sub-buffers. */
static void count_pages(struct tk_rec_cpu_summary *s, struct kbuffer *kb, uint8_t *buf,
			size_t len, uint32_t page)
{
	size_t off;

	for (off = 0; off + page <= len; off += page) {
		void *d;

		if (kbuffer_load_subbuffer(kb, buf + off) < 0)
			continue;
		if (kbuffer_missed_events(kb))
			s->missed_pages++;
		for (d = kbuffer_read_event(kb, NULL); d; d = kbuffer_next_event(kb, NULL))
			s->events++;
	}
}

static int copy_cpu(struct tk_rec *r, struct tk_tdatw *w, struct rec_cpu *c, uint8_t *buf,
		    struct kbuffer *kb)
{
	struct stat st;
	uint64_t size, off = 0;
	int ret;

	ret = tk_tdatw_cpu_begin(w, c->cpu);
	if (ret || c->fd < 0)
		return ret ? ret : tk_tdatw_cpu_end(w);
	if (fstat(c->fd, &st) < 0)
		return tk_tdatw_cpu_end(w);
	/* a write cut by ENOSPC may leave part of a page: drop it */
	size = (uint64_t)st.st_size / r->page_size * r->page_size;
	while (off < size) {
		size_t want = size - off > REC_COPY_BYTES ? REC_COPY_BYTES : (size_t)(size - off);
		ssize_t n = pread(c->fd, buf, want, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		n -= n % r->page_size;
		if (!n)
			break;
		count_pages(&c->sum, kb, buf, (size_t)n, r->page_size);
		ret = tk_tdatw_cpu_write(w, buf, (size_t)n);
		if (ret)
			return ret;
		/* free the copied range now, so a full disk still takes the rest */
		fallocate(c->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off, n);
		off += (uint64_t)n;
	}
	c->sum.bytes = off;
	return tk_tdatw_cpu_end(w);
}

struct meta_bufs {
	struct tk_tdatw_system *systems;
	size_t nsystems;
	struct tk_tdatw_blob *formats;
	char **format_bufs;
	size_t nformats;
	struct tk_tdatw_blob *stats;
	char **stat_bufs;
	char *cmdlines;
	size_t cmdlines_len;
	char *trace_clock;
	char clock[64];
	char uname[4 * 65 + 4];
	char version[64];
};

static void meta_bufs_free(struct meta_bufs *m, int ncpus)
{
	size_t i;

	for (i = 0; i < m->nformats; i++)
		free(m->format_bufs[i]);
	for (i = 0; m->stat_bufs && i < (size_t)ncpus; i++)
		free(m->stat_bufs[i]);
	free(m->systems);
	free(m->formats);
	free(m->format_bufs);
	free(m->stats);
	free(m->stat_bufs);
	free(m->cmdlines);
	free(m->trace_clock);
}

/* What is read after tracing: formats, stats, comms, clock. */
static int gather_meta(struct tk_rec *r, struct meta_bufs *m, struct tk_tdatw_meta *tm,
		       struct tk_err *err)
{
	struct utsname u;
	size_t i;
	int cpu;

	m->formats = calloc(r->nsel ? r->nsel : 1, sizeof(*m->formats));
	m->format_bufs = calloc(r->nsel ? r->nsel : 1, sizeof(*m->format_bufs));
	m->systems = calloc(r->nsel ? r->nsel : 1, sizeof(*m->systems));
	m->stats = calloc((size_t)r->ncpus, sizeof(*m->stats));
	m->stat_bufs = calloc((size_t)r->ncpus, sizeof(*m->stat_bufs));
	if (!m->formats || !m->format_bufs || !m->systems || !m->stats || !m->stat_bufs)
		return tk_err_set(err, TK_ENOMEM, -1, "out of memory");
	/* one entry per system, in the order systems were first chosen */
	for (i = 0; i < r->nsel; i++) {
		struct tk_tdatw_system *sy = &m->systems[m->nsystems];
		size_t j, k;

		for (j = 0; j < i; j++)
			if (!strcmp(r->sel[j].system, r->sel[i].system))
				break;
		if (j < i)
			continue;
		sy->name = r->sel[i].system;
		sy->formats = &m->formats[m->nformats];
		sy->nformats = 0;
		for (k = i; k < r->nsel; k++) {
			char rel[1024];
			size_t len;

			if (strcmp(r->sel[k].system, r->sel[i].system))
				continue;
			snprintf(rel, sizeof(rel), "events/%s/%s/format", r->sel[k].system,
				 r->sel[k].event);
			if (slurp_tracefs(rel, &m->format_bufs[m->nformats], &len)) {
				logf_(r, "%s:%s: format unreadable; its records will not decode",
				      r->sel[k].system, r->sel[k].event);
				continue;
			}
			m->formats[m->nformats].data = m->format_bufs[m->nformats];
			m->formats[m->nformats].len = len;
			m->nformats++;
			sy->nformats++;
		}
		if (sy->nformats)
			m->nsystems++;
	}
	for (cpu = 0; cpu < r->ncpus; cpu++) {
		char rel[64];
		size_t len = 0;

		snprintf(rel, sizeof(rel), "per_cpu/cpu%d/stats", cpu);
		m->stat_bufs[cpu] = tracefs_instance_file_read(r->inst, rel, NULL);
		if (m->stat_bufs[cpu])
			len = strlen(m->stat_bufs[cpu]);
		m->stats[cpu].data = m->stat_bufs[cpu] ? m->stat_bufs[cpu] : "";
		m->stats[cpu].len = len;
		r->cpus[cpu].sum.overrun = stat_field(m->stat_bufs[cpu], "overrun: ");
		r->cpus[cpu].sum.dropped = stat_field(m->stat_bufs[cpu], "dropped events: ");
	}
	if (slurp_tracefs("saved_cmdlines", &m->cmdlines, &m->cmdlines_len)) {
		m->cmdlines = NULL;
		m->cmdlines_len = 0;
	}
	m->trace_clock = tracefs_instance_file_read(r->inst, "trace_clock", NULL);
	{
		const char *o = m->trace_clock ? strchr(m->trace_clock, '[') : NULL;
		const char *e = o ? strchr(o, ']') : NULL;

		snprintf(m->clock, sizeof(m->clock), "%.*s", o && e ? (int)(e - o - 1) : 5,
			 o && e ? o + 1 : "local");
	}
	if (uname(&u) == 0)
		snprintf(m->uname, sizeof(m->uname), "%s %s %s %s", u.sysname, u.nodename,
			 u.release, u.machine);
	snprintf(m->version, sizeof(m->version), "tracekit-record %s", TK_VERSION);

	memset(tm, 0, sizeof(*tm));
	tm->header_page.data = r->header_page;
	tm->header_page.len = r->header_page_len;
	tm->header_event.data = r->header_event;
	tm->header_event.len = r->header_event_len;
	tm->ftrace_formats = r->ftrace;
	tm->nftrace = r->nftrace;
	tm->systems = m->systems;
	tm->nsystems = m->nsystems;
	tm->kallsyms.data = r->kallsyms;
	tm->kallsyms.len = r->kallsyms_len;
	tm->printk.data = r->printk;
	tm->printk.len = r->printk_len;
	tm->cmdlines.data = m->cmdlines;
	tm->cmdlines.len = m->cmdlines_len;
	tm->trace_clock = m->trace_clock;
	tm->clock = m->clock;
	tm->uname = m->uname[0] ? m->uname : NULL;
	tm->version = m->version;
	tm->cpustats = m->stats;
	return 0;
}

static int write_file(struct tk_rec *r, struct tk_err *err)
{
	struct tk_tdatw_opts wo = {
		.version = r->o.version,
		.codec = r->o.codec,
		.page_size = r->page_size,
		.long_size = (int)sizeof(long),
		.ncpus = r->ncpus,
	};
	struct meta_bufs m = { 0 };
	struct tk_tdatw_meta tm;
	struct tk_tdatw *w = NULL;
	struct kbuffer *kb = NULL;
	uint8_t *buf = NULL;
	int cpu, ret;

	ret = gather_meta(r, &m, &tm, err);
	if (ret)
		goto out;
	/* the reserve was for this moment */
	if (r->reserve_fd >= 0) {
		close(r->reserve_fd);
		r->reserve_fd = -1;
	}
	w = tk_tdatw_open(r->out_fd, r->o.output, &wo, err);
	buf = malloc(REC_COPY_BYTES);
	kb = kbuffer_alloc(sizeof(long) == 8 ? KBUFFER_LSIZE_8 : KBUFFER_LSIZE_4,
			   KBUFFER_ENDIAN_LITTLE);
	if (!w || !buf || !kb) {
		ret = tk_err_set(err, TK_ENOMEM, -1, "out of memory");
		goto out;
	}
	ret = tk_tdatw_write_meta(w, &tm);
	for (cpu = 0; cpu < r->ncpus && !ret; cpu++)
		ret = copy_cpu(r, w, &r->cpus[cpu], buf, kb);
	if (!ret)
		ret = tk_tdatw_finish(w);
	if (ret) {
		const struct tk_err *we = tk_tdatw_get_err(w);

		if (we->offset >= 0)
			tk_err_set(err, we->code, we->offset, "%s: offset %lld: %s", r->o.output,
				   (long long)we->offset, we->msg);
		else
			tk_err_set(err, we->code, we->offset, "%s: %s", r->o.output, we->msg);
		if (err && we->sys_errno)
			err->sys_errno = we->sys_errno;
	}
out:
	if (w)
		tk_tdatw_destroy(w);
	kbuffer_free(kb);
	free(buf);
	meta_bufs_free(&m, r->ncpus);
	return ret;
}

int tk_rec_run(struct tk_rec *r, struct tk_rec_summary *sum, struct tk_err *err)
{
	int stop_errno = 0, ret, i;
	enum tk_rec_stop why;

	memset(sum, 0, sizeof(*sum));
	sum->command_status = -1;
	if (r->o.argv && start_command(r, err))
		return -TK_EIO;
	if (start_threads(r, err)) {
		stop_threads(r);
		join_threads(r);
		return -TK_EIO;
	}
	tracefs_trace_on(r->inst);
	/* the one line an interactive user (and the tests) wait for */
	if (!r->o.argv)
		logf_(r, "recording to %s; SIGINT or SIGTERM stops%s", r->o.output,
		      r->o.duration > 0 ? " (or -d)" : "");
	ret = release_command(r, err);
	if (ret) {
		tracefs_trace_off(r->inst);
		stop_threads(r);
		join_threads(r);
		return ret;
	}
	why = wait_for_stop(r, &stop_errno);
	tracefs_trace_off(r->inst);
	stop_threads(r);
	join_threads(r);
	if (r->child > 0) {
		/* stopped for another reason: do not leave the workload behind */
		kill(r->child, SIGTERM);
		waitpid(r->child, &r->child_status, 0);
		r->child = -1;
	}
	/* a drain may have hit the full disk too */
	for (i = 0; i < r->ncpus && why != TK_REC_STOP_NOSPACE; i++) {
		int e = atomic_load(&r->cpus[i].err);

		if (e == ENOSPC || e == EDQUOT) {
			why = TK_REC_STOP_NOSPACE;
			stop_errno = e;
		}
	}
	ret = write_file(r, err);
	r->out_written = true;
	sum->reason = why;
	sum->stop_errno = stop_errno;
	sum->command_status = r->child_status;
	sum->ncpus = r->ncpus;
	r->sums = calloc((size_t)r->ncpus, sizeof(*r->sums));
	for (i = 0; i < r->ncpus; i++) {
		sum->events += r->cpus[i].sum.events;
		if (r->sums)
			r->sums[i] = r->cpus[i].sum;
	}
	sum->cpus = r->sums;
	if (!r->sums)
		sum->ncpus = 0;
	sum->file_bytes = 0;
	{
		struct stat st;

		if (fstat(r->out_fd, &st) == 0)
			sum->file_bytes = (uint64_t)st.st_size;
	}
	return ret;
}

void tk_rec_destroy(struct tk_rec *r)
{
	size_t i;
	int cpu;

	if (!r)
		return;
	if (r->child > 0) {
		kill(r->child, SIGKILL);
		waitpid(r->child, NULL, 0);
	}
	if (r->go_fd >= 0)
		close(r->go_fd);
	if (r->exec_err_fd >= 0)
		close(r->exec_err_fd);
	for (cpu = 0; r->cpus && cpu < r->ncpus; cpu++) {
		tracefs_cpu_close(r->cpus[cpu].tcpu);
		if (r->cpus[cpu].fd >= 0)
			close(r->cpus[cpu].fd);
	}
	free(r->cpus);
	free(r->sums);
	if (r->inst) {
		tracefs_trace_off(r->inst);
		tracefs_instance_destroy(r->inst);
		tracefs_instance_free(r->inst);
	}
	restore_cmdlines(r);
	for (i = 0; i < r->nsel; i++) {
		free(r->sel[i].system);
		free(r->sel[i].event);
	}
	free(r->sel);
	for (i = 0; i < r->nftrace; i++)
		free(r->ftrace_bufs[i]);
	free(r->ftrace_bufs);
	free(r->ftrace);
	free(r->header_page);
	free(r->header_event);
	free(r->kallsyms);
	free(r->printk);
	if (r->out_fd >= 0) {
		close(r->out_fd);
		/* no half-made or empty file when recording never happened */
		if (!r->out_written)
			unlink(r->o.output);
	}
	if (r->reserve_fd >= 0)
		close(r->reserve_fd);
	if (r->wake[0] >= 0)
		close(r->wake[0]);
	if (r->wake[1] >= 0)
		close(r->wake[1]);
	free(r->out_dir);
	free(r);
}
