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
#include <asm/syscall.h>
#include <asm/compat.h>
/* get_unaligned(): <asm/unaligned.h> moved to <linux/unaligned.h>. */
#ifdef CG_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#include "credguard.h"

#ifndef PF_IO_WORKER
#define PF_IO_WORKER 0
#endif
#ifndef PF_USER_WORKER
#define PF_USER_WORKER 0
#endif

/* Tasks that never return to user space: not tracked. */
#define CG_PF_NOT_USER (PF_KTHREAD | PF_IO_WORKER | PF_USER_WORKER)

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

static inline enum cg_abi cg_current_abi(const struct pt_regs *regs)
{
#ifdef CONFIG_IA32_EMULATION
	if (in_ia32_syscall())
		return CG_ABI_IA32;
#endif
#ifdef CONFIG_X86_X32_ABI
	if (regs->orig_ax & __X32_SYSCALL_BIT)
		return CG_ABI_X32;
#endif
	return CG_ABI_64;
}

static inline int cg_current_nr(const struct pt_regs *regs)
{
	int nr = syscall_get_nr(current, (struct pt_regs *)regs);

#ifdef __X32_SYSCALL_BIT
	nr &= ~__X32_SYSCALL_BIT;
#endif
	return nr;
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
