// SPDX-License-Identifier: GPL-2.0
/*
 * cgrules: the guest helper of rules.bats (credguard's value rules), built
 * as a 64-bit and an ia32 binary.
 *
 *   cgrules inside [-u UID] PRIM CALL
 *       as UID, have cgtest write PRIM into our cred inside CALL (a
 *       credential syscall that changes nothing or fails), then try
 *       root's powers
 *   cgrules legit
 *       every value rule's accept side, in turn, from root down to 1000
 *   cgrules exec [-u UID] [-a CAP] [-n] [-t|-T|-s|-S [-f|-F]] PATH
 *       as UID (with CAP in the ambient set, with no_new_privs), run
 *       PATH as "cgrules show"; -t: under the ptrace of a parent that is
 *       UID too (PTRACE_TRACEME), -T: of a parent that stays root (the
 *       child asks for it before it drops to UID); -f: just before the
 *       exec, cgtest points our ptracer_cred at root's cred; -F: and,
 *       inside the exec, our parent (the tracer) at PID 1. -s, -S: the
 *       parent, UID or root, attaches with PTRACE_SEIZE and
 *       PTRACE_O_TRACEFORK, and the exec runs in a child traced from
 *       birth
 *   cgrules show
 *       print the ids and capabilities, then try root's powers
 *   cgrules link [-r] PATH
 *       as uid 1000, run PATH (as "cgrules hold": it reports its euid and
 *       waits) in a child, make the child our tracee and, once it is
 *       stopped in a ptrace stop, read its registers (PTRACE_PEEKUSER)
 *       twice: LINK-USED or LINK-REFUSED each time. The link is forged
 *       by cgtest (ptrace_link: the child's ptrace word set, no link
 *       made), or -r, made by PTRACE_ATTACH (PATH not set-uid then)
 *   cgrules fcap PATH CAP
 *       give PATH the file capability CAP, permitted and effective
 *
 * CALL "exec" runs $CGR_EXEC (default: this binary) as "cgrules show".
 *
 * Copyright (C) 2026 The credguard authors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define SECRET "/root/secret"

static void die(const char *what)
{
	fprintf(stderr, "cgrules: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int capget2(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return syscall(SYS_capget, &h, d);
}

static int capset2(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return syscall(SYS_capset, &h, d);
}

/* Every id, the groups and every capability set, from /proc/self/status. */
static void print_ids(const char *tag)
{
	static const char *const keys[] = {
		"Uid:",	   "Gid:",    "Groups:", "CapInh:",	    "CapPrm:",
		"CapEff:", "CapBnd:", "CapAmb:", "Seccomp_filters:"
	};
	char buf[256], out[1024] = "";
	FILE *f = fopen("/proc/self/status", "r");
	size_t i;

	if (!f)
		die("/proc/self/status");
	while (fgets(buf, sizeof(buf), f))
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strncmp(buf, keys[i], strlen(keys[i]))) {
				buf[strcspn(buf, "\n")] = '\0';
				strncat(out, buf,
					sizeof(out) - strlen(out) - 2);
				strcat(out, " ");
			}
	fclose(f);
	/* Uid: real effective saved fs, as the first four words. */
	{
		unsigned int r, e, sv, fs;

		if (sscanf(out, "Uid: %u %u %u %u", &r, &e, &sv, &fs) != 4)
			die("Uid line");
		printf("%s uid=%u euid=%u suid=%u fsuid=%u %s", tag, r, e, sv,
		       fs, out);
	}
	/* Where it is: its root, its cwd, its UTS namespace (inodes). */
	{
		struct stat root, cwd, uts, net;

		if (stat("/", &root) || stat(".", &cwd) ||
		    stat("/proc/self/ns/uts", &uts) ||
		    stat("/proc/self/ns/net", &net))
			die("root, cwd or namespaces");
		printf("root=%lx:%lu cwd=%lx:%lu uts=%lu net=%lu\n",
		       (unsigned long)root.st_dev, (unsigned long)root.st_ino,
		       (unsigned long)cwd.st_dev, (unsigned long)cwd.st_ino,
		       (unsigned long)uts.st_ino, (unsigned long)net.st_ino);
	}
	fflush(stdout);
}

