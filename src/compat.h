/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels credguard builds for lives here,
 * keyed on the feature that changed, never on a version number.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_COMPAT_H
#define CG_COMPAT_H

#include <linux/sched.h>
#include <linux/pid.h> /* task_pid_nr() left <linux/sched.h> */
#include <linux/cred.h>
#include <linux/slab.h>
#include <linux/mm.h> /* kvmalloc() and friends before they moved to slab.h */
#include <linux/nsproxy.h>
#include <linux/refcount.h>
#include <linux/user_namespace.h>
#include <linux/sched/user.h>
#include <linux/fs_struct.h>
#include <linux/ptrace.h>
#include <linux/seccomp.h>
#ifdef CG_HAVE_TRACE_RECURSION_H
#include <linux/trace_recursion.h>
#endif
#include <linux/utsname.h>
#include <linux/ipc_namespace.h>
#include <linux/pid_namespace.h>
#include <linux/time_namespace.h>
#include <linux/cgroup.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <net/net_namespace.h>
#include <asm/syscall.h>
#include <asm/compat.h>
/* get_unaligned(): <asm/unaligned.h> moved to <linux/unaligned.h>. */
#ifdef CG_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#include "credguard.h"
#include "abandon.h"

#ifndef PF_IO_WORKER
#define PF_IO_WORKER 0
#endif
#ifndef PF_USER_WORKER
#define PF_USER_WORKER 0
#endif

/* Tasks that never return to user space: not tracked. */
#define CG_PF_NOT_USER (PF_KTHREAD | PF_IO_WORKER | PF_USER_WORKER)
/*
 * The flags of the task word: those, and PF_EXITING (set by do_exit(),
 * after the last syscall boundary: a task that carries it at one, or
 * hands it to a child, forged it).
 */
#define CG_PF_GUARDED (CG_PF_NOT_USER | PF_EXITING)

/*
 * The task word (guard.h): no_new_privs (atomic_flags) and the flags that
 * would make a task look like a kernel thread.
 */
#define CG_TW_NNP 0 /* no_new_privs */
#define CG_TW_SUSPEND 1 /* ptrace's PT_SUSPEND_SECCOMP: seccomp not run */
#define CG_TW_TREC 2 /* blinded to ftrace-based kprobes (cg_trace_rec()) */
#define CG_TW_FLAGS 8 /* flags & CG_PF_GUARDED, from this bit */

/*
 * The syscall work bits moved from thread_info->flags (TIF_*) into
 * thread_info->syscall_work (SYSCALL_WORK_*) in 5.11.
 */
#ifdef SYSCALL_WORK_SYSCALL_TRACEPOINT
#define CG_WORK(t) \
	READ_ONCE(task_thread_info((struct task_struct *)(t))->syscall_work)
#define CG_WORK_SECCOMP SYSCALL_WORK_SECCOMP
#define CG_WORK_TRACE SYSCALL_WORK_SYSCALL_TRACEPOINT
#else
#define CG_WORK(t) READ_ONCE(task_thread_info((struct task_struct *)(t))->flags)
#define CG_WORK_SECCOMP _TIF_SECCOMP
#define CG_WORK_TRACE _TIF_SYSCALL_TRACEPOINT
#endif

static __always_inline bool cg_trace_armed(const struct task_struct *t)
{
	return CG_WORK(t) & CG_WORK_TRACE;
}

/*
 * The work word (guard.h): the syscall work bits credguard depends on, as
 * the kernel keeps them; CG_TW_SECCOMP and CG_TW_TRACE are their positions.
 */
#define CG_TW_SECCOMP __builtin_ctzl(CG_WORK_SECCOMP)
#define CG_TW_TRACE __builtin_ctzl(CG_WORK_TRACE)

static __always_inline u64 cg_work_word(const struct task_struct *t)
{
	return CG_WORK(t) & (CG_WORK_SECCOMP | CG_WORK_TRACE);
}

