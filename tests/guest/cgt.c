// SPDX-License-Identifier: GPL-2.0
/*
 * cgt: the guest-side test helper. Each subcommand performs one attack
 * (through the test-only cgtest module) or one legitimate credential
 * operation, and prints what it observed, one "key value" per line.
 * Exit status 0 means the operation itself did what it should; the BATS
 * suites judge credguard's reaction from the output and the counters.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/keyctl.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define SECRET "/root/secret"

static int die(const char *what)
{
	fprintf(stderr, "cgt: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int capget2(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return (int)syscall(SYS_capget, &h, d);
}

static int capset2(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return (int)syscall(SYS_capset, &h, d);
}

static uint64_t cap_eff(void)
{
	struct __user_cap_data_struct d[2];

	if (capget2(d))
		return ~0ULL;
	return d[0].effective | (uint64_t)d[1].effective << 32;
}

static void print_ids(const char *tag)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	printf("%s uid=%u euid=%u suid=%u gid=%u egid=%u capeff=%#llx\n", tag,
	       r, e, s, gr, ge, (unsigned long long)cap_eff());
	fflush(stdout);
}

static void drop_to(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid))
		die("drop privileges");
	/* Changing ids made us non-dumpable: /proc/self would be root's. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

/*
 * Try to use root's powers: read a root-only file, then leave a file in
 * root's home (the suites check it never appears unless the attack was
 * allowed to stand).
 */
static void try_privilege(void)
{
	char path[64];
	int fd = open(SECRET, O_RDONLY);

	if (fd >= 0) {
		printf("PRIV-OK read %s\n", SECRET);
		close(fd);
	} else {
		printf("PRIV-DENIED %s\n", strerror(errno));
	}
	snprintf(path, sizeof(path), "/root/pwned-%d", getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd >= 0) {
		printf("PWNED %s\n", path);
		close(fd);
	}
	fflush(stdout);
}

/* Opened while still root: the attack itself runs unprivileged. */
static int cgtest_fd = -1;

static void cgtest_open(void)
{
	cgtest_fd = open("/proc/cgtest", O_WRONLY);
	if (cgtest_fd < 0)
		die("open /proc/cgtest");
}

static int cgtest(const char *cmd)
{
	ssize_t n = write(cgtest_fd, cmd, strlen(cmd));

	return n < 0 ? -errno : 0;
}

/* Spin in user space without a single system call. */
static void spin(unsigned long n)
{
	volatile unsigned long i;

	for (i = 0; i < n; i++)
		;
}

/*
 * attack [-u UID] PRIMITIVE [ARG]: perform one exploit primitive inside a
 * write(), then try to use the privilege.
 */
static int cmd_attack(int argc, char **argv)
{
	char cmd[64], host[65];
	const char *prim;
	long uid = -1;
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "-u")) {
		uid = atol(argv[2]);
		i = 3;
	}
	if (i >= argc)
		return fprintf(stderr,
			       "usage: cgt attack [-u UID] PRIM [ARG]\n"),
		       2;
	prim = argv[i];
	snprintf(cmd, sizeof(cmd), "%s%s%s", prim, i + 1 < argc ? " " : "",
		 i + 1 < argc ? argv[i + 1] : "");

	cgtest_open();
	/* Namespace escape: start in a UTS namespace of our own. */
	if (!strcmp(prim, "nsproxy")) {
		if (unshare(CLONE_NEWUTS) || sethostname("jail", 4))
			die("unshare uts");
	}
	if (uid >= 0)
		drop_to((uid_t)uid);
	/* User namespace escape: full caps in a new ns, then swap it. */
	if (!strcmp(prim, "userns") && unshare(CLONE_NEWUSER))
		die("unshare user");

	print_ids("before");
	if (!strcmp(prim, "irq")) {
		if (cgtest(cmd))
			die("arm irq");
		/* The timer fires while we spin; the next syscall is the
		 * open() in try_privilege(). */
		spin(strtoul(getenv("CGT_SPIN") ? getenv("CGT_SPIN") :
						  "50000000",
			     NULL, 0));
		try_privilege();
		print_ids("after");
		return 0;
	}
	if (cgtest(cmd) < 0)
		printf("write-error\n");
	try_privilege();
	print_ids("after");
	if (!strcmp(prim, "nsproxy")) {
		gethostname(host, sizeof(host));
		host[64] = '\0';
		printf("%s hostname=%s\n",
		       strcmp(host, "jail") ? "NS-ESCAPED" : "NS-KEPT", host);
	}
	return 0;
}

