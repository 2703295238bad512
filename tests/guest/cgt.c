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
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/keyctl.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
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

/* The supplementary group drop_to() keeps, if any (the group0 attack). */
static gid_t keep_group = (gid_t)-1;

static void drop_to(uid_t uid)
{
	if (setgroups(keep_group != (gid_t)-1, &keep_group) ||
	    setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
		die("drop privileges");
	/* Changing ids made us non-dumpable: /proc/self would be root's. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

/*
 * Try to use root's powers: read a root-only file, then leave a file in
 * root's home (the suites check it never appears unless the attack was
 * allowed to stand).
 */
/*
 * Open @path for reading and say which way it went: "@tag-@won @verb
 * @path" if it opened, "@tag-@kept ERROR" if not.
 */
static void open_probe(const char *path, const char *tag, const char *won,
		       const char *verb, const char *kept)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		printf("%s-%s %s %s\n", tag, won, verb, path);
		close(fd);
	} else {
		printf("%s-%s %s\n", tag, kept, strerror(errno));
	}
}

static void try_privilege(void)
{
	char path[64];
	int fd;

	open_probe(SECRET, "PRIV", "OK", "read", "DENIED");
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

static unsigned long spin_count(void)
{
	const char *s = getenv("CGT_SPIN");

	return strtoul(s ? s : "50000000", NULL, 0);
}

/* --- set-ups and probes of the attacks on the guarded state ---------------- */

#define JAIL "/tmp/cgt-jail"
#define OUTSIDE "/init" /* exists outside the jail only */
#define GROUP_FILE "/tmp/cgt-group0"

#if defined(__x86_64__)
#define CGT_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define CGT_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__arm__)
#define CGT_AUDIT_ARCH AUDIT_ARCH_ARM
#else
#define CGT_AUDIT_ARCH AUDIT_ARCH_I386
#endif
/* asm-generic's table (arm64) has mkdirat only. */
#ifndef __NR_mkdir
#define __NR_mkdir __NR_mkdirat
#endif

/* A filter that makes mkdir and mkdirat fail with EPERM. */
static int deny_mkdir(int via_seccomp)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, CGT_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mkdir, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mkdirat, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (via_seccomp)
		return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
				    &prog);
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

/*
 * 0 if mkdir works (the directory is removed again), else errno. The path
 * is made on the first call: in an attack, mkdir is the next syscall.
 */
static int try_mkdir(void)
{
	static char path[64];

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/cgt-mkdir-%d", getpid());
	if (mkdir(path, 0700))
		return errno;
	rmdir(path);
	return 0;
}

static void jail_enter(void)
{
	mkdir(JAIL, 0755);
	if (chroot(JAIL) || chdir("/"))
		die("chroot");
}

static void jail_probe(void)
{
	open_probe(OUTSIDE, "JAIL", "ESCAPED", "opened", "KEPT");
}

/* The same through the cwd: a relative path. */
static void jail_probe_cwd(void)
{
	open_probe(OUTSIDE + 1, "JAIL", "ESCAPED", "opened", "KEPT");
}

static void seccomp_jail(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || deny_mkdir(1))
		die("seccomp filter");
	if (try_mkdir() != EPERM)
		die("the filter does not deny mkdir");
}

/* A filter that allows everything (@flags: seccomp()'s). */
static int allow_all(unsigned int flags)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { 1, f };

	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/* The mkdir filter on top of one that allows everything. */
static void seccomp_chain_jail(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || allow_all(0) ||
	    deny_mkdir(1))
		die("seccomp filters");
	if (try_mkdir() != EPERM)
		die("the filter does not deny mkdir");
}

static void seccomp_probe(void)
{
	int err = try_mkdir();

	if (err)
		printf("SECCOMP-KEPT mkdir: %s\n", strerror(err));
	else
		printf("SECCOMP-ESCAPED mkdir worked\n");
}

/*
 * The same, twice: restored, the second call meets the filter again (and
 * no second report); logged, both get through. Then, in log mode where it
 * stays, the bit off again: a task with a ptrace word and no tracer would
 * stop at its next signal.
 */
static void suspend_probe(void)
{
	seccomp_probe();
	seccomp_probe();
	if (cgtest("seccomp_unsuspend") < 0)
		printf("undo-error\n");
}

/*
 * The mkdir twice: restored, the second call meets the filters again (and
 * no second report); logged, both get through.
 */
static void chain_probe(void)
{
	seccomp_probe();
	seccomp_probe();
}

/*
 * Spin in user space first (timer ticks, switches), then the same: the
 * bit is found at a tick, before any syscall.
 */
static void suspend_spin_probe(void)
{
	spin(spin_count());
	suspend_probe();
}

static void nnp_set(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("no_new_privs");
}

/*
 * The first prctl may be refused (EPERM: a syscall caught with tampered
 * seccomp-related state is not run); the second shows the state.
 */
static void nnp_probe(void)
{
	int first = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	int r = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);

	printf("%s no_new_privs=%d (first read %d)\n",
	       first != 0 && r == 1 ? "NNP-KEPT" : "NNP-ESCAPED", r, first);
}

static void uts_jail(void)
{
	if (unshare(CLONE_NEWUTS) || sethostname("jail", 4))
		die("unshare uts");
}