/*
 * A task blinded to ftrace-based kprobes (a kprobe at a function's entry,
 * on x86): its trace_recursion has both the normal-context and the
 * transition function-recursion bits, so every callback in task context
 * takes itself for a recursion and returns. The kernel holds the
 * normal-context bit while such a callback runs (our own kprobe handlers
 * included: they must not see themselves as blinded) and the transition
 * bit only when one callback is entered inside another; both together
 * are never held at a syscall boundary or in user mode. 5.10 keeps their
 * names private (kernel/trace/trace.h): not guarded there.
 */
#if defined(CONFIG_TRACING) && defined(CG_HAVE_TRACE_RECURSION_H)
#define CG_TREC_BLIND                               \
	(BIT(TRACE_FTRACE_BIT + TRACE_CTX_NORMAL) | \
	 BIT(TRACE_FTRACE_BIT + TRACE_CTX_TRANSITION))

static __always_inline u64 cg_trace_rec(const struct task_struct *t)
{
	return (READ_ONCE(t->trace_recursion) & CG_TREC_BLIND) == CG_TREC_BLIND;
}

static inline void cg_restore_trace_rec(struct task_struct *t)
{
	t->trace_recursion &= ~CG_TREC_BLIND;
}
#else
static __always_inline u64 cg_trace_rec(const struct task_struct *t)
{
	return 0;
}

static inline void cg_restore_trace_rec(struct task_struct *t)
{
}
#endif

static __always_inline u64 cg_task_word(const struct task_struct *t)
{
	return (u64)test_bit(PFA_NO_NEW_PRIVS, &t->atomic_flags) << CG_TW_NNP |
	       (u64) !!(READ_ONCE(t->ptrace) & PT_SUSPEND_SECCOMP)
		       << CG_TW_SUSPEND |
	       cg_trace_rec(t) << CG_TW_TREC |
	       (u64)(t->flags & CG_PF_GUARDED) << CG_TW_FLAGS;
}

/* mode and filter_count, side by side at the start of struct seccomp. */
static __always_inline u64 cg_seccomp_word(const struct task_struct *t)
{
#ifdef CONFIG_SECCOMP
	static_assert(offsetof(struct seccomp, mode) == 0 &&
		      offsetof(struct seccomp, filter_count) == 4);
	return get_unaligned((const u64 *)&t->seccomp);
#else
	return 0;
#endif
}

static __always_inline const void *
cg_seccomp_filter(const struct task_struct *t)
{
#ifdef CONFIG_SECCOMP_FILTER
	return t->seccomp.filter;
#else
	return NULL;
#endif
}

static __always_inline const void *cg_nsp_time(const struct nsproxy *nsp)
{
#ifdef CONFIG_TIME_NS
	return nsp->time_ns;
#else
	return NULL;
#endif
}

static __always_inline const void *
cg_nsp_time_children(const struct nsproxy *nsp)
{
#ifdef CONFIG_TIME_NS
	return nsp->time_ns_for_children;
#else
	return NULL;
#endif
}

static __always_inline const void *cg_nsp_cgroup(const struct nsproxy *nsp)
{
#ifdef CONFIG_CGROUPS
	return nsp->cgroup_ns;
#else
	return NULL;
#endif
}

/*
 * Where struct mnt_namespace (private to fs/) keeps its owner: found at
 * load in the initial mount namespace (cg_compat_init()); 0: not found,
 * the mount namespace's owner is not guarded.
 */
extern unsigned int cg_mnt_owner_off __ro_after_init;

/* Where namespace @o of @nsp keeps its owner, or NULL (none, not known). */
static __always_inline struct user_namespace **
cg_owner_slot(const struct nsproxy *nsp, enum cg_owner o)
{
	switch (o) {
	case CG_O_UTS:
		return &nsp->uts_ns->user_ns;
#if defined(CONFIG_SYSVIPC) || defined(CONFIG_POSIX_MQUEUE)
	case CG_O_IPC: /* without either, no IPC namespace: NULL */
		return &nsp->ipc_ns->user_ns;
#endif
	case CG_O_MNT:
		return cg_mnt_owner_off ?
			       (void *)nsp->mnt_ns + cg_mnt_owner_off :
			       NULL;
	case CG_O_PID:
		return &nsp->pid_ns_for_children->user_ns;
	case CG_O_NET:
		return &nsp->net_ns->user_ns;
#ifdef CONFIG_TIME_NS
	case CG_O_TIME:
		return &nsp->time_ns->user_ns;
	case CG_O_TIME_CHILD:
		return &nsp->time_ns_for_children->user_ns;
#endif
#ifdef CONFIG_CGROUPS
	case CG_O_CGROUP:
		return &nsp->cgroup_ns->user_ns;
#endif
	default:
		return NULL;
	}
}