static void try_privilege(void)
{
	char path[64];
	int fd = open(SECRET, O_RDONLY);

	printf(fd >= 0 ? "PRIV-OK\n" : "PRIV-DENIED\n");
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "/root/pwned-%d", getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd >= 0) {
		printf("PWNED %s\n", path);
		close(fd);
	}
	fflush(stdout);
}

/* Calls that change nothing, or fail, for an unprivileged caller. */
static long call_capset(void)
{
	struct __user_cap_data_struct d[2];

	return capget2(d) ? -1 : capset2(d);
}

#define CALL(n, expr)              \
	static long call_##n(void) \
	{                          \
		return expr;       \
	}
CALL(setuid0, setuid(0))
CALL(setreuid_noop, setreuid(-1, -1))
CALL(setresuid_noop, setresuid(-1, -1, -1))
CALL(setfsuid_self, setfsuid(getuid()))
CALL(setgid0, setgid(0))
CALL(setregid_noop, setregid(-1, -1))
CALL(setresgid_noop, setresgid(-1, -1, -1))
CALL(setfsgid_self, setfsgid(getgid()))
CALL(setgroups0, setgroups(0, NULL))
CALL(keepcaps, prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
CALL(bset_drop, prctl(PR_CAPBSET_DROP, CAP_SYS_MODULE, 0, 0, 0))
CALL(unshare_user, unshare(CLONE_NEWUSER))
CALL(chdir_tmp, chdir("/tmp"))
CALL(chdir_dot, chdir("."))
CALL(chroot_dot, chroot("."))

/* Before arming: where the call starts from. */
static void pre_tmp(void)
{
	if (chdir("/tmp"))
		die("chdir /tmp");
}

/* In a jail of its own, with /proc mounted inside (CGR_JAIL). */
static void pre_jail(void)
{
	const char *jail = getenv("CGR_JAIL");

	if (!jail || chdir(jail) || chroot("."))
		die("chroot CGR_JAIL");
}

static void pre_uts(void)
{
	if (unshare(CLONE_NEWUTS))
		die("unshare uts");
}

/* A network namespace of its own, as a container's. */
static void pre_net(void)
{
	if (unshare(CLONE_NEWNET))
		die("unshare net");
}

/* A user namespace and a network namespace owned by it. */
CALL(unshare_user_net, unshare(CLONE_NEWUSER | CLONE_NEWNET))

/* The /proc/cgtest descriptor cmd_inside() opened. */
static int cgtest_fd = -1;

#ifdef __x86_64__
/*
 * process_vm_readv() of nothing: a 64-bit call that succeeds at once,
 * whose number is ia32's unshare(). TS_COMPAT is set at its entry
 * (cgtest's compat_on), in its own UTS namespace.
 */
CALL(vm_readv, syscall(SYS_process_vm_readv, getpid(), NULL, 0, NULL, 0, 0))

static void pre_compat(void)
{
	char cmd[32];

	pre_uts();
	snprintf(cmd, sizeof(cmd), "compat_on %d", SYS_process_vm_readv);
	if (write(cgtest_fd, cmd, strlen(cmd)) < 0)
		die("compat_on");
}
#endif

/* An allow-all seccomp filter (no_new_privs first, as unprivileged). */
static void pre_filter(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { 1, &allow };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0))
		die("seccomp filter");
}

/* Run @path as "cgrules show": on success, the new image prints "after". */
static long exec_show(const char *path)
{
	char *const argv[] = { "cgrules", "show", NULL };

	fflush(stdout);
	return execv(path, argv);
}

static long call_exec(void)
{
	const char *path = getenv("CGR_EXEC");

	return exec_show(path ? path : "/proc/self/exe");
}

#ifdef __i386__
/* The 16-bit calls of the ia32 ABI (0xffff: unchanged). */
CALL(setresuid16_noop, syscall(__NR_setresuid, 0xffff, 0xffff, 0xffff))
CALL(setuid16_0, syscall(__NR_setuid, 0))
#endif