static void uts_probe(void)
{
	char host[65];

	gethostname(host, sizeof(host));
	host[64] = '\0';
	printf("%s hostname=%s\n",
	       strcmp(host, "jail") ? "NS-ESCAPED" : "NS-KEPT", host);
}

/*
 * uts_owner, mnt_owner: a namespace of our own made as root (owned by the
 * initial user namespace), then a user namespace in which we are root;
 * it gives no power over the first until its owner is forged.
 */
static void mnt_jail(void)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("unshare mnt");
}

static void owner_probe(const char *what, int r)
{
	printf("%s %s: %s\n", r ? "NS-KEPT" : "NS-ESCAPED", what,
	       r ? strerror(errno) : "done");
}

static void uts_owner_probe(void)
{
	owner_probe("sethostname", sethostname("owned", 5));
	uts_probe();
}

static void mnt_owner_probe(void)
{
	owner_probe("mount", mount("cgt", "/tmp", "tmpfs", 0, NULL));
}

/*
 * userns_own: a user namespace made by root (its owner root), kept by an
 * open /proc/PID/ns/user of the child that made it; as uid 1000, setns()
 * into it is refused until its owner is forged. The primitive's argument:
 * that descriptor (gattack_arg).
 */
static char gattack_arg[16];
static int userns_fd = -1;
static int write_file(const char *path, const char *s);

static void userns_root_made(void)
{
	char path[64], c;
	int p[2];
	pid_t pid;

	if (pipe(p))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (unshare(CLONE_NEWUSER) || write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	if (read(p[0], &c, 1) != 1)
		die("user namespace holder");
	snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
	userns_fd = open(path, O_RDONLY);
	if (userns_fd < 0)
		die("open user namespace");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	snprintf(gattack_arg, sizeof(gattack_arg), "%d", userns_fd);
}

/*
 * A namespace root makes for a task that stays in it (its root mapped to
 * root: kuid 0 in there is kuid 0), as a container runtime would; the
 * holder dies with us. It must be asleep in a syscall entered before the
 * owner is forged: an entry after that would be the holder's own
 * violation (its namespace's record no longer matches), a second report
 * the test did not ask for. It blocks reading a pipe it keeps the write
 * end of (no EOF when we die first), and we wait until its
 * /proc/PID/syscall shows that read.
 */
static pid_t userns_holder;

static void userns_holder_asleep(int fd)
{
	char path[64], want[32], buf[64];
	int i, f, n;

	snprintf(path, sizeof(path), "/proc/%d/syscall", userns_holder);
	snprintf(want, sizeof(want), "%d 0x%x ", SYS_read, fd);
	for (i = 0; i < 10000; i++) {
		f = open(path, O_RDONLY);
		n = f < 0 ? -1 : read(f, buf, sizeof(buf) - 1);
		if (f >= 0)
			close(f);
		if (n > 0) {
			buf[n] = 0;
			if (!strncmp(buf, want, strlen(want)))
				return;
		}
		usleep(1000);
	}
	die("user namespace holder never slept");
}

static void userns_root_held(void)
{
	char path[64], c;
	int p[2], q[2], r[2];

	if (pipe(p) || pipe(q) || pipe(r))
		die("pipe");
	userns_holder = fork();
	if (userns_holder < 0)
		die("fork");
	if (userns_holder == 0) {
		int null = open("/dev/null", O_RDWR);

		/* Not the test's output: it must not wait for us. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (null < 0 || dup2(null, 1) != 1 || dup2(null, 2) != 2 ||
		    unshare(CLONE_NEWUSER) || write(p[1], "x", 1) != 1 ||
		    read(q[0], &c, 1) != 1 || setresuid(0, 0, 0))
			_exit(1);
		for (;;)
			if (read(r[0], &c, 1) < 0 && errno != EINTR)
				_exit(1);
	}
	if (read(p[0], &c, 1) != 1)
		die("user namespace holder");
	snprintf(path, sizeof(path), "/proc/%d/uid_map", userns_holder);
	if (write_file(path, "0 0 1"))
		die("uid_map");
	snprintf(path, sizeof(path), "/proc/%d/gid_map", userns_holder);
	if (write_file(path, "0 0 1") || write(q[1], "x", 1) != 1)
		die("gid_map");
	userns_holder_asleep(r[0]);
	snprintf(path, sizeof(path), "/proc/%d/ns/user", userns_holder);
	userns_fd = open(path, O_RDONLY);
	if (userns_fd < 0)
		die("open user namespace");
	snprintf(gattack_arg, sizeof(gattack_arg), "%d", userns_fd);
	printf("holder=%d\n", userns_holder);
	fflush(stdout);
}

/*
 * From outside, as the forged owner: a signal to the namespace's root
 * task (CAP_KILL over its namespace), twice.
 */
static void userns_outside_probe(void)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (kill(userns_holder, 0))
			printf("USERNS-SIGNAL-DENIED %s\n", strerror(errno));
		else
			printf("USERNS-SIGNAL-OK\n");
	}
}

/* setns() as the forged owner, then once more as whoever we are then. */
static void userns_own_probe(void)
{
	struct stat in, ns;
	int r = setns(userns_fd, CLONE_NEWUSER);
	int entered = !stat("/proc/self/ns/user", &in) &&
		      !fstat(userns_fd, &ns) && in.st_ino == ns.st_ino;
	int again = setns(userns_fd, CLONE_NEWUSER);

	printf("%s setns=%d again=%s\n",
	       entered ? "USERNS-ENTERED" : "USERNS-OUTSIDE", r,
	       again ? strerror(errno) : "done");
}

/* An abstract unix socket exists in one network namespace only. */
static struct sockaddr_un net_addr;
static socklen_t net_addr_len;

static void net_jail(void)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	net_addr.sun_family = AF_UNIX;
	net_addr_len = offsetof(struct sockaddr_un, sun_path) + 1 +
		       snprintf(net_addr.sun_path + 1,
				sizeof(net_addr.sun_path) - 1,
				"cgt-init-net-%d", getpid());
	if (fd < 0 || bind(fd, (struct sockaddr *)&net_addr, net_addr_len) ||
	    listen(fd, 1))
		die("listen in the initial net namespace");
	if (unshare(CLONE_NEWNET))
		die("unshare net");
}