static __always_inline u64 cg_owner_read(const struct nsproxy *nsp,
					 enum cg_owner o)
{
	struct user_namespace **p = cg_owner_slot(nsp, o);

	return p ? (unsigned long)READ_ONCE(*p) : 0;
}

/* Where each namespace type keeps its ns_common (for inode numbers). */
#define CG_NS_OFF_UTS offsetof(struct uts_namespace, ns)
#define CG_NS_OFF_IPC offsetof(struct ipc_namespace, ns)
#define CG_NS_OFF_PID offsetof(struct pid_namespace, ns)
#define CG_NS_OFF_NET offsetof(struct net, ns)
#ifdef CONFIG_TIME_NS
#define CG_NS_OFF_TIME offsetof(struct time_namespace, ns)
#else
#define CG_NS_OFF_TIME 0
#endif
#ifdef CONFIG_CGROUPS
#define CG_NS_OFF_CGROUP offsetof(struct cgroup_namespace, ns)
#else
#define CG_NS_OFF_CGROUP 0
#endif

/*
 * kernel_cap_t was two u32 words until 6.3 and one u64 since: 8 bytes
 * either way, laid out identically on a little-endian machine.
 */
static_assert(sizeof(kernel_cap_t) == sizeof(u64));
static_assert(offsetof(struct cred, fsgid) - offsetof(struct cred, uid) ==
	      7 * sizeof(u32));
static_assert(offsetof(struct cred, cap_ambient) -
		      offsetof(struct cred, cap_inheritable) ==
	      4 * sizeof(kernel_cap_t));

/* A kernel_cap_t as one word (bit n: capability n). */
static inline u64 cg_cap_word(const kernel_cap_t *c)
{
	return get_unaligned((const u64 *)c);
}

/*
 * Which argument of get_vfs_caps_from_disk() receives the capabilities:
 * the mount's id mapping came first from 5.12 on (CG_HAVE_VFS_CAPS_NO_MNT
 * before, probed by Kbuild).
 */
#ifdef CG_HAVE_VFS_CAPS_NO_MNT
#define CG_VFS_CAPS_ARG 1
#else
#define CG_VFS_CAPS_ARG 2
#endif

/*
 * The owner and group of the file an exec runs, as the set-id step sees
 * them through its mount's id mapping: struct mnt_idmap (6.3,
 * CG_HAVE_MNT_IDMAP), a user namespace per mount (5.12,
 * CG_HAVE_I_UID_INTO_MNT), none before. Probed from the headers by Kbuild.
 */
static inline void cg_file_owner(struct file *f, kuid_t *uid, kgid_t *gid)
{
	struct inode *inode = file_inode(f);

#if defined(CG_HAVE_MNT_IDMAP)
	*uid = vfsuid_into_kuid(i_uid_into_vfsuid(file_mnt_idmap(f), inode));
	*gid = vfsgid_into_kgid(i_gid_into_vfsgid(file_mnt_idmap(f), inode));
#elif defined(CG_HAVE_I_UID_INTO_MNT)
	*uid = i_uid_into_mnt(file_mnt_user_ns(f), inode);
	*gid = i_gid_into_mnt(file_mnt_user_ns(f), inode);
#else
	*uid = inode->i_uid;
	*gid = inode->i_gid;
#endif
}

/*
 * nsproxy->count became a refcount_t; CG_HAVE_NSPROXY_REFCOUNT is probed
 * from the headers by Kbuild.
 */