static const struct call {
	const char *name; /* for the command line */
	const char *sym; /* the syscall entry cgtest probes */
	long (*fn)(void);
	void (*pre)(void); /* before arming, if any */
} calls[] = {
	{ "setuid0", "setuid", call_setuid0, NULL },
	{ "setreuid-noop", "setreuid", call_setreuid_noop, NULL },
	{ "setresuid-noop", "setresuid", call_setresuid_noop, NULL },
	{ "setfsuid-self", "setfsuid", call_setfsuid_self, NULL },
	{ "setgid0", "setgid", call_setgid0, NULL },
	{ "setregid-noop", "setregid", call_setregid_noop, NULL },
	{ "setresgid-noop", "setresgid", call_setresgid_noop, NULL },
	{ "setfsgid-self", "setfsgid", call_setfsgid_self, NULL },
	{ "setgroups0", "setgroups", call_setgroups0, NULL },
	{ "capset-noop", "capset", call_capset, NULL },
	{ "keepcaps", "prctl", call_keepcaps, NULL },
	{ "bset-drop", "prctl", call_bset_drop, NULL },
	{ "unshare-user", "unshare", call_unshare_user, NULL },
	{ "exec", "execve", call_exec, NULL },
	{ "exec-step", "exec-step", call_exec, NULL },
	{ "chdir-tmp", "chdir", call_chdir_tmp, pre_tmp },
	{ "chdir-dot-entry", "entry-chdir", call_chdir_dot, pre_tmp },
	{ "chroot-jail", "chroot", call_chroot_dot, pre_jail },
	{ "exec-uts", "execve", call_exec, pre_uts },
	{ "unshare-user-net", "unshare", call_unshare_user_net, pre_net },
	{ "keepcaps-filtered", "prctl", call_keepcaps, pre_filter },
#ifdef __x86_64__
	{ "vm-readv-compat", "process_vm_readv", call_vm_readv, pre_compat },
#endif
#ifdef __i386__
	{ "setresuid16-noop", "setresuid16", call_setresuid16_noop, NULL },
	{ "setuid16-0", "setuid16", call_setuid16_0, NULL },
#endif
};

static int cmd_inside(int argc, char **argv)
{
	const struct call *c = NULL;
	char cmd[64];
	long uid = -1, ret;
	size_t i;
	int fd, a = 1;

	if (argc > 2 && !strcmp(argv[1], "-u")) {
		uid = atol(argv[2]);
		a = 3;
	}
	if (argc != a + 2)
		return fprintf(stderr,
			       "usage: cgrules inside [-u UID] PRIM CALL\n"),
		       2;
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcmp(argv[a + 1], calls[i].name))
			c = &calls[i];
	if (!c)
		return fprintf(stderr, "cgrules: no call %s\n", argv[a + 1]), 2;
	fd = open("/proc/cgtest", O_WRONLY);
	if (fd < 0)
		die("open /proc/cgtest");
	cgtest_fd = fd;
	if (uid >= 0 && (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
			 setresuid(uid, uid, uid)))
		die("drop privileges");
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	if (c->pre)
		c->pre();
	snprintf(cmd, sizeof(cmd), "inside %s %s", argv[a], c->sym);
	if (write(fd, cmd, strlen(cmd)) < 0)
		die("arm cgtest");
	print_ids("before");
	errno = 0;
	ret = c->fn();
	printf("call %s ret=%ld errno=%d\n", c->name, ret, errno);
	print_ids("after");
	try_privilege();
	return 0;
}

