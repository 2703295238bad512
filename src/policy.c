// SPDX-License-Identifier: GPL-2.0
/*
 * Which system calls may change which credentials.
 *
 * A change seen at a syscall's exit is legitimate only when every field
 * that changed is allowed for that syscall (of that ABI). Everything else,
 * and any change seen at a syscall's entry, is a violation.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <linux/user_namespace.h>
#include <linux/uaccess.h>
#include <asm/unistd.h>

#include "policy.h"
#include "shadow.h"
#include "fs.h"
#include "group.h"
#include "rules.h"
#include "ptrace.h"

/*
 * The setuid family may also raise or drop capabilities
 * (cap_emulate_setxuid), and setfsuid the effective file caps.
 */
#define P_SETUID                                               \
	(CG_M_UIDS | CG_M(CG_F_CAP_PRM) | CG_M(CG_F_CAP_EFF) | \
	 CG_M(CG_F_CAP_AMB))
#define P_SETGID CG_M_GIDS
#define P_SETFSUID (CG_M(CG_F_FSUID) | CG_M(CG_F_CAP_EFF))
#define P_SETFSGID CG_M(CG_F_FSGID)
#define P_SETGROUPS CG_M(CG_F_GROUPS)
/* capset() also trims the ambient set to permitted & inheritable. */
#define P_CAPSET                                                        \
	(CG_M(CG_F_CAP_INH) | CG_M(CG_F_CAP_PRM) | CG_M(CG_F_CAP_EFF) | \
	 CG_M(CG_F_CAP_AMB))
/* prctl also sets no_new_privs and seccomp (PR_SET_SECCOMP). */
#define P_PRCTL                                                            \
	(CG_M(CG_F_SECUREBITS) | CG_M(CG_F_CAP_BND) | CG_M(CG_F_CAP_AMB) | \
	 CG_P_SECCOMP)
#define P_SECCOMP CG_P_SECCOMP
#define P_CHROOT (CG_M_FS_ROOT | CG_P_FS_VOUCH)
#define P_CHDIR (CG_M_FS_PWD | CG_P_FS_VOUCH)
#define P_PIVOT_ROOT (CG_M_FS_PATHS | CG_P_PIVOT | CG_P_FS_VOUCH)
/*
 * execve: set-id and file-capability binaries; the bounding set and the
 * groups never change; the time namespace may (time_for_children).
 */
#define P_EXEC                                                       \
	(CG_M_UIDS | CG_M_GIDS | (CG_M_CAPS & ~CG_M(CG_F_CAP_BND)) | \
	 CG_M(CG_F_SECUREBITS) | CG_M(CG_F_NSPROXY) | CG_P_EXEC |    \
	 CG_P_RULE(CG_R_EXEC))
/*
 * unshare(CLONE_FS) gives the caller its own copy of its fs_struct, and a
 * new mount namespace moves the root and cwd into it (also setns).
 */
#define P_UNSHARE \
	(CG_M(CG_F_NSPROXY) | CG_P_USERNS_CHILD | CG_M(CG_F_FS) | CG_M_FS_PATHS)
#define P_SETNS \
	(CG_M(CG_F_NSPROXY) | CG_P_USERNS_DESC | CG_M_FS_PATHS | CG_P_FS_VOUCH)
/* ptrace() changes no credential of the caller; it links a tracee. */
#define P_PTRACE CG_P_PTRACE

/* The value rule of a call (rules.c), with its field rules. */
#define R(r) CG_P_RULE(CG_R_##r)
#define R16(r) CG_P_RULE(CG_R_##r | CG_R_ID16)