static inline void cg_nsproxy_count_get(struct nsproxy *ns)
{
#ifdef CG_HAVE_NSPROXY_REFCOUNT
	refcount_inc(&ns->count);
#else
	atomic_inc(&ns->count);
#endif
}

/* Drop one reference unless it is the last; true when dropped. */
static inline bool cg_nsproxy_count_put_not_last(struct nsproxy *ns)
{
#ifdef CG_HAVE_NSPROXY_REFCOUNT
	return refcount_dec_not_one(&ns->count);
#else
	return atomic_add_unless(&ns->count, -1, 1);
#endif
}

/*
 * The probes run with preemption disabled: the lookup cache and the pools
 * are per-CPU, and a walk of the shadow table is an RCU read side.
 * Tracepoints used to call every probe that way. Syscall tracepoints
 * became faultable (__DECLARE_TRACE_SYSCALL, probed by Kbuild) and call
 * their probes preemptible, so there the syscall probes disable
 * preemption themselves; elsewhere these cost nothing.
 */
static __always_inline void cg_syscall_probe_begin(void)
{
#ifdef CG_HAVE_FAULTABLE_SYSCALL_TP
	preempt_disable_notrace();
#endif
}

static __always_inline void cg_syscall_probe_end(void)
{
#ifdef CG_HAVE_FAULTABLE_SYSCALL_TP
	preempt_enable_notrace();
#endif
}

/*
 * RLIMIT_NPROC accounting moves with cred->user / cred->user_ns in
 * commit_creds(); a restore after a commit_creds() moves it back. The
 * counters moved from user_struct (atomic processes) into a hierarchy of
 * ucounts; CG_HAVE_UCOUNTS_RLIMIT is probed from the headers by Kbuild.
 */
static inline void cg_nproc_add(const struct cred *c, long v)
{
#ifdef CG_HAVE_UCOUNTS_RLIMIT
	struct ucounts *uc;

	for (uc = c->ucounts; uc; uc = uc->ns->ucounts)
		atomic_long_add(v, &uc->rlimit[UCOUNT_RLIMIT_NPROC]);
#else
	atomic_add(v, &c->user->processes);
#endif
}

static inline bool cg_nproc_accounted_apart(const struct cred *a,
					    const struct cred *b)
{
	return a->user != b->user || a->user_ns != b->user_ns;
}

/*
 * CONFIG_DEBUG_CREDENTIALS (until 6.7) counts in cred->subscribers the task
 * slots (real_cred, cred) that point at a cred; the kernel BUGs when a task
 * commits, exits or frees a cred whose count is off. A restore moves one
 * slot from @from back to @to. commit_creds() and override_creds() moved
 * the count to the cred they installed; a pointer written raw, without
 * the count (a forged cred straight from prepare_creds() has 0), moved
 * nothing, and then nothing moves back.
 */
static inline void cg_cred_subscribe(const struct cred *from,
				     const struct cred *to)
{
#ifdef CONFIG_DEBUG_CREDENTIALS
	struct cred *f = (struct cred *)from, *t = (struct cred *)to;

	if (atomic_read(&f->subscribers) > 0) {
		atomic_dec(&f->subscribers);
		atomic_inc(&t->subscribers);
	}
#endif
}

/*
 * Make sure @t's syscalls hit the raw_syscalls tracepoints. The kernel
 * sets the work flag on every thread when the first probe attaches, but a
 * task forked at that moment can be missed (copied from a parent without
 * the flag, added to the task list after the walk): the fork hook and the
 * load-time walk close that window.
 */
static inline void cg_ensure_syscall_tracing(struct task_struct *t)
{
#ifdef SYSCALL_WORK_SYSCALL_TRACEPOINT
	set_task_syscall_work(t, SYSCALL_TRACEPOINT);
#else
	set_tsk_thread_flag(t, TIF_SYSCALL_TRACEPOINT);
#endif
}

#ifdef SYSCALL_WORK_SYSCALL_TRACEPOINT
#define cg_work_set(t, on, what)                          \
	do {                                              \
		if (on)                                   \
			set_task_syscall_work(t, what);   \
		else                                      \
			clear_task_syscall_work(t, what); \
	} while (0)