/* victim: print our pid, block in read() on stdin, then try root. */
static int cmd_victim(int argc, char **argv)
{
	char c;

	if (argc > 1)
		drop_to((uid_t)atol(argv[1]));
	printf("victim %d\n", getpid());
	fflush(stdout);
	if (read(0, &c, 1) < 0)
		die("read");
	try_privilege();
	print_ids("after");
	return 0;
}

struct thr {
	pthread_t t;
	volatile int stop;
};

static void *thr_fn(void *arg)
{
	struct thr *t = arg;

	while (!t->stop)
		getppid();
	return NULL;
}

/* setuid in a multi-threaded process: glibc runs it on every thread. */
static int legit_threads(void)
{
	struct thr t[4];
	int i, ok = 1;
	char path[64], line[256];

	for (i = 0; i < 4; i++) {
		t[i].stop = 0;
		pthread_create(&t[i].t, NULL, thr_fn, &t[i]);
	}
	if (setresuid(1000, 1000, 0))
		die("setresuid");
	if (setresuid(0, 0, 0))
		die("setresuid back");
	if (setuid(1000))
		die("setuid");
	usleep(100000);
	for (i = 0; i < 4; i++) {
		t[i].stop = 1;
		pthread_join(t[i].t, NULL);
	}
	/* Every thread must now be 1000. */
	snprintf(path, sizeof(path), "/proc/%d/status", getpid());
	FILE *f = fopen(path, "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Uid:", 4) && !strstr(line, "1000\t1000"))
			ok = 0;
	if (f)
		fclose(f);
	print_ids("after");
	return ok ? 0 : 1;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* Unprivileged user namespace: map ourselves to 0, become root inside. */
static int legit_userns(void)
{
	char map[64];
	uid_t outer = 1000;

	drop_to(outer);
	if (unshare(CLONE_NEWUSER))
		die("unshare");
	snprintf(map, sizeof(map), "0 %u 1", outer);
	if (write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/uid_map", map) ||
	    write_file("/proc/self/gid_map", map))
		die("maps");
	if (setresuid(0, 0, 0) || setresgid(0, 0, 0))
		die("setuid inside");
	print_ids("inside");
	return getuid() == 0 ? 0 : 1;
}

static int clone_child(void *arg)
{
	int *pipefd = arg;
	char c;

	close(pipefd[1]);
	if (read(pipefd[0], &c, 1) != 1)
		return 3;
	if (setresuid(0, 0, 0))
		return 4;
	print_ids("child");
	return getuid() == 0 ? 0 : 5;
}

/* clone(CLONE_NEWUSER): the parent writes the maps, the child setuid(0). */
static int legit_clone_newuser(void)
{
	static char stack[256 * 1024];
	int pipefd[2], status;
	char path[64], map[64];
	pid_t pid;

	drop_to(1000);
	if (pipe(pipefd))
		die("pipe");
	pid = clone(clone_child, stack + sizeof(stack), CLONE_NEWUSER | SIGCHLD,
		    pipefd);
	if (pid < 0)
		die("clone");
	snprintf(map, sizeof(map), "0 1000 1");
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	if (write_file(path, map))
		die("uid_map");
	if (write(pipefd[1], "x", 1) != 1)
		die("write");
	close(pipefd[1]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 6;
}

/* setns() into a user+uts namespace made by a child. */
static int legit_setns(void)
{
	int pipefd[2], ready[2], status, fd;
	char path[64], c;
	pid_t pid;

	if (pipe(pipefd) || pipe(ready))
		die("pipe");
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWUSER | CLONE_NEWUTS))
			_exit(3);
		if (write(ready[1], "r", 1) != 1)
			_exit(4);
		if (read(pipefd[0], &c, 1) < 0)
			_exit(5);
		_exit(0);
	}
	if (read(ready[0], &c, 1) != 1)
		die("child");
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWUTS))
		die("setns uts");
	close(fd);
	snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWUSER))
		die("setns user");
	close(fd);
	print_ids("joined");
	if (write(pipefd[1], "x", 1) != 1)
		die("write");
	waitpid(pid, &status, 0);
	return 0;
}