static void net_probe(void)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd >= 0 && !connect(fd, (struct sockaddr *)&net_addr, net_addr_len))
		printf("NS-ESCAPED netns=init\n");
	else
		printf("NS-KEPT netns=own %s\n", strerror(errno));
}

/* Readable only through group 0; we keep group 1000 only. */
static void group_file(void)
{
	int fd = open(GROUP_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, "group0\n", 7) != 7 || fchown(fd, 0, 0) ||
	    fchmod(fd, 0040))
		die(GROUP_FILE);
	close(fd);
	keep_group = 1000;
}

static void group_probe(void)
{
	open_probe(GROUP_FILE, "PRIV", "OK", "read", "DENIED");
}

static void spin_probe(void)
{
	spin(spin_count());
}

/*
 * Fork straight after the attack, before any boundary of ours: the child
 * starts from a tampered parent. It tries the privilege; the parent
 * waits for it and reports how it ended, then spins.
 */
static void fork_probe(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		try_privilege();
		fflush(stdout);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		die("fork child");
	printf("CHILD-%s %d\n", WIFSIGNALED(status) ? "SIGNALED" : "EXITED",
	       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	fflush(stdout);
	spin(spin_count());
}

/* Our own user namespace, root in it mapped to our uid (CGT_NOMAP: none). */
static void userns_enter(void)
{
	char map[64];

	snprintf(map, sizeof(map), "0 %u 1", (unsigned int)getuid());
	if (unshare(CLONE_NEWUSER))
		die("unshare user");
	if (getenv("CGT_NOMAP"))
		return;
	if (write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/uid_map", map) ||
	    write_file("/proc/self/gid_map", map))
		die("maps");
}

static void print_map(const char *tag)
{
	char buf[128] = "";
	FILE *f = fopen("/proc/self/uid_map", "r");

	if (f && !fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	printf("%s uid_map=[%s]\n", tag, buf);
}

/* Root in the namespace, through whatever its map says now. */
static void map_probe(void)
{
	if (setresuid(0, 0, 0))
		printf("SETUID-FAILED %s\n", strerror(errno));
	print_map("MAP");
}

/*
 * Real uid 4242 (the init_map4242 attack's), effective and saved root: as
 * in a set-uid-root program that user ran.
 */
static void real_4242(void)
{
	if (setresuid(4242, -1, -1))
		die("setresuid");
}

/* What the program then does: become the user who ran it. */
static void become_4242(void)
{
	if (setresuid(4242, 4242, 4242))
		printf("SETUID-FAILED %s\n", strerror(errno));
}

struct gattack {
	const char *name;
	void (*pre)(void); /* as root, before dropping privileges */
	void (*post)(void); /* after dropping them */
	void (*probe)(void); /* right after the write: use what it gave */
	int ids; /* then try root's powers too */
	const char *undo; /* at once a second write, if the task lives on */
	/*
	 * chdir(".") just before the write (with only light syscalls
	 * after it): a legitimate cwd change must not vouch for a forged
	 * one made after it.
	 */
	int chdir_first;
};

static const struct gattack gattacks[] = {
	{ "fs_ptr", jail_enter, NULL, jail_probe, 0, NULL, 0 },
	{ "fs_root", jail_enter, NULL, jail_probe, 0, NULL, 0 },
	{ "fs_pwd", jail_enter, NULL, jail_probe_cwd, 0, NULL, 1 },
	{ "seccomp_off", NULL, seccomp_jail, seccomp_probe, 0, NULL, 0 },
	{ "seccomp_work", NULL, seccomp_jail, seccomp_probe, 0, NULL, 0 },
	{ "seccomp_suspend", NULL, seccomp_jail, suspend_probe, 0, NULL, 0 },
	{ "seccomp_cache", NULL, seccomp_jail, chain_probe, 0, NULL, 0 },
	{ "seccomp_prog", NULL, seccomp_chain_jail, chain_probe, 0, NULL, 0 },
	{ "seccomp_func", NULL, seccomp_chain_jail, chain_probe, 0, NULL, 0 },
	{ "seccomp_suspend_tick", NULL, seccomp_jail, suspend_spin_probe, 0,
	  NULL, 0 },
	{ "nnp_off", NULL, nnp_set, nnp_probe, 0, NULL, 0 },
	{ "uts_member", uts_jail, NULL, uts_probe, 0, NULL, 0 },
	{ "net_member", net_jail, NULL, net_probe, 0, NULL, 0 },
	{ "uts_owner", uts_jail, userns_enter, uts_owner_probe, 0, NULL, 0 },
	{ "mnt_owner", mnt_jail, userns_enter, mnt_owner_probe, 0, NULL, 0 },
	{ "userns_own", userns_root_made, NULL, userns_own_probe, 0, NULL, 0 },
	{ "trace_rec_outside", userns_root_held, NULL, userns_outside_probe, 0,
	  NULL, 0 },
	{ "userns_outside", userns_root_held, NULL, userns_outside_probe, 0,
	  NULL, 0 },
	{ "group0", group_file, NULL, group_probe, 0, NULL, 0 },
	{ "tp_clear_ids", NULL, NULL, spin_probe, 1, NULL, 0 },
	{ "tp_clear_fork", NULL, NULL, fork_probe, 1, NULL, 0 },
	{ "orig_ax_exec", NULL, NULL, NULL, 1, NULL, 0 },
	/* In log mode PF_KTHREAD stays; a user task must not keep it. */
	{ "kthread_ids", NULL, NULL, NULL, 1, "kthread_undo", 0 },
	{ "uid_map0", NULL, userns_enter, map_probe, 1, NULL, 0 },
	{ "init_map4242", real_4242, NULL, become_4242, 1, NULL, 0 },
};

static const struct gattack *gattack_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(gattacks) / sizeof(gattacks[0]); i++)
		if (!strcmp(name, gattacks[i].name))
			return &gattacks[i];
	return NULL;
}

