/*
 * busy.c - small multi-threaded workload used to make tracekit sample recordings.
 *
 * Usage: busy [-t THREADS] [-d MILLISECONDS] [-n WORK_ITEMS] [-w WORK]
 *   -t  number of worker threads (default 4)
 *   -d  approximate run time in milliseconds (default 1000)
 *   -n  number of calls to tk_work_item() (default 200)
 *   -w  CPU work per worker iteration, in units of ~0.1 ms (default 10);
 *       lower values mean more context switches/wakeups per second
 *
 * Workers do CPU work in distinct non-inlined functions (spin_hash, spin_primes,
 * spin_matrix), hand tokens to each other through pipes (lots of wakeups), sleep
 * with usleep() and contend on a mutex/condvar (futex).  The main thread forks and
 * execs /bin/true a few times (sched_process_fork/exec/exit) and calls the exported
 * tk_work_item() a bounded number of times so a uprobe can be placed on it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))
#define EXPORT __attribute__((visibility("default"), noinline, used))

#define MAX_THREADS 64

static volatile int stop_flag;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long shared_counter;
static int pipes[MAX_THREADS][2];
static int nthreads = 4;
static int work = 10;

volatile long tk_sink;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

NOINLINE long spin_hash(long seed, int rounds)
{
	unsigned long h = (unsigned long)seed ^ 0xcbf29ce484222325UL;
	for (int i = 0; i < rounds; i++) {
		h ^= (unsigned long)i;
		h *= 0x100000001b3UL;
	}
	return (long)h;
}

NOINLINE long spin_primes(int limit)
{
	long count = 0;
	for (int n = 2; n < limit; n++) {
		int prime = 1;
		for (int d = 2; d * d <= n; d++) {
			if (n % d == 0) {
				prime = 0;
				break;
			}
		}
		count += prime;
	}
	return count;
}

NOINLINE long spin_matrix(int dim)
{
	long a[16][16], b[16][16], c = 0;
	if (dim > 16)
		dim = 16;
	for (int i = 0; i < dim; i++)
		for (int j = 0; j < dim; j++) {
			a[i][j] = i + j;
			b[i][j] = i - j;
		}
	for (int i = 0; i < dim; i++)
		for (int j = 0; j < dim; j++)
			for (int k = 0; k < dim; k++)
				c += a[i][k] * b[k][j];
	return c;
}

/* Exported probe target: called a bounded number of times from main(). */
EXPORT long tk_work_item(int n, long value)
{
	long r = spin_hash(value, 1000 + (n % 7) * 100);
	tk_sink += r;
	return r;
}

NOINLINE static void pass_token(int id, long v)
{
	int next = (id + 1) % nthreads;
	if (write(pipes[next][1], &v, sizeof(v)) < 0 && errno != EAGAIN)
		perror("write");
}

NOINLINE static int take_token(int id, long *v)
{
	ssize_t r = read(pipes[id][0], v, sizeof(*v));
	return r == (ssize_t)sizeof(*v);
}

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	long v = id, iter = 0;

	while (!stop_flag) {
		switch (iter % 3) {
		case 0: v += spin_hash(v, 50000 * work); break;
		case 1: v += spin_primes(2500 * work); break;
		default:
			for (int i = 0; i < work * 4; i++)
				v += spin_matrix(16);
			break;
		}
		/* Pipe ring: wake the next worker, then wait for a token. */
		pass_token(id, v);
		if (!take_token(id, &v))
			break;
		/* Futex contention. */
		pthread_mutex_lock(&lock);
		shared_counter += v & 0xff;
		pthread_cond_broadcast(&cond);
		pthread_mutex_unlock(&lock);
		if (iter % 4 == 0)
			usleep(200 + 100 * id);
		iter++;
	}
	/* Unblock the neighbour in case it is waiting in read(). */
	pass_token(id, v);
	tk_sink += v;
	return NULL;
}

NOINLINE static void spawn_child(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
	int duration_ms = 1000, items = 200, opt;
	pthread_t th[MAX_THREADS];

	while ((opt = getopt(argc, argv, "t:d:n:w:h")) != -1) {
		switch (opt) {
		case 't': nthreads = atoi(optarg); break;
		case 'd': duration_ms = atoi(optarg); break;
		case 'n': items = atoi(optarg); break;
		case 'w': work = atoi(optarg) > 0 ? atoi(optarg) : 1; break;
		default:
			fprintf(stderr, "usage: %s [-t threads] [-d ms] [-n work_items] [-w work]\n", argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > MAX_THREADS)
		nthreads = MAX_THREADS;

	for (int i = 0; i < nthreads; i++) {
		if (pipe(pipes[i]) < 0) {
			perror("pipe");
			return 1;
		}
	}
	for (long i = 0; i < nthreads; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);

	double start = now_ms(), end = start + duration_ms;
	int done = 0, forks = 0;
	while (now_ms() < end) {
		/* Spread the tk_work_item() calls over the run. */
		double frac = (now_ms() - start) / duration_ms;
		while (done < items && done < frac * items + 1) {
			tk_work_item(done, (long)done * 1000 + 7);
			done++;
		}
		if (forks < 3 && frac >= forks / 3.0) {
			spawn_child();
			forks++;
		}
		pthread_mutex_lock(&lock);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 2000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&cond, &lock, &ts);
		pthread_mutex_unlock(&lock);
	}
	while (done < items) {
		tk_work_item(done, (long)done * 1000 + 7);
		done++;
	}
	stop_flag = 1;
	for (int i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	printf("busy: threads=%d items=%d forks=%d counter=%ld\n", nthreads, done, forks,
	       shared_counter);
	return 0;
}