static int legit_unshare(void)
{
	if (unshare(CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET))
		die("unshare");
	if (sethostname("inner", 5))
		die("sethostname");
	return 0;
}

/* faccessat() with ruid != euid: override_creds() inside the syscall. */
static int legit_faccessat(void)
{
	int i, denied = 0;

	if (setresuid(1000, 0, 0))
		die("setresuid");
	for (i = 0; i < 200; i++)
		if (access(SECRET, R_OK))
			denied++;
	printf("access denied %d/200\n", denied);
	return denied == 200 ? 0 : 1;
}

static int legit_capset(void)
{
	struct __user_cap_data_struct d[2];

	if (capget2(d))
		die("capget");
	d[0].effective &= ~(1U << CAP_NET_RAW);
	d[0].inheritable |= 1U << CAP_NET_BIND_SERVICE;
	if (capset2(d))
		die("capset");
	/* capset() dropping an inheritable cap trims the ambient set. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0,
		  0))
		die("ambient raise");
	d[0].inheritable &= ~(1U << CAP_NET_BIND_SERVICE);
	if (capset2(d))
		die("capset trim");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_BIND_SERVICE,
		  0, 0) != 0)
		die("ambient not trimmed");
	print_ids("after");
	return (cap_eff() & (1U << CAP_NET_RAW)) ? 1 : 0;
}

static int legit_prctl(void)
{
	struct __user_cap_data_struct d[2];

	if (prctl(PR_CAPBSET_DROP, CAP_SYS_BOOT, 0, 0, 0))
		die("capbset drop");
	if (capget2(d))
		die("capget");
	d[0].inheritable |= 1U << CAP_NET_BIND_SERVICE;
	if (capset2(d))
		die("capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0,
		  0))
		die("ambient raise");
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		die("keepcaps");
	if (setresuid(1000, 1000, 1000))
		die("setresuid");
	print_ids("kept");
	if (prctl(PR_SET_SECUREBITS, 0, 0, 0, 0) == 0)
		die("securebits without CAP_SETPCAP should fail");
	return 0;
}

static int legit_setgroups(void)
{
	gid_t g[3] = { 10, 20, 30 };

	if (setgroups(3, g))
		die("setgroups");
	if (setgroups(0, NULL))
		die("setgroups 0");
	if (setresgid(100, 100, 100))
		die("setresgid");
	if (setregid(100, 200))
		die("setregid");
	if (setgid(100))
		die("setgid");
	return 0;
}

static int legit_setfsuid(void)
{
	setfsuid(1000);
	if (setfsuid(-1) != 1000)
		return 1;
	setfsuid(0);
	setfsgid(1000);
	setfsgid(0);
	if (setreuid(1000, -1) || setreuid(0, -1))
		die("setreuid");
	return 0;
}

static int legit_keyctl(void)
{
	long before, after;
	int status;
	pid_t pid;

	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0)
		die("join session");
	before = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
			 KEY_SPEC_SESSION_KEYRING, 0);
	pid = fork();
	if (pid == 0) {
		if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "cgt") < 0)
			_exit(3);
		_exit(syscall(SYS_keyctl, KEYCTL_SESSION_TO_PARENT) ? 4 : 0);
	}
	waitpid(pid, &status, 0);
	after = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
			KEY_SPEC_SESSION_KEYRING, 0);
	printf("session keyring %ld -> %ld\n", before, after);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
			       before != after ?
		       0 :
		       1;
}

static int legit_seccomp(void)
{
	struct sock_filter allow[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { 1, allow };
	struct thr t[3];
	int i;

	for (i = 0; i < 3; i++) {
		t[i].stop = 0;
		pthread_create(&t[i].t, NULL, thr_fn, &t[i]);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("nnp");
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_TSYNC, &prog))
		die("seccomp tsync");
	usleep(50000);
	for (i = 0; i < 3; i++) {
		t[i].stop = 1;
		pthread_join(t[i].t, NULL);
	}
	return 0;
}

/* fork/exec/setuid churn, for N rounds (0: forever). */
static int cmd_churn(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 0, r;

	for (r = 0; !rounds || r < rounds; r++) {
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			if (r % 3 == 0) {
				if (setresuid(1000, 1000, 1000))
					_exit(1);
			} else if (r % 3 == 1) {
				execl("/bin/true", "true", (char *)NULL);
				_exit(1);
			} else {
				drop_to(1000);
				execl("/bin/true", "true", (char *)NULL);
				_exit(1);
			}
			_exit(0);
		}
		if (pid < 0)
			die("fork");
		waitpid(pid, &status, 0);
	}
	return 0;
}