/*
 * The write, then at once the probe: its syscall is the next one. The
 * set-up may have named the primitive's argument (gattack_arg).
 */
static int gattack_run(const struct gattack *g, const char *cmd)
{
	char with_arg[64];

	if (gattack_arg[0]) {
		snprintf(with_arg, sizeof(with_arg), "%s %s", g->name,
			 gattack_arg);
		cmd = with_arg;
	}
	if (g->chdir_first && chdir("."))
		die("chdir");
	if (cgtest(cmd) < 0)
		printf("write-error\n");
	if (g->undo && cgtest(g->undo) < 0)
		printf("undo-error\n");
	if (g->probe)
		g->probe();
	if (g->ids)
		try_privilege();
	print_ids("after");
	return 0;
}

/*
 * attack [-u UID] PRIMITIVE [ARG]: perform one exploit primitive inside a
 * write(), then try to use the privilege.
 */
static int cmd_attack(int argc, char **argv)
{
	const struct gattack *g;
	char cmd[64];
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
	g = gattack_find(prim);
	if (g && g->pre)
		g->pre();
	/* Namespace escape: start in a UTS namespace of our own. */
	if (!strcmp(prim, "nsproxy")) {
		if (unshare(CLONE_NEWUTS) || sethostname("jail", 4))
			die("unshare uts");
	}
	if (uid >= 0)
		drop_to((uid_t)uid);
	if (g && g->post)
		g->post();
	/* User namespace escape: full caps in a new ns, then swap it. */
	if (!strcmp(prim, "userns") && unshare(CLONE_NEWUSER))
		die("unshare user");

	print_ids("before");
	if (g)
		return gattack_run(g, cmd);
	if (!strcmp(prim, "irq")) {
		if (cgtest(cmd))
			die("arm irq");
		/* The timer fires while we spin; the next syscall is the
		 * open() in try_privilege(). */
		spin(spin_count());
		try_privilege();
		print_ids("after");
		return 0;
	}
	if (cgtest(cmd) < 0)
		printf("write-error\n");
	try_privilege();
	print_ids("after");
	if (!strcmp(prim, "nsproxy"))
		uts_probe();
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

/*
 * newuidmap's way: a child unshares its user namespace, its parent writes
 * the child's maps, then the child becomes root in it.
 */
static int legit_userns_parent_maps(void)
{
	int ready[2], go[2], status;
	char path[64], c;
	pid_t pid;

	drop_to(1000);
	if (pipe(ready) || pipe(go))
		die("pipe");
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWUSER) || write(ready[1], "r", 1) != 1 ||
		    read(go[0], &c, 1) != 1)
			_exit(3);
		if (setresgid(0, 0, 0) || setresuid(0, 0, 0))
			_exit(4);
		print_map("child");
		try_privilege();
		_exit(getuid() == 0 ? 0 : 5);
	}
	if (read(ready[0], &c, 1) != 1)
		die("child");
	snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
	if (write_file(path, "deny"))
		die(path);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	if (write_file(path, "0 1000 1"))
		die(path);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	if (write_file(path, "0 1000 1"))
		die(path);
	if (write(go[1], "g", 1) != 1)
		die("go");
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 6;
}

/* A user namespace inside a user namespace, root in both. */
static int legit_userns_nested(void)
{
	if (legit_userns())
		return 1;
	if (unshare(CLONE_NEWUSER))
		die("unshare nested");
	if (write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/uid_map", "0 0 1") ||
	    write_file("/proc/self/gid_map", "0 0 1"))
		die("nested maps");
	if (setresuid(0, 0, 0) || setresgid(0, 0, 0))
		die("setuid nested");
	print_map("nested");
	try_privilege();
	return getuid() == 0 ? 0 : 1;
}

/* Many namespaces made, used and dropped (CGT_ROUNDS, default 200). */
static int legit_userns_loop(void)
{
	int i, status,
		n = getenv("CGT_ROUNDS") ? atoi(getenv("CGT_ROUNDS")) : 200;

	drop_to(1000);
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			userns_enter();
			_exit(setresuid(0, 0, 0) ? 3 : 0);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			return fprintf(stderr, "round %d failed\n", i), 1;
	}
	printf("userns rounds %d\n", n);
	return 0;
}