static const cg_mask_t cg_policy_64[] = {
	[__NR_setuid] = P_SETUID | R(SETUID),
	[__NR_setreuid] = P_SETUID | R(SETREUID),
	[__NR_setresuid] = P_SETUID | R(SETRESUID),
	[__NR_setgid] = P_SETGID | R(SETGID),
	[__NR_setregid] = P_SETGID | R(SETREGID),
	[__NR_setresgid] = P_SETGID | R(SETRESGID),
	[__NR_setfsuid] = P_SETFSUID | R(SETFSUID),
	[__NR_setfsgid] = P_SETFSGID | R(SETFSGID),
	[__NR_setgroups] = P_SETGROUPS | R(SETGROUPS),
	[__NR_capset] = P_CAPSET | R(CAPSET),
	[__NR_prctl] = P_PRCTL | R(PRCTL),
	[__NR_execve] = P_EXEC,
	[__NR_execveat] = P_EXEC,
	[__NR_unshare] = P_UNSHARE,
	[__NR_setns] = P_SETNS,
	[__NR_seccomp] = P_SECCOMP,
	[__NR_chroot] = P_CHROOT,
	[__NR_chdir] = P_CHDIR,
	[__NR_fchdir] = P_CHDIR,
	[__NR_pivot_root] = P_PIVOT_ROOT,
	[__NR_ptrace] = P_PTRACE,
};

#ifdef CG_ARCH_COMPAT
static const cg_mask_t cg_policy_compat[] = {
	[CG_NR32(setuid)] = P_SETUID | R16(SETUID),
	[CG_NR32(setuid32)] = P_SETUID | R(SETUID),
	[CG_NR32(setreuid)] = P_SETUID | R16(SETREUID),
	[CG_NR32(setreuid32)] = P_SETUID | R(SETREUID),
	[CG_NR32(setresuid)] = P_SETUID | R16(SETRESUID),
	[CG_NR32(setresuid32)] = P_SETUID | R(SETRESUID),
	[CG_NR32(setgid)] = P_SETGID | R16(SETGID),
	[CG_NR32(setgid32)] = P_SETGID | R(SETGID),
	[CG_NR32(setregid)] = P_SETGID | R16(SETREGID),
	[CG_NR32(setregid32)] = P_SETGID | R(SETREGID),
	[CG_NR32(setresgid)] = P_SETGID | R16(SETRESGID),
	[CG_NR32(setresgid32)] = P_SETGID | R(SETRESGID),
	[CG_NR32(setfsuid)] = P_SETFSUID | R16(SETFSUID),
	[CG_NR32(setfsuid32)] = P_SETFSUID | R(SETFSUID),
	[CG_NR32(setfsgid)] = P_SETFSGID | R16(SETFSGID),
	[CG_NR32(setfsgid32)] = P_SETFSGID | R(SETFSGID),
	[CG_NR32(setgroups)] = P_SETGROUPS | R(SETGROUPS),
	[CG_NR32(setgroups32)] = P_SETGROUPS | R(SETGROUPS),
	[CG_NR32(capset)] = P_CAPSET | R(CAPSET),
	[CG_NR32(prctl)] = P_PRCTL | R(PRCTL),
	[CG_NR32(execve)] = P_EXEC,
	[CG_NR32(execveat)] = P_EXEC,
	[CG_NR32(unshare)] = P_UNSHARE,
	[CG_NR32(setns)] = P_SETNS,
	[CG_NR32(seccomp)] = P_SECCOMP,
	[CG_NR32(chroot)] = P_CHROOT,
	[CG_NR32(chdir)] = P_CHDIR,
	[CG_NR32(fchdir)] = P_CHDIR,
	[CG_NR32(pivot_root)] = P_PIVOT_ROOT,
	[CG_NR32(ptrace)] = P_PTRACE,
};
#endif

/*
 * The 64-bit syscalls that cannot use paths, namespaces, groups or exec:
 * they work on file descriptors, memory, signals, time or the task's own
 * ids. Not here: anything taking a path or a socket address, ioctl, the
 * clock_* calls (time namespaces), io_uring. The 32-bit ABIs have no
 * light syscalls; CG_ARCH_LIGHT_SYSCALLS adds the architecture's own.
 */
#define CG_LIGHT_SYSCALLS(X) \
	X(read)              \
	X(write)             \
	X(pread64)           \
	X(pwrite64)          \
	X(readv)             \
	X(writev)            \
	X(preadv)            \
	X(preadv2)           \
	X(pwritev2)          \
	X(close)             \
	X(lseek)             \
	X(fstat)             \
	X(dup)               \
	X(dup3)              \
	X(futex)             \
	X(getpid)            \
	X(getppid)           \
	X(sched_yield)       \
	X(nanosleep)         \
	X(gettimeofday)      \
	X(epoll_pwait)       \
	X(ppoll)             \
	X(pselect6)          \
	X(mmap)              \
	X(munmap)            \
	X(mprotect)          \
	X(madvise)           \
	X(brk)               \
	X(mremap)            \
	X(rt_sigreturn)      \
	X(getrandom)         \
	X(recvfrom)          \
	X(recvmsg)           \
	X(getuid)            \
	X(geteuid)           \
	X(getgid)            \
	X(getegid)           \
	X(pwritev)           \
	X(gettid)            \
	X(rt_sigprocmask)