#define STEP(expr)                  \
	do {                        \
		if ((expr) < 0)     \
			die(#expr); \
		print_ids(#expr);   \
	} while (0)

static void set_caps(unsigned long long prm, unsigned long long eff,
		     unsigned long long inh)
{
	struct __user_cap_data_struct d[2] = {
		{ eff, prm, inh }, { eff >> 32, prm >> 32, inh >> 32 }
	};

	if (capset2(d))
		die("capset");
	print_ids("capset");
}

#define BIT(c) (1ULL << (c))

/* The accept side of every rule, each step checked by credguard. */
static int cmd_legit(void)
{
	gid_t g = 1000;

	/* setgroups, set*gid with CAP_SETGID. */
	STEP(setgroups(1, &g));
	STEP(setregid(1000, -1));
	STEP(setresgid(-1, 1000, 1000));
	STEP(setgid(1000));
	STEP(setfsgid(0));
	/* set*uid with CAP_SETUID; the capability fix-ups. */
	STEP(setreuid(1000, -1)); /* suid follows euid: 0 */
	STEP(setfsuid(1000)); /* fs capabilities leave the effective set */
	STEP(setfsuid(0)); /* and come back */
	STEP(setuid(0)); /* real and saved too */
	STEP(setresuid(-1, 2000, -1)); /* euid leaves root: effective cleared */
	STEP(setresuid(-1, 0, -1)); /* back: effective = permitted */
	/* Without CAP_SETUID, among our own ids. */
	STEP(setresuid(1000, 2000, 0));
	STEP(setresuid(2000, 1000, 0));
	STEP(setreuid(-1, 0));
	/* prctl: bounding set, securebits, keepcaps. */
	STEP(prctl(PR_CAPBSET_DROP, CAP_SYS_MODULE, 0, 0, 0));
	STEP(prctl(PR_SET_SECUREBITS, 1 << 4 /* SECBIT_KEEP_CAPS */, 0, 0, 0));
	STEP(prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0));
	STEP(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	/* Keep the permitted set across the drop to 1000 (keepcaps). */
	STEP(setresuid(1000, 1000, 1000));
	/* capset: raise effective from permitted, set inheritable. */
	set_caps(BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_SETPCAP) | BIT(CAP_SETUID),
		 BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_SETPCAP) | BIT(CAP_SETUID),
		 BIT(CAP_NET_BIND_SERVICE));
	/* The ambient set: raise, lower, clear. */
	STEP(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE,
		   0, 0));
	STEP(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_NET_BIND_SERVICE,
		   0, 0));
	STEP(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE,
		   0, 0));
	STEP(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0));
	/* setfsuid with CAP_SETUID to another id; capset drops it all. */
	STEP(setfsuid(3000));
	set_caps(0, 0, 0);
	STEP(setfsuid(1000));
	/* Refused calls that change nothing. */
	if (setuid(0) == 0 || setgroups(0, NULL) == 0)
		return fprintf(stderr, "cgrules: a refused call succeeded\n"),
		       1;
	print_ids("refused");
	printf("legit-done\n");
	return 0;
}

static int cmd_show(void)
{
	print_ids("after");
	try_privilege();
	return 0;
}

/* Keep @cap (in the inheritable and ambient sets) across the drop to @uid. */
static void drop_keep_ambient(uid_t uid, int cap)
{
	struct __user_cap_data_struct d[2];

	if (capget2(d))
		die("capget");
	d[cap / 32].inheritable |= 1U << (cap % 32);
	if (capset2(d) || prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		die("keep capabilities");
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid))
		die("drop privileges");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0))
		die("raise ambient");
}

static void drop_to(long uid, long cap)
{
	if (cap >= 0 && uid >= 0)
		drop_keep_ambient(uid, cap);
	else if (uid >= 0 && (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
			      setresuid(uid, uid, uid)))
		die("drop privileges");
}

/*
 * The tracer: resume every stop of every tracee (the exec's SIGTRAP and
 * the stops of children traced from birth included) until @pid ends; its
 * end is ours (137: killed).
 */
/*
 * 'D': the tracer detaches at the tracee's first SIGSTOP (raised after
 * PTRACE_TRACEME; a child traced from birth starts with one).
 */
static int detach_at_stop;