/*
 * A child unshares the namespaces of @flags (CLONE_NEWUSER, CLONE_NEWUTS);
 * we join them with setns(), UTS first (as the user namespace's owner).
 */
static int setns_into_child(int flags)
{
	static const struct {
		int flag;
		const char *name;
	} order[] = { { CLONE_NEWUTS, "uts" }, { CLONE_NEWUSER, "user" } };
	int ready[2], go[2], fd, status;
	char path[64], c;
	size_t i;
	pid_t pid;

	if (pipe(ready) || pipe(go))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (unshare(flags) || write(ready[1], "r", 1) != 1 ||
		    read(go[0], &c, 1) < 0)
			_exit(3);
		_exit(0);
	}
	if (read(ready[0], &c, 1) != 1)
		die("child");
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(flags & order[i].flag))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid,
			 order[i].name);
		fd = open(path, O_RDONLY);
		if (fd < 0 || setns(fd, order[i].flag))
			die(path);
		close(fd);
	}
	print_ids("joined");
	if (write(go[1], "g", 1) != 1)
		die("go");
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 6;
}

static int legit_setns(void)
{
	return setns_into_child(CLONE_NEWUSER | CLONE_NEWUTS);
}

/* uid 1000 enters, with setns(), a user namespace it made (its owner). */
static int legit_userns_setns_owner(void)
{
	drop_to(1000);
	return setns_into_child(CLONE_NEWUSER);
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

/* --- legitimate changes of the guarded state beside the credentials ------ */

static int dir_is(const char *want)
{
	char cwd[256];

	return getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, want);
}

/* chroot into a jail and out again through a directory fd kept open. */
static int chroot_round(int rootfd)
{
	if (chdir("/tmp") || chroot(JAIL) || chdir("/") || !dir_is("/"))
		return -1;
	if (access(OUTSIDE, F_OK) == 0)
		return -1;
	if (fchdir(rootfd) || chroot(".") || chdir("/"))
		return -1;
	return access(OUTSIDE, F_OK);
}

static int legit_chroot(void)
{
	int rootfd = open("/", O_RDONLY | O_DIRECTORY);

	mkdir(JAIL, 0755);
	if (rootfd < 0 || chroot_round(rootfd))
		die("chroot round trip");
	printf("chroot in and out\n");
	return 0;
}

static int legit_chdir(void)
{
	int fd = open("/proc", O_RDONLY | O_DIRECTORY);

	if (chdir("/tmp") || !dir_is("/tmp"))
		die("chdir");
	if (fd < 0 || fchdir(fd) || !dir_is("/proc"))
		die("fchdir");
	if (chdir("..") || !dir_is("/"))
		die("chdir ..");
	printf("chdir fchdir ok\n");
	return 0;
}

static void mount_tmpfs(const char *dir)
{
	mkdir(dir, 0755);
	if (mount("cgt", dir, "tmpfs", 0, NULL))
		die(dir);
}

/*
 * pivot_root in a new mount namespace: chroot to a tmpfs A (rootfs itself
 * cannot be pivoted), then pivot to a tmpfs B mounted in A. A child that
 * shares A as its root is moved to B by the parent's pivot_root.
 */
static int legit_pivot_root(void)
{
	int go[2], status;
	pid_t pid;
	char c;

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("unshare mnt");
	mount_tmpfs("/tmp/cgt-pivot");
	if (chdir("/tmp/cgt-pivot") || chroot(".") || chdir("/"))
		die("chroot A");
	mount_tmpfs("/new");
	mkdir("/new/old", 0755);
	if (pipe(go))
		die("pipe");
	pid = fork();
	if (pid == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(3);
		/* Our root moved with the parent's: B, with A under /old. */
		_exit(access("/old/new", F_OK) == 0 && dir_is("/") ? 0 : 4);
	}
	if (syscall(SYS_pivot_root, "/new", "/new/old") || chdir("/"))
		die("pivot_root");
	if (write(go[1], "g", 1) != 1 || waitpid(pid, &status, 0) != pid)
		die("child");
	if (umount2("/old", MNT_DETACH) || access("/old/new", F_OK) == 0)
		die("umount old root");
	printf("pivot_root ok, child %d\n", WEXITSTATUS(status));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

struct fsthr {
	int rootfd, rounds, err;
	volatile int done;
};

static void *fs_thread(void *arg)
{
	struct fsthr *t = arg;
	int i;

	for (i = 0; i < t->rounds && !t->err; i++)
		if (chroot_round(t->rootfd))
			t->err = errno ? errno : -1;
	t->done = 1;
	return NULL;
}

/* A thread changes the shared fs_struct while the main thread runs on. */
static int legit_thread_fs(void)
{
	struct fsthr t = { open("/", O_RDONLY | O_DIRECTORY), 200, 0, 0 };
	pthread_t th;
	long calls = 0;

	mkdir(JAIL, 0755);
	if (t.rootfd < 0 || pthread_create(&th, NULL, fs_thread, &t))
		die("thread");
	while (!t.done) {
		getppid();
		access("/", F_OK);
		calls++;
	}
	pthread_join(th, NULL);
	printf("thread chroot rounds done err=%d, main calls %ld\n", t.err,
	       calls);
	return t.err || access(OUTSIDE, F_OK) ? 1 : 0;
}

/* setns() into a child's mount namespace and back. */
static int legit_setns_mnt(void)
{
	int ready[2], go[2], self, fd, status, seen;
	char path[64], c;
	pid_t pid;

	if (pipe(ready) || pipe(go))
		die("pipe");
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			_exit(3);
		mount_tmpfs("/tmp/cgt-setns");
		close(open("/tmp/cgt-setns/mark", O_WRONLY | O_CREAT, 0600));
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) < 0)
			_exit(4);
		_exit(0);
	}
	if (read(ready[0], &c, 1) != 1)
		die("child");
	self = open("/proc/self/ns/mnt", O_RDONLY);
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
	fd = open(path, O_RDONLY);
	if (self < 0 || fd < 0 || setns(fd, CLONE_NEWNS))
		die("setns mnt");
	seen = access("/tmp/cgt-setns/mark", F_OK) == 0;
	if (setns(self, CLONE_NEWNS))
		die("setns back");
	if (access("/tmp/cgt-setns/mark", F_OK) == 0)
		seen = 0;
	if (write(go[1], "x", 1) != 1)
		die("write");
	waitpid(pid, &status, 0);
	printf("setns mnt: child's mount %s\n", seen ? "seen" : "NOT seen");
	return seen ? 0 : 1;
}