static_assert(ARRAY_SIZE(cg_policy_64) <= CG_LIGHT_MAX);
unsigned long cg_light_64[BITS_TO_LONGS(CG_LIGHT_MAX)] __ro_after_init;
unsigned long cg_special_64[BITS_TO_LONGS(CG_LIGHT_MAX)] __ro_after_init;

void __init cg_policy_init(void)
{
	int nr;

#define CG_X_LIGHT(name) __set_bit(__NR_##name, cg_light_64);
	CG_LIGHT_SYSCALLS(CG_X_LIGHT)
	CG_ARCH_LIGHT_SYSCALLS(CG_X_LIGHT)
#undef CG_X_LIGHT
	for (nr = 0; nr < ARRAY_SIZE(cg_policy_64); nr++)
		if (cg_rule_of(cg_policy_64[nr]) ||
		    cg_policy_exit_full(cg_policy_64[nr]) ||
		    (cg_policy_64[nr] & CG_P_PTRACE))
			__set_bit(nr, cg_special_64);
}

cg_mask_t cg_policy_allowed(int nr, enum cg_abi abi)
{
	if (nr >= 0)
		nr = cg_arch_policy_nr(nr, &abi); /* x32: the 64-bit table */
	if (nr < 0)
		return 0;
	switch (abi) {
	case CG_ABI_64:
		return nr < ARRAY_SIZE(cg_policy_64) ? cg_policy_64[nr] : 0;
	case CG_ABI_COMPAT:
#ifdef CG_ARCH_COMPAT
		return nr < ARRAY_SIZE(cg_policy_compat) ?
			       cg_policy_compat[nr] :
			       0;
#else
		return 0;
#endif
	default:
		return 0;
	}
}

/* Is @ns a strict descendant of @anc? @ns is not trusted: read it safely. */
static bool cg_userns_descends(struct user_namespace *ns,
			       struct user_namespace *anc, bool direct)
{
	int depth;

	for (depth = 0; ns && depth < 64; depth++) {
		struct user_namespace *parent;

		if (get_kernel_nofault(parent, &ns->parent))
			return false;
		if (parent == anc)
			return true;
		if (direct)
			return false;
		ns = parent;
	}
	return false;
}

/* The credentials set_cred_user_ns() makes for a new user namespace. */
static bool cg_userns_fresh(const struct cg_vals *v)
{
	const u64 full = BIT_ULL(CAP_LAST_CAP + 1) - 1;

	return cg_field_get(CG_F_CAP_INH, v) == 0 &&
	       cg_field_get(CG_F_CAP_PRM, v) == full &&
	       cg_field_get(CG_F_CAP_EFF, v) == full &&
	       cg_field_get(CG_F_CAP_BND, v) == full &&
	       cg_field_get(CG_F_CAP_AMB, v) == 0 &&
	       cg_field_get(CG_F_SECUREBITS, v) == SECUREBITS_DEFAULT;
}

/* A user namespace change that unshare, clone or setns can make. */
static cg_mask_t cg_userns_extra(cg_mask_t allowed, const struct cg_vals *old,
				 const struct cg_vals *new)
{
	struct user_namespace *o, *n;
	bool ok = false;

	o = (struct user_namespace *)(unsigned long)old->w[CG_W_USERNS];
	n = (struct user_namespace *)(unsigned long)new->w[CG_W_USERNS];
	if (allowed & CG_P_USERNS_CHILD)
		ok = cg_userns_descends(n, o, true);
	else if (allowed & CG_P_USERNS_DESC)
		ok = cg_userns_descends(n, o, false);
	if (!ok)
		return 0;
	/*
	 * Entering a new user namespace gives exactly init's capabilities
	 * there and the default securebits (set_cred_user_ns()); the ids
	 * stay.
	 */
	if (!cg_userns_fresh(new))
		return CG_M(CG_F_USERNS);
	return CG_M(CG_F_USERNS) | CG_M_CAPS | CG_M(CG_F_SECUREBITS);
}