#define CG_WORK_BIT_SECCOMP SECCOMP
#define CG_WORK_BIT_TRACE SYSCALL_TRACEPOINT
#else
#define cg_work_set(t, on, what)                        \
	do {                                            \
		if (on)                                 \
			set_tsk_thread_flag(t, what);   \
		else                                    \
			clear_tsk_thread_flag(t, what); \
	} while (0)
#define CG_WORK_BIT_SECCOMP TIF_SECCOMP
#define CG_WORK_BIT_TRACE TIF_SYSCALL_TRACEPOINT
#endif

/* modprobe_path's size; <linux/kmod.h> stopped exporting it (7.x). */
#include <linux/kmod.h>
#ifndef KMOD_PATH_LEN
#define KMOD_PATH_LEN 256
#endif

/* in_hardirq() replaced in_irq() in 5.11. */
#ifndef in_hardirq
#define in_hardirq() in_irq()
#endif

/*
 * task_lock() and fs->lock are spinlocks, which sleep on PREEMPT_RT: there
 * the remedy writes without them (the task is current and about to run
 * nothing but our code; the fs seqcount still tells lockless readers).
 */
static inline void cg_task_lock(struct task_struct *t)
{
	if (!IS_ENABLED(CONFIG_PREEMPT_RT))
		task_lock(t);
}

static inline void cg_task_unlock(struct task_struct *t)
{
	if (!IS_ENABLED(CONFIG_PREEMPT_RT))
		task_unlock(t);
}

/*
 * fs_struct's spinlock and seqcount became one seqlock_t (6.15);
 * CG_HAVE_FS_SEQLOCK is probed from the headers by Kbuild.
 */
#ifdef CG_HAVE_FS_SEQLOCK
#define CG_FS_LOCK(fs) (&(fs)->seq.lock)
#define CG_FS_SEQ(fs) (&(fs)->seq.seqcount)
#else
#define CG_FS_LOCK(fs) (&(fs)->lock)
#define CG_FS_SEQ(fs) (&(fs)->seq)
#endif

static inline void cg_fs_lock(struct fs_struct *fs)
{
	if (!IS_ENABLED(CONFIG_PREEMPT_RT))
		spin_lock(CG_FS_LOCK(fs));
	write_seqcount_begin(CG_FS_SEQ(fs));
}

static inline void cg_fs_unlock(struct fs_struct *fs)
{
	write_seqcount_end(CG_FS_SEQ(fs));
	if (!IS_ENABLED(CONFIG_PREEMPT_RT))
		spin_unlock(CG_FS_LOCK(fs));
}

/* Namespace members that depend on the configuration. */
static inline void cg_nsp_restore_optional(struct nsproxy *ns, const u64 *w)
{
#ifdef CONFIG_TIME_NS
	cg_put_back(ns->time_ns, w[CG_W_NS_TIME]);
	cg_put_back(ns->time_ns_for_children, w[CG_W_NS_TIME_CHILD]);
#endif
#ifdef CONFIG_CGROUPS
	cg_put_back(ns->cgroup_ns, w[CG_W_NS_CGROUP]);
#endif
}

/* The owners of @nsp's namespaces as saved in @owners. */
static inline void cg_nsp_restore_owners(struct nsproxy *nsp, const u64 *owners)
{
	struct user_namespace **p;
	int o;

	for (o = 0; o < CG_O_NR; o++) {
		p = cg_owner_slot(nsp, o);
		if (p && owners[o])
			cg_put_back(*p, owners[o]);
	}
}

/* seccomp state as saved; no_new_privs is only ever set, never cleared. */
static inline void cg_restore_seccomp(struct task_struct *t, u64 sw,
				      void *filter)
{
#ifdef CONFIG_SECCOMP
	t->seccomp.mode = (u32)sw;
	atomic_set(&t->seccomp.filter_count, sw >> 32);
#endif
#ifdef CONFIG_SECCOMP_FILTER
	t->seccomp.filter = filter;
#endif
	cg_work_set(t, (u32)sw, CG_WORK_BIT_SECCOMP);
}