/* Attach file capabilities (VFS_CAP_REVISION_2) without libcap. */
static int cmd_setfcap(int argc, char **argv)
{
	struct {
		uint32_t magic_etc;
		struct {
			uint32_t permitted;
			uint32_t inheritable;
		} data[2];
	} cap = { 0 };
	int bit;

	if (argc != 3)
		return fprintf(stderr, "usage: cgt setfcap FILE CAPNUM\n"), 2;
	bit = atoi(argv[2]);
	cap.magic_etc = 0x02000000 | 0x000001; /* REVISION_2 | EFFECTIVE */
	cap.data[bit / 32].permitted = 1U << (bit % 32);
	if (setxattr(argv[1], "security.capability", &cap, sizeof(cap), 0))
		die("setxattr");
	return 0;
}

static int cmd_runas(int argc, char **argv)
{
	if (argc < 3)
		return fprintf(stderr, "usage: cgt runas UID CMD...\n"), 2;
	drop_to((uid_t)atol(argv[1]));
	execv(argv[2], argv + 2);
	return die("execv");
}

/*
 * burst N [DELAY_US]: N violations in a row (for log mode), DELAY_US apart:
 * fsuid = 0 inside a write(), then a legitimate setfsuid() back.
 */
static int cmd_burst(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 0;
	long delay_us = argc > 2 ? atol(argv[2]) : 0;

	if (n <= 0 || delay_us < 0)
		return fprintf(stderr, "usage: cgt burst N [DELAY_US]\n"), 2;
	cgtest_open();
	drop_to(1000);
	/* Any bytes in the name: the JSON output must escape them. */
	if (getenv("CGT_COMM"))
		prctl(PR_SET_NAME, getenv("CGT_COMM"), 0, 0, 0);
	for (i = 0; i < n; i++) {
		if (cgtest("fsuid_only"))
			return die("fsuid_only");
		setfsuid(1000);
		if (setfsuid(-1) != 1000)
			return fprintf(stderr, "fsuid not restored\n"), 1;
		if (delay_us)
			usleep((useconds_t)delay_us);
	}
	printf("BURST %ld\n", n);
	return 0;
}

static int cmd_ids(void)
{
	print_ids("ids");
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} legit[] = {
	{ "threads", legit_threads },
	{ "userns", legit_userns },
	{ "clone-newuser", legit_clone_newuser },
	{ "setns", legit_setns },
	{ "unshare", legit_unshare },
	{ "faccessat", legit_faccessat },
	{ "capset", legit_capset },
	{ "prctl", legit_prctl },
	{ "setgroups", legit_setgroups },
	{ "setfsuid", legit_setfsuid },
	{ "keyctl", legit_keyctl },
	{ "seccomp", legit_seccomp },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		goto usage;
	if (!strcmp(argv[1], "attack"))
		return cmd_attack(argc - 1, argv + 1);
	if (!strcmp(argv[1], "victim"))
		return cmd_victim(argc - 1, argv + 1);
	if (!strcmp(argv[1], "churn"))
		return cmd_churn(argc - 1, argv + 1);
	if (!strcmp(argv[1], "setfcap"))
		return cmd_setfcap(argc - 1, argv + 1);
	if (!strcmp(argv[1], "runas"))
		return cmd_runas(argc - 1, argv + 1);
	if (!strcmp(argv[1], "ids"))
		return cmd_ids();
	if (!strcmp(argv[1], "burst"))
		return cmd_burst(argc - 1, argv + 1);
	if (!strcmp(argv[1], "legit") && argc == 3)
		for (i = 0; i < sizeof(legit) / sizeof(legit[0]); i++)
			if (!strcmp(argv[2], legit[i].name))
				return legit[i].fn();
usage:
	fprintf(stderr,
		"usage: cgt attack|victim|churn|setfcap|runas|ids|burst|legit NAME\n");
	return 2;
}