static int trace_child(pid_t pid)
{
	pid_t w;
	int st;

	while ((w = waitpid(-1, &st, __WALL)) > 0) {
		if (w == pid && WIFEXITED(st))
			return WEXITSTATUS(st);
		if (w == pid && WIFSIGNALED(st))
			return 128 + WTERMSIG(st);
		if (WIFSTOPPED(st) && detach_at_stop &&
		    WSTOPSIG(st) == SIGSTOP) {
			if (ptrace(PTRACE_DETACH, w, 0, 0))
				die("PTRACE_DETACH");
			continue;
		}
		if (WIFSTOPPED(st))
			ptrace(PTRACE_CONT, w, 0,
			       WSTOPSIG(st) == SIGTRAP || (st >> 16) ||
					       WSTOPSIG(st) == SIGSTOP ?
				       0 :
				       WSTOPSIG(st));
	}
	die("waitpid");
	return 1;
}

/* fork(), with our output so far written once. */
static pid_t fork_flushed(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	return pid;
}

/* Run the rest in a child of ours and end as it does (137: killed). */
static void in_child(void)
{
	pid_t pid = fork_flushed();
	int st;

	if (!pid)
		return;
	if (waitpid(pid, &st, __WALL) != pid)
		die("waitpid");
	exit(WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st));
}

/*
 * Fork; the child becomes traced by the parent. 't', 'T': it asks for it
 * (PTRACE_TRACEME) as UID, or while root before it drops to UID. 'a', 'A':
 * the parent, as UID or root, seizes the stopped child with
 * PTRACE_O_TRACEFORK, and the rest runs in a grandchild traced from birth.
 */
static void become_traced(int how, long uid, long cap)
{
	pid_t pid = fork_flushed();
	int st;

	if (pid > 0) {
		if (how == 't' || how == 'a')
			drop_to(uid, -1);
		if (how == 'a' || how == 'A') {
			if (waitpid(pid, &st, WUNTRACED) != pid ||
			    ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACEFORK) ||
			    kill(pid, SIGCONT))
				die("PTRACE_SEIZE");
		}
		exit(trace_child(pid));
	}
	if (how != 'T')
		drop_to(uid, cap);
	if (how == 'a' || how == 'A') {
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		raise(SIGSTOP);
		in_child();
		return;
	}
	if (ptrace(PTRACE_TRACEME, 0, 0, 0))
		die("PTRACE_TRACEME");
	if (how == 'T')
		drop_to(uid, cap);
	if (detach_at_stop)
		raise(SIGSTOP); /* runs on untraced */
}

static int cmd_exec(int argc, char **argv)
{
	long uid = -1, cap = -1;
	const char *forge = NULL;
	int o, nnp = 0, traced = 0, fd = -1;

	while ((o = getopt(argc, argv, "u:a:ntTsSfFHD")) != -1) {
		if (o == 'u')
			uid = atol(optarg);
		else if (o == 'a')
			cap = atol(optarg);
		else if (o == 'n')
			nnp = 1;
		else if (o == 't' || o == 'T')
			traced = o;
		else if (o == 's' || o == 'S')
			traced = o == 's' ? 'a' : 'A';
		else if (o == 'f')
			forge = "ptracer_root";
		else if (o == 'F')
			forge = "ptrace_parent_init";
		else if (o == 'H')
			forge = "ptrace_hide";
		else if (o == 'D')
			detach_at_stop = 1;
		else
			return 2;
	}
	if (optind != argc - 1 || (forge && !traced) ||
	    (detach_at_stop && !traced))
		return fprintf(stderr,
			       "usage: cgrules exec [-u UID] [-a CAP] [-n] [-t|-T|-s|-S [-f|-F|-H|-D]] PATH\n"),
		       2;
	if (forge) {
		fd = open("/proc/cgtest", O_WRONLY);
		if (fd < 0)
			die("open /proc/cgtest");
	}
	if (traced)
		become_traced(traced, uid, cap);
	else
		drop_to(uid, cap);
	if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("no_new_privs");
	print_ids("before");
	if (forge && write(fd, forge, strlen(forge)) < 0)
		die(forge);
	exec_show(argv[optind]);
	die(argv[optind]);
	return 1;
}