/*
 * PT_SUSPEND_SECCOMP off again (it is only ever put back off). The tracer
 * writes the word without a lock we can take: one atomic update.
 */
static inline void cg_restore_suspend(struct task_struct *t)
{
	unsigned int old = READ_ONCE(t->ptrace);

	while (old & PT_SUSPEND_SECCOMP) {
		unsigned int seen =
			cmpxchg(&t->ptrace, old, old & ~PT_SUSPEND_SECCOMP);

		if (seen == old)
			break;
		old = seen;
	}
}

/* The task and work words' bits as saved (guard.h). */
static inline void cg_restore_task(struct task_struct *t, u64 tw, u64 ww)
{
	if (tw & BIT_ULL(CG_TW_NNP))
		task_set_no_new_privs(t);
	cg_work_set(t, ww & BIT_ULL(CG_TW_TRACE), CG_WORK_BIT_TRACE);
	t->flags = (t->flags & ~CG_PF_GUARDED) |
		   ((tw >> CG_TW_FLAGS) & CG_PF_GUARDED);
}

/*
 * Generic netlink split its ops (6.2): pre_doit takes a genl_split_ops and
 * a dump's parsed attributes moved into genl_dumpit_info->info.
 * CG_HAVE_GENL_SPLIT_OPS is probed from the headers by Kbuild.
 */
#ifdef CG_HAVE_GENL_SPLIT_OPS
#define cg_genl_pre_doit_ops genl_split_ops
#define cg_genl_dumpit_attrs(info) ((info)->info.attrs)
#else
#define cg_genl_pre_doit_ops genl_ops
#define cg_genl_dumpit_attrs(info) ((info)->attrs)
#endif

/* free_nsproxy() is not exported; resolved at load (may be NULL). */
int cg_compat_init(void);
/*
 * Unexported kernel symbols, resolved at load (umh.c): the start of a
 * function, a data object (through kallsyms_lookup_name(), itself
 * located with a kprobe; NULL without CONFIG_KALLSYMS_ALL), or a
 * function's extent [start, end). NULL/false when the kernel has none.
 */
void *cg_compat_lookup_func(const char *name);
void *cg_compat_lookup_data(const char *name);
bool cg_compat_func_bounds(const char *name, unsigned long *start,
			   unsigned long *end);
/* Is [p, p + len) mapped read-only (kernel or module rodata)? */
bool cg_compat_readonly(const void *p, size_t len);

/* Is @p inside a slab object (kmalloc() or a kmem_cache)? */
static inline bool cg_compat_is_slab(const void *p)
{
	return virt_addr_valid(p) && PageSlab(virt_to_head_page(p));
}

/*
 * The core dump pipe helper's init function: umh_pipe_setup() became
 * umh_coredump_setup() when the core dump code was split up.
 */
#define CG_CORE_PIPE_SETUP_NAMES                       \
	{                                              \
		"umh_pipe_setup", "umh_coredump_setup" \
	}

/*
 * A string that is always empty and outlives this module: the zero
 * page. call_usermodehelper_exec() runs nothing for an empty path (the
 * CONFIG_STATIC_USERMODEHELPER_PATH="" case, in every kernel since 4.11).
 */
static inline const char *cg_empty_string(void)
{
	return (const char *)page_address(ZERO_PAGE(0));
}
void cg_compat_free_nsproxy(struct nsproxy *ns);
bool cg_compat_can_free_nsproxy(void);

/*
 * Who may subscribe to the events group: CAP_NET_ADMIN where the kernel
 * can check it at bind time; older kernels let anyone subscribe, so the
 * events there are only as private as the kernel log.
 */
#ifdef CG_HAVE_GENL_MCAST_CAP
#define CG_GENL_MCAST_ADMIN GENL_MCAST_CAP_NET_ADMIN
#else
#define CG_GENL_MCAST_ADMIN 0
#endif

#endif /* CG_COMPAT_H */