static u32 cg_seccomp_mode(const struct cg_vals *v)
{
	return (u32)v->w[CG_W_SECCOMP];
}

static u32 cg_seccomp_count(const struct cg_vals *v)
{
	return v->w[CG_W_SECCOMP] >> 32;
}

static bool cg_tw(const struct cg_vals *v, int bit)
{
	return v->w[CG_W_TASK] & (1ULL << bit);
}

/*
 * seccomp and no_new_privs only ever tighten: no_new_privs is only set,
 * the mode only leaves 0 (for 1 or 2) and the SECCOMP work bit follows
 * it. These hold at any boundary, whoever made the change.
 */
static cg_mask_t cg_seccomp_monotonic(const struct cg_vals *old,
				      const struct cg_vals *new)
{
	u32 om = cg_seccomp_mode(old), nm = cg_seccomp_mode(new);
	cg_mask_t bad = 0;

	if (cg_tw(old, CG_TW_NNP) && !cg_tw(new, CG_TW_NNP))
		bad |= CG_M(CG_F_NO_NEW_PRIVS);
	if (nm != om && (om != 0 || nm > 2))
		bad |= CG_M(CG_F_SECCOMP_MODE);
	if (!!(new->w[CG_W_WORK] & BIT_ULL(CG_TW_SECCOMP)) != (nm != 0))
		bad |= CG_M(CG_F_SECCOMP_WORK);
	if (cg_seccomp_count(new) < cg_seccomp_count(old))
		bad |= CG_M(CG_F_SECCOMP_FILTERS);
	return bad;
}

static bool cg_words_equal(const struct cg_vals *a, const struct cg_vals *b,
			   u64 words)
{
	int w;

	for (w = 0; w < CG_W_NR; w++)
		if ((words & BIT_ULL(w)) && a->w[w] != b->w[w])
			return false;
	return true;
}

/*
 * Another thread of @t's group already has @new's values of @words as its
 * legitimate state, or (@in_call) is inside a system call that may set
 * them and has them live. Shared state (an fs_struct) or state one thread
 * sets for all (seccomp's TSYNC) changes under a thread's feet this way.
 */