static void *cwd_thread(void *arg)
{
	struct fsthr *t = arg;

	while (!t->done) {
		getppid();
		if (!dir_is("/"))
			t->err = 1;
	}
	return NULL;
}

/* unshare(CLONE_FS) while a thread shares our fs_struct, then chdir. */
static int legit_unshare_fs(void)
{
	struct fsthr t = { -1, 0, 0, 0 };
	pthread_t th;

	if (chdir("/") || pthread_create(&th, NULL, cwd_thread, &t))
		die("thread");
	usleep(20000);
	if (unshare(CLONE_FS) || chdir("/tmp") || !dir_is("/tmp"))
		die("unshare fs");
	usleep(50000);
	t.done = 1;
	pthread_join(th, NULL);
	printf("unshare fs: thread cwd %s\n", t.err ? "moved" : "kept");
	return t.err;
}

static int legit_unshare_mnt(void)
{
	char dir[64];

	snprintf(dir, sizeof(dir), "/tmp/cgt-um-%d", getpid());
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("unshare mnt");
	mount_tmpfs(dir);
	if (umount2(dir, 0))
		die("umount");
	rmdir(dir);
	return 0;
}

/*
 * A time namespace for children, then children that start in it: one
 * forked plainly, one cloned into a user namespace of its own (the time
 * namespace it starts in is owned by the parent's user namespace, not its
 * own: timens_on_fork()).
 */
static int legit_timens_children(void)
{
	pid_t pid;
	int i, st;

	if (unshare(CLONE_NEWTIME))
		die("unshare time");
	for (i = 0; i < 2; i++) {
		pid = (pid_t)syscall(SYS_clone,
				     (i ? CLONE_NEWUSER : 0) | SIGCHLD, NULL,
				     NULL, NULL, NULL);
		if (pid == 0) {
			char self[64], kid[64];
			ssize_t a = readlink("/proc/self/ns/time", self,
					     sizeof(self) - 1);
			ssize_t b = readlink("/proc/self/ns/time_for_children",
					     kid, sizeof(kid) - 1);

			_exit(a <= 0 || a != b || memcmp(self, kid, a));
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			die("child in the time namespace");
	}
	printf("timens children: 2\n");
	return 0;
}

static int legit_fork_chdir(void)
{
	int status;
	pid_t pid;

	if (chdir("/"))
		die("chdir /");
	pid = fork();
	if (pid == 0)
		_exit(chdir("/tmp") || !dir_is("/tmp") || chroot(".") ||
				      chdir("/") ?
			      3 :
			      0);
	waitpid(pid, &status, 0);
	printf("fork chdir: child %d, parent cwd %s\n", WEXITSTATUS(status),
	       dir_is("/") ? "/" : "moved");
	return WIFEXITED(status) && !WEXITSTATUS(status) && dir_is("/") ? 0 : 1;
}

/* Strict mode: read, write, exit only; anything else is SIGKILL. */
static int strict_child(int other)
{
	static const char msg[] = "STRICT-OK\n";
	int p[2];
	char c;

	if (pipe(p) || write(p[1], "x", 1) != 1)
		return 3;
	fflush(stdout);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0))
		return 4;
	if (read(p[0], &c, 1) != 1 || write(1, msg, sizeof(msg) - 1) < 0)
		syscall(SYS_exit, 5);
	if (other)
		getppid();
	syscall(SYS_exit, 0);
	return 6;
}

static int legit_seccomp_strict(void)
{
	int st[2], i;
	pid_t pid;

	for (i = 0; i < 2; i++) {
		pid = fork();
		if (pid == 0)
			_exit(strict_child(i));
		waitpid(pid, &st[i], 0);
	}
	printf("strict: exit %d, getppid signal %d\n", WEXITSTATUS(st[0]),
	       WIFSIGNALED(st[1]) ? WTERMSIG(st[1]) : 0);
	return WIFEXITED(st[0]) && !WEXITSTATUS(st[0]) && WIFSIGNALED(st[1]) &&
			       WTERMSIG(st[1]) == SIGKILL ?
		       0 :
		       1;
}