/* The tracee of "link": ready on fd 3, then waits for its stop. */
static int cmd_hold(void)
{
	char c = geteuid() == 0 ? 'r' : 'u';

	if (write(3, &c, 1) != 1)
		die("ready");
	for (;;)
		pause();
	return 0;
}

/* Is @pid in a ptrace stop ('t' in /proc/PID/stat)? Waits up to 5 s. */
static int traced_stop(pid_t pid)
{
	char path[64], buf[256], *p;
	int i, fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (i = 0; i < 500; i++, usleep(10000)) {
		fd = open(path, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		buf[n > 0 ? n : 0] = '\0';
		p = strrchr(buf, ')');
		if (p && p[1] == ' ' && p[2] == 't')
			return 1;
	}
	return 0;
}

static void peek(pid_t pid)
{
	errno = 0;
	ptrace(PTRACE_PEEKUSER, pid, 0, 0);
	if (errno)
		printf("LINK-REFUSED %s\n", strerror(errno));
	else
		printf("LINK-USED\n");
	fflush(stdout);
}

static int cmd_link(int argc, char **argv)
{
	int real = argc == 3 && !strcmp(argv[1], "-r"), p[2], fd = -1;
	char cmd[64], c = 0;
	pid_t pid;

	if (argc != 2 + real)
		return fprintf(stderr, "usage: cgrules link [-r] PATH\n"), 2;
	if (!real && (fd = open("/proc/cgtest", O_WRONLY)) < 0)
		die("open /proc/cgtest");
	drop_to(1000, -1);
	if (pipe(p))
		die("pipe");
	pid = fork_flushed();
	if (!pid) {
		/* Our output is the test's: the tracee may outlive us. */
		int null = open("/dev/null", O_RDWR);

		if (dup2(p[1], 3) != 3 || null < 0 || dup2(null, 1) != 1 ||
		    dup2(null, 2) != 2)
			die("dup2");
		execl(argv[argc - 1], "cgrules", "hold", (char *)NULL);
		die(argv[argc - 1]);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		die("tracee not ready");
	printf("child=%d euid=%s\n", pid, c == 'r' ? "0" : "1000");
	fflush(stdout); /* killed at the request, in kill mode */
	snprintf(cmd, sizeof(cmd), "ptrace_link %d", pid);
	if (real ? ptrace(PTRACE_ATTACH, pid, 0, 0) :
		   write(fd, cmd, strlen(cmd)) < 0 || kill(pid, SIGUSR1))
		die(real ? "PTRACE_ATTACH" : "ptrace_link");
	if (!traced_stop(pid))
		die("no ptrace stop");
	peek(pid);
	peek(pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, __WALL);
	return 0;
}

/* A version 2 security.capability: @cap permitted, effective. */
static int cmd_fcap(const char *path, int cap)
{
	struct vfs_cap_data v = { .magic_etc = VFS_CAP_REVISION_2 |
					       VFS_CAP_FLAGS_EFFECTIVE };

	v.data[cap / 32].permitted = 1U << (cap % 32);
	if (setxattr(path, "security.capability", &v, sizeof(v), 0))
		die(path);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "show"))
		return cmd_show();
	if (argc >= 2 && !strcmp(argv[1], "exec"))
		return cmd_exec(argc - 1, argv + 1);
	if (argc == 2 && !strcmp(argv[1], "hold"))
		return cmd_hold();
	if (argc >= 2 && !strcmp(argv[1], "link"))
		return cmd_link(argc - 1, argv + 1);
	if (argc == 4 && !strcmp(argv[1], "fcap"))
		return cmd_fcap(argv[2], atoi(argv[3]));
	if (argc >= 2 && !strcmp(argv[1], "inside"))
		return cmd_inside(argc - 1, argv + 1);
	if (argc == 2 && !strcmp(argv[1], "legit"))
		return cmd_legit();
	fprintf(stderr,
		"usage: cgrules inside [-u UID] PRIM CALL | legit | "
		"exec [-u UID] [-a CAP] [-n] [-t|-T|-s|-S [-f|-F|-H|-D]] PATH | "
		"show | link [-r] PATH | fcap PATH CAP\n");
	return 2;
}