static bool cg_sibling_explains(const struct task_struct *t, u64 words,
				const struct cg_vals *new, cg_mask_t in_call)
{
	const struct task_struct *o;
	struct cg_vals live;
	bool found = false;

	rcu_read_lock();
	for_each_thread(t, o) {
		const struct cg_shadow *s = o == t ? NULL : cg_shadow_find(o);

		if (!s || (s->flags & CG_SF_PENDING))
			continue;
		if (cg_words_equal(&s->v, new, words)) {
			found = true;
			break;
		}
		if (!in_call || !(cg_policy_allowed(s->nr, s->abi) & in_call))
			continue;
		/*
		 * Inside that call: its live state, as far as we read it.
		 * seccomp_set_mode_filter() gives the threads (TSYNC) their
		 * mode before its caller gets its own (under the siglock we
		 * do not take): the caller's count and chain must match, its
		 * mode may still be on its way.
		 */
		live.w[CG_W_SECCOMP] =
			(cg_seccomp_word(o) & GENMASK_ULL(63, 32)) |
			(u32) new->w[CG_W_SECCOMP];
		live.w[CG_W_SECCOMP_FILTER] =
			(unsigned long)cg_seccomp_filter(o);
		if (cg_words_equal(&live, new,
				   words & (BIT_ULL(CG_W_SECCOMP) |
					    BIT_ULL(CG_W_SECCOMP_FILTER)))) {
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

#define CG_WM_SECCOMP (BIT_ULL(CG_W_SECCOMP) | BIT_ULL(CG_W_SECCOMP_FILTER))
#define CG_WM_FS                                            \
	(BIT_ULL(CG_W_FS) | BIT_ULL(CG_W_FS_ROOT_MNT) |     \
	 BIT_ULL(CG_W_FS_ROOT) | BIT_ULL(CG_W_FS_PWD_MNT) | \
	 BIT_ULL(CG_W_FS_PWD))

/*
 * A new chain is the old one with filters pushed on it, as many as the
 * count grew by: seccomp() and TSYNC never take one away or swap one.
 */
static bool cg_seccomp_pushed(const struct cg_vals *old,
			      const struct cg_vals *new)
{
	return cg_seccomp_count(new) > cg_seccomp_count(old) &&
	       cg_frec_extends(
		       (const void *)(unsigned long)new->w[CG_W_SECCOMP_FILTER],
		       cg_seccomp_count(new) - cg_seccomp_count(old),
		       (const void *)(unsigned long)old->w[CG_W_SECCOMP_FILTER]);
}

/*
 * The seccomp fields that may change: only tightening (above), and a new
 * mode or filter chain only through the task's own seccomp()/prctl() or
 * a sibling thread's seccomp(SECCOMP_FILTER_FLAG_TSYNC), which gives every
 * thread the caller's chain. A new chain is the old one pushed on.
 */
static cg_mask_t cg_seccomp_extra(cg_mask_t changed, cg_mask_t allowed,
				  const struct cg_vals *old,
				  const struct cg_vals *new,
				  const struct task_struct *t)
{
	const cg_mask_t filter = CG_M(CG_F_SECCOMP_FILTER) |
				 CG_M(CG_F_SECCOMP_FILTERS);
	cg_mask_t bad = cg_seccomp_monotonic(old, new);
	bool by_call =
		(allowed & CG_P_SECCOMP) ||
		cg_sibling_explains(t, CG_WM_SECCOMP, new, CG_P_SECCOMP) ||
		cg_group_explains(t, CG_GK_SECCOMP, new);

	if ((changed & filter) &&
	    (!by_call || cg_seccomp_mode(new) != SECCOMP_MODE_FILTER ||
	     !cg_seccomp_pushed(old, new)))
		bad |= filter;
	if (cg_seccomp_mode(new) != cg_seccomp_mode(old) && !by_call)
		bad |= CG_M(CG_F_SECCOMP_MODE) | CG_M(CG_F_SECCOMP_WORK);
	/*
	 * PT_SUSPEND_SECCOMP: set by a tracer with CAP_SYS_ADMIN (checkpoint
	 * and restore); the task's own syscalls never set it.
	 */
	if (cg_tw(new, CG_TW_SUSPEND) && !cg_tw(old, CG_TW_SUSPEND) &&
	    !cg_ptrace_may_suspend(t))
		bad |= CG_M(CG_F_SECCOMP_SUSPEND);
	return CG_M_SECCOMP & ~bad;
}

/*
 * An exec replaces the nsproxy for one thing only: to enter the time
 * namespace made for its children (exec_task_namespaces()). Every other
 * member, and every owner, stays.
 */
static cg_mask_t cg_exec_ns_extra(const struct cg_vals *old,
				  const struct cg_vals *new)
{
	int o;

	if (new->w[CG_W_NS_TIME] != old->w[CG_W_NS_TIME_CHILD])
		return 0;
	for (o = 0; o < CG_O_NR; o++)
		if (new->owners[o] !=
		    old->owners[o == CG_O_TIME ? CG_O_TIME_CHILD : o])
			return 0;
	return CG_M(CG_F_TIME_NS) | CG_M(CG_F_NS_OWNERS);
}

/* Member @o of the nsproxy: its word and its field. */
#define CG_W_MEMBER(o) (CG_W_NS_UTS + (o))
#define CG_F_MEMBER(o) (CG_F_UTS_NS + (o))
static_assert(CG_W_NS_CGROUP - CG_W_NS_UTS == CG_O_CGROUP &&
	      CG_W_NS_TIME_CHILD - CG_W_NS_UTS == CG_O_TIME_CHILD &&
	      CG_F_CGROUP_NS - CG_F_UTS_NS == CG_O_CGROUP &&
	      CG_F_TIME_NS_CHILD - CG_F_UTS_NS == CG_O_TIME_CHILD);

/*
 * Could the call have given the task member @o of @new? unshare() and
 * clone() make each namespace they change, owned by the user namespace
 * the task then has (create_new_namespaces()), and a child may start in
 * its parent's time namespace for children (timens_on_fork()); setns()
 * enters only namespaces whose owner it holds CAP_SYS_ADMIN over: its own
 * user namespace or one below it. An owner of 0 is not known (compat.h).
 */
static bool cg_ns_member_given(int o, cg_mask_t allowed,
			       const struct cg_vals *old,
			       const struct cg_vals *new)
{
	u64 own = new->owners[o];
	struct user_namespace *was =
		(struct user_namespace *)(unsigned long)old->w[CG_W_USERNS];

	if (!own)
		return true;
	if (allowed & CG_P_USERNS_DESC)
		return own == (unsigned long)was ||
		       cg_userns_descends((struct user_namespace *)own, was,
					  false);
	return own == new->w[CG_W_USERNS] ||
	       (o == CG_O_TIME &&
		new->w[CG_W_MEMBER(o)] == old->w[CG_W_NS_TIME_CHILD] &&
		own == old->owners[CG_O_TIME_CHILD]);
}

/*
 * The members (and owners) a namespace change explains: those the call
 * could have given; an owner that changed under a member that stayed
 * was written in place.
 */
static cg_mask_t cg_ns_members_extra(cg_mask_t allowed,
				     const struct cg_vals *old,
				     const struct cg_vals *new)
{
	cg_mask_t ok = CG_M(CG_F_NS_OWNERS);
	int o;

	for (o = 0; o < CG_O_NR; o++) {
		bool fine;

		if (new->w[CG_W_MEMBER(o)] == old->w[CG_W_MEMBER(o)])
			fine = new->owners[o] == old->owners[o];
		else
			fine = cg_ns_member_given(o, allowed, old, new);
		if (fine)
			ok |= CG_M(CG_F_MEMBER(o));
		else
			ok &= ~CG_M(CG_F_NS_OWNERS);
	}
	return ok;
}

bool cg_policy_fs_explained(const struct cg_vals *legit,
			    const struct cg_vals *v,
			    const struct task_struct *t)
{
	return cg_words_equal(legit, v, CG_WM_FS) ||
	       cg_sibling_explains(t, CG_WM_FS, v, 0) ||
	       cg_group_explains(t, CG_GK_FS, v) ||
	       cg_fs_pivot_explains(legit, v);
}

cg_mask_t cg_policy_disallowed(cg_mask_t changed, cg_mask_t allowed,
			       const struct cg_vals *old,
			       const struct cg_vals *new,
			       const struct task_struct *t)
{
	cg_mask_t extra = 0;

	/* The probes put what the kernel set in the shadow already (fs.c). */
	if (allowed & CG_P_FS_VOUCH)
		allowed &= ~CG_M_FS_PATHS;

	/*
	 * A namespace change (unshare, setns, a new task) moves the root and
	 * cwd only into a new mount namespace.
	 */
	if ((allowed & CG_M(CG_F_NSPROXY)) && !(changed & CG_M(CG_F_MNT_NS)))
		allowed &= ~CG_M_FS_PATHS;
	if (changed & CG_M(CG_F_USERNS))
		extra |= cg_userns_extra(allowed, old, new);
	/* Another object: its members and contents differ with it. */
	if ((changed & allowed & CG_M(CG_F_NSPROXY)))
		extra |= (allowed & CG_P_EXEC) ?
				 cg_exec_ns_extra(old, new) :
				 cg_ns_members_extra(allowed, old, new);
	if ((changed & allowed & CG_M(CG_F_GROUPS)))
		extra |= CG_M(CG_F_NGROUPS) | CG_M(CG_F_GROUP_IDS);
	if (changed & CG_M_SECCOMP)
		extra |= cg_seccomp_extra(changed, allowed, old, new, t);
	/* A thread sharing the fs_struct moved its root or cwd. */
	if ((changed & CG_M_FS_PATHS & ~allowed) &&
	    (cg_sibling_explains(t, CG_WM_FS, new, 0) ||
	     cg_group_explains(t, CG_GK_FS, new) ||
	     cg_fs_pivot_explains(old, new)))
		extra |= CG_M_FS_PATHS;
	return changed & ~(allowed | extra) & CG_M_FIELDS;
}
