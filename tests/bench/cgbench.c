// SPDX-License-Identifier: GPL-2.0
/*
 * cgbench: guest-side micro-benchmarks for `make bench`. Run under QEMU
 * with -icount shift=0, guest nanoseconds are guest instructions, so
 * "ns_per_op" is the number of instructions one operation costs.
 *
 *   cgbench null N             getppid() N times
 *   cgbench openclose N        open()+close() of a small file N times
 *   cgbench openclose-filtered N  the same under seccomp: no_new_privs and
 *                              three filters that allow everything (as a
 *                              container's or a systemd service's)
 *   cgbench forkexit N         fork(), child _exit(0), waitpid()
 *   cgbench forkexec N         fork(), child execs "cgbench exit", waitpid()
 *   cgbench threads T N        T threads each doing N getppid()
 *   cgbench idle K null N      K threads parked in read(), then null N
 *   cgbench cmd N PROG ARG...  run PROG once, report its time / N
 *   cgbench exit               exit at once (for forkexec)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *self = "/tests/cgbench";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void report(const char *what, double t0, double t1, double n)
{
	printf("%s ns_per_op %.2f ops %.0f\n", what, (t1 - t0) / n, n);
	fflush(stdout);
}

static void die(const char *what)
{
	fprintf(stderr, "cgbench: %s: %s\n", what, strerror(errno));
	exit(2);
}

static long arg(char **argv, int i, int argc)
{
	if (i >= argc) {
		fprintf(stderr, "cgbench: missing argument\n");
		exit(2);
	}
	return atol(argv[i]);
}

static void null_loop(long n)
{
	long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
}

static void *thr_loop(void *p)
{
	null_loop((long)p);
	return NULL;
}

static int park_fd[2];

static void *thr_park(void *p)
{
	char c;

	(void)p;
	if (read(park_fd[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

static void filtered(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { 1, &allow };
	int i;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("no_new_privs");
	for (i = 0; i < 3; i++)
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
			die("seccomp");
}

int main(int argc, char **argv)
{
	double t0, t1;
	long n, i;

	if (argc < 2)
		goto usage;
	if (!strcmp(argv[1], "exit"))
		return 0;
	if (!strcmp(argv[1], "null")) {
		n = arg(argv, 2, argc);
		null_loop(1000);
		t0 = now();
		null_loop(n);
		t1 = now();
		report("null", t0, t1, n);
		return 0;
	}
	if (!strcmp(argv[1], "openclose") ||
	    !strcmp(argv[1], "openclose-filtered")) {
		int fd = open("/tmp/cgbench.f", O_CREAT | O_WRONLY, 0644);

		if (fd < 0)
			die("create");
		close(fd);
		if (strcmp(argv[1], "openclose"))
			filtered();
		n = arg(argv, 2, argc);
		t0 = now();
		for (i = 0; i < n; i++) {
			fd = open("/tmp/cgbench.f", O_RDONLY);
			if (fd < 0)
				die("open");
			close(fd);
		}
		t1 = now();
		report(argv[1], t0, t1, n);
		return 0;
	}
	if (!strcmp(argv[1], "forkexit") || !strcmp(argv[1], "forkexec")) {
		int exec = !strcmp(argv[1], "forkexec");

		n = arg(argv, 2, argc);
		t0 = now();
		for (i = 0; i < n; i++) {
			pid_t pid = fork();

			if (pid < 0)
				die("fork");
			if (pid == 0) {
				if (exec)
					execl(self, "cgbench", "exit",
					      (char *)NULL);
				_exit(0);
			}
			if (waitpid(pid, NULL, 0) < 0)
				die("waitpid");
		}
		t1 = now();
		report(argv[1], t0, t1, n);
		return 0;
	}
	if (!strcmp(argv[1], "threads")) {
		long t = arg(argv, 2, argc);
		pthread_t *th = calloc(t, sizeof(*th));

		n = arg(argv, 3, argc);
		t0 = now();
		for (i = 0; i < t; i++)
			if (pthread_create(&th[i], NULL, thr_loop, (void *)n))
				die("pthread_create");
		for (i = 0; i < t; i++)
			pthread_join(th[i], NULL);
		t1 = now();
		report("threads", t0, t1, (double)n * t);
		return 0;
	}
	if (!strcmp(argv[1], "idle") && argc >= 5) {
		long k = arg(argv, 2, argc);
		pthread_attr_t attr;
		pthread_t th;
		char name[32];

		n = arg(argv, 4, argc);
		if (pipe(park_fd))
			die("pipe");
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 16384);
		for (i = 0; i < k; i++)
			if (pthread_create(&th, &attr, thr_park, NULL))
				die("pthread_create");
		null_loop(1000);
		t0 = now();
		null_loop(n);
		t1 = now();
		snprintf(name, sizeof(name), "null_with_%ld_threads", k);
		report(name, t0, t1, n);
		_exit(0); /* the parked threads go with us */
	}
	if (!strcmp(argv[1], "cmd") && argc >= 4) {
		pid_t pid;
		int status;

		n = arg(argv, 2, argc);
		t0 = now();
		pid = fork();
		if (pid == 0) {
			execv(argv[3], argv + 3);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0)
			die("cmd");
		t1 = now();
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			die("cmd failed");
		report("cmd", t0, t1, n);
		return 0;
	}
usage:
	fprintf(stderr, "usage: see the comment at the top of cgbench.c\n");
	return 2;
}