static int seccomp_filters(void)
{
	char line[128];
	int n = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Seccomp_filters:", 16))
			n = atoi(line + 16);
	if (f)
		fclose(f);
	return n;
}

/* Three filters stacked, through prctl() and seccomp(). */
static int legit_seccomp_stack(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("nnp");
	if (deny_mkdir(0) || deny_mkdir(1) || deny_mkdir(0))
		die("filters");
	printf("filters %d, mkdir: %s\n", seccomp_filters(),
	       strerror(try_mkdir()));
	return seccomp_filters() == 3 && try_mkdir() == EPERM ? 0 : 1;
}

/*
 * A filter with a notification listener (the listener's release clears
 * the filter's notif word), forty more stacked on it, a child forked and
 * reaped at each depth of ten: the filter words credguard records change
 * only by being pushed on.
 */
static int legit_seccomp_listener(void)
{
	int fd, i, st;
	pid_t pid;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("nnp");
	fd = allow_all(SECCOMP_FILTER_FLAG_NEW_LISTENER);
	if (fd < 0)
		die("listener");
	close(fd);
	for (i = 1; i <= 40; i++) {
		if (allow_all(0))
			die("filter");
		if (i % 10)
			continue;
		pid = fork();
		if (pid == 0)
			_exit(deny_mkdir(1) || try_mkdir() != EPERM);
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			die("child");
	}
	printf("filters %d, mkdir: %s\n", seccomp_filters(),
	       strerror(try_mkdir()));
	return seccomp_filters() == 41 && try_mkdir() == 0 ? 0 : 1;
}

static void *tsync_thread(void *arg)
{
	int *err = arg;

	*err = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ? errno : 0;
	if (!*err) {
		struct sock_filter allow[] = {
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = { 1, allow };

		if (deny_mkdir(1) ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_TSYNC, &prog))
			*err = errno;
	}
	return NULL;
}

/*
 * A sibling thread installs a filter with TSYNC while the others run: the
 * filter and no_new_privs reach every thread, the main one included.
 */
static int legit_seccomp_tsync(void)
{
	struct thr t[3];
	pthread_t th;
	int i, err = -1, nnp;

	for (i = 0; i < 3; i++) {
		t[i].stop = 0;
		pthread_create(&t[i].t, NULL, thr_fn, &t[i]);
	}
	usleep(20000);
	pthread_create(&th, NULL, tsync_thread, &err);
	pthread_join(th, NULL);
	usleep(50000);
	for (i = 0; i < 3; i++) {
		t[i].stop = 1;
		pthread_join(t[i].t, NULL);
	}
	nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	/* The thread's whole chain (deny_mkdir, allow) reached us. */
	printf("tsync err=%d main: nnp=%d filters=%d mkdir: %s\n", err, nnp,
	       seccomp_filters(), strerror(try_mkdir()));
	return !err && nnp == 1 && seccomp_filters() == 2 &&
			       try_mkdir() == EPERM ?
		       0 :
		       1;
}

/*
 * Checkpoint/restore's way: a root tracer seizes a filtered child with
 * PTRACE_O_SUSPEND_SECCOMP (its mkdir then gets through), and detaches at
 * the child's next stop (the filter is back).
 */
static void suspend_tracee(void)
{
	int err;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || deny_mkdir(1))
		die("seccomp filter");
	if (try_mkdir() != EPERM)
		die("the filter does not deny mkdir");
	raise(SIGSTOP); /* seized and continued */
	err = try_mkdir();
	raise(SIGSTOP); /* detached */
	printf("suspended mkdir: %s, ", strerror(err));
	printf("detached mkdir: %s\n", strerror(try_mkdir()));
	exit(0);
}

static int legit_seccomp_suspend(void)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid)
		suspend_tracee();
	if (waitpid(pid, &st, WUNTRACED) != pid ||
	    ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_SUSPEND_SECCOMP) ||
	    kill(pid, SIGCONT))
		die("PTRACE_SEIZE");
	while (waitpid(pid, &st, __WALL) == pid && WIFSTOPPED(st)) {
		/* Its second raise (the first came before the seize). */
		if (WSTOPSIG(st) == SIGSTOP && (st >> 16) == 0) {
			if (ptrace(PTRACE_DETACH, pid, 0, 0))
				die("PTRACE_DETACH");
			continue;
		}
		/* SIGCONT's delivery and the group stop: resume, no signal. */
		ptrace(PTRACE_CONT, pid, 0,
		       WSTOPSIG(st) == SIGSTOP || (st >> 16) ? 0 :
							       WSTOPSIG(st));
	}
	return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : 1;
}

static int legit_nnp(void)
{
	int status;
	pid_t pid;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		die("no_new_privs");
	pid = fork();
	if (pid == 0)
		_exit(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 3);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : 1;
}

static int groups_are(int n, const gid_t *want)
{
	gid_t got[128];

	return getgroups(128, got) == n &&
	       !memcmp(got, want, (size_t)n * sizeof(gid_t));
}

static int legit_groups_lists(void)
{
	static const gid_t a[] = { 1000 }, b[] = { 1, 2, 3 }, c[] = { 3, 7 };
	gid_t many[100];
	int i;

	for (i = 0; i < 100; i++)
		many[i] = (gid_t)(2000 + i);
	if (setgroups(1, a) || !groups_are(1, a) || setgroups(3, b) ||
	    !groups_are(3, b) || setgroups(2, c) || !groups_are(2, c) ||
	    setgroups(100, many) || !groups_are(100, many) ||
	    setgroups(0, NULL) || !groups_are(0, NULL))
		die("setgroups lists");
	printf("groups lists ok\n");
	return 0;
}

static const struct {
	const char *name;
	int flag;
} ns_kinds[] = {
	{ "uts", CLONE_NEWUTS },   { "ipc", CLONE_NEWIPC },
	{ "net", CLONE_NEWNET },   { "cgroup", CLONE_NEWCGROUP },
	{ "time", CLONE_NEWTIME },
};
#define NS_KINDS (int)(sizeof(ns_kinds) / sizeof(ns_kinds[0]))

static int ns_open(const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	return open(path, O_RDONLY);
}

/* unshare uts/ipc/net/cgroup/time, then setns() back into each original. */
static int legit_ns_roundtrip(void)
{
	int fd[NS_KINDS], i, flags = 0, status;
	char host[65];
	pid_t pid;

	for (i = 0; i < NS_KINDS; i++) {
		fd[i] = ns_open(ns_kinds[i].name);
		flags |= ns_kinds[i].flag;
	}
	if (unshare(flags) || sethostname("inner", 5))
		die("unshare namespaces");
	pid = fork(); /* the first task of the new time namespace */
	if (pid == 0)
		_exit(0);
	waitpid(pid, &status, 0);
	for (i = 0; i < NS_KINDS; i++)
		if (fd[i] < 0 || setns(fd[i], ns_kinds[i].flag))
			die(ns_kinds[i].name);
	gethostname(host, sizeof(host));
	host[64] = '\0';
	printf("namespaces back, hostname=%s\n", host);
	return strcmp(host, "inner") ? 0 : 1;
}

/*
 * fork/exec/setuid churn, for N rounds (0: forever), sleeping PAUSE_US
 * after each (0: none).
 */
static int cmd_churn(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 0, r;
	long pause_us = argc > 2 ? atol(argv[2]) : 0;

	if (rounds < 0 || pause_us < 0)
		return fprintf(stderr, "usage: cgt churn [N [PAUSE_US]]\n"), 2;

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
		if (pause_us)
			usleep((useconds_t)pause_us);
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
/*
 * CGT_HOLD_AT=K CGT_HOLD_FILE=PATH: after K violations the burst waits
 * until PATH exists (a test acts mid-burst however slow the machine is).
 */
static void burst_hold(long i)
{
	const char *at = getenv("CGT_HOLD_AT"), *go = getenv("CGT_HOLD_FILE");

	if (!at || !go || i != atol(at))
		return;
	while (access(go, F_OK))
		usleep(10000);
}

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
		burst_hold(i);
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

/* spin N: the user-space spin of the attacks, timed (calibration). */
static int cmd_spin(int argc, char **argv)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	spin(argc > 1 ? strtoul(argv[1], NULL, 0) : spin_count());
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("spin %ld ms\n", (long)((b.tv_sec - a.tv_sec) * 1000 +
				       (b.tv_nsec - a.tv_nsec) / 1000000));
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
	{ "userns-parent-maps", legit_userns_parent_maps },
	{ "userns-nested", legit_userns_nested },
	{ "userns-loop", legit_userns_loop },
	{ "userns-setns-owner", legit_userns_setns_owner },
	{ "setns", legit_setns },
	{ "unshare", legit_unshare },
	{ "faccessat", legit_faccessat },
	{ "capset", legit_capset },
	{ "prctl", legit_prctl },
	{ "setgroups", legit_setgroups },
	{ "setfsuid", legit_setfsuid },
	{ "keyctl", legit_keyctl },
	{ "seccomp", legit_seccomp },
	{ "chroot", legit_chroot },
	{ "chdir", legit_chdir },
	{ "pivot-root", legit_pivot_root },
	{ "thread-fs", legit_thread_fs },
	{ "setns-mnt", legit_setns_mnt },
	{ "unshare-fs", legit_unshare_fs },
	{ "unshare-mnt", legit_unshare_mnt },
	{ "fork-chdir", legit_fork_chdir },
	{ "timens-children", legit_timens_children },
	{ "seccomp-strict", legit_seccomp_strict },
	{ "seccomp-stack", legit_seccomp_stack },
	{ "seccomp-tsync", legit_seccomp_tsync },
	{ "seccomp-listener", legit_seccomp_listener },
	{ "seccomp-suspend", legit_seccomp_suspend },
	{ "nnp", legit_nnp },
	{ "groups-lists", legit_groups_lists },
	{ "ns-roundtrip", legit_ns_roundtrip },
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
	if (!strcmp(argv[1], "spin"))
		return cmd_spin(argc - 1, argv + 1);
	if (!strcmp(argv[1], "burst"))
		return cmd_burst(argc - 1, argv + 1);
	if (!strcmp(argv[1], "legit") && argc == 3)
		for (i = 0; i < sizeof(legit) / sizeof(legit[0]); i++)
			if (!strcmp(argv[2], legit[i].name))
				return legit[i].fn();
usage:
	fprintf(stderr,
		"usage: cgt attack|victim|churn|setfcap|runas|ids|spin|burst|legit NAME\n");
	return 2;
}
