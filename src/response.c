// SPDX-License-Identifier: GPL-2.0
/*
 * Remedies, applied from hook context (preemption disabled) before the
 * task runs another instruction in user space: at a syscall's entry the
 * legitimate credentials are back before the syscall body runs.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/task_work.h>
#include <linux/module.h>
#include <linux/string.h>

#include "response.h"
#include "compat.h"
#include "abandon.h"

/*
 * The legitimate cred object is ours to trust: we hold a reference. If it
 * was overwritten in place, the saved values are written back (every task
 * sharing it was tampered with too). The objects the task points at
 * instead are deliberately leaked: an exploit leaves their reference
 * counts in an unknown state, and dropping a reference it never took
 * would free memory still in use.
 */
static void cg_restore_cred(const struct cg_shadow *s, struct task_struct *t)
{
	struct cred *legit = (struct cred *)s->cred;
	const struct cg_vals *v = &s->v;
	const struct cred *live;
	struct group_info *gi;
	int i, n;

	for (i = 0; i < 4; i++)
		put_unaligned(v->w[CG_W_IDS0 + i], (u64 *)&legit->uid + i);
	for (i = 0; i < 5; i++)
		put_unaligned(v->w[CG_W_CAP0 + i],
			      (u64 *)&legit->cap_inheritable + i);
	legit->securebits = v->w[CG_W_SECBITS];
	cg_put_back(legit->user_ns, v->w[CG_W_USERNS]);
	cg_put_back(legit->group_info, v->w[CG_W_GROUPS]);
	gi = legit->group_info;
	/* The legitimate group_info is the legitimate cred's: referenced. */
	gi->ngroups = v->w[CG_W_NGROUPS];
	n = min_t(int, gi->ngroups, CG_GIDS_INLINE);
	for (i = 0; i < n; i++)
		gi->gid[i] = KGIDT_INIT(v->gids[i]);

	live = rcu_access_pointer(t->real_cred);
	if (live != legit) {
		cg_abandon(live, legit);
		cg_cred_subscribe(live, legit);
		rcu_assign_pointer(t->real_cred, get_cred(legit));
	}
	live = rcu_access_pointer(t->cred);
	if (live != legit) {
		cg_abandon(live, legit);
		cg_cred_subscribe(live, legit);
		rcu_assign_pointer(t->cred, get_cred(legit));
	}
}

/* The legitimate nsproxy (referenced), its members and their owners. */
static void cg_restore_nsproxy(const struct cg_shadow *s, struct task_struct *t)
{
	struct nsproxy *ns = s->nsproxy;
	const u64 *w = s->v.w;

	if (!ns)
		return;
	cg_put_back(ns->uts_ns, w[CG_W_NS_UTS]);
	cg_put_back(ns->ipc_ns, w[CG_W_NS_IPC]);
	cg_put_back(ns->mnt_ns, w[CG_W_NS_MNT]);
	cg_put_back(ns->pid_ns_for_children, w[CG_W_NS_PID]);
	cg_put_back(ns->net_ns, w[CG_W_NS_NET]);
	cg_nsp_restore_optional(ns, w);
	if (READ_ONCE(t->nsproxy) != ns && cg_compat_can_free_nsproxy()) {
		cg_abandon(READ_ONCE(t->nsproxy), ns);
		cg_nsproxy_count_get(ns);
		cg_task_lock(t);
		WRITE_ONCE(t->nsproxy, ns);
		cg_task_unlock(t);
	}
	cg_nsp_restore_owners(ns, s->v.owners);
}

/*
 * The saved fs_struct and its root and cwd. No reference is held on them
 * while the task runs (holding one would change what the kernel decides
 * from fs->users and keep mounts busy): this trusts that the exploit
 * leaked, not released, what it replaced (README, known limits).
 */
static void cg_restore_fs(const struct cg_shadow *s, struct task_struct *t)
{
	struct fs_struct *fs =
		(struct fs_struct *)(unsigned long)s->v.w[CG_W_FS];
	const u64 *w = s->v.w;

	if (!fs)
		return;
	/*
	 * The task's reference moves to the saved fs_struct; the one it
	 * points at now keeps its count (leaked, like a forged cred).
	 */
	if (READ_ONCE(t->fs) != fs) {
		cg_fs_lock(fs);
		fs->users++;
		cg_fs_unlock(fs);
		cg_abandon(READ_ONCE(t->fs), fs);
		cg_task_lock(t);
		WRITE_ONCE(t->fs, fs);
		cg_task_unlock(t);
	}
	cg_fs_lock(fs);
	cg_put_back(fs->root.mnt, w[CG_W_FS_ROOT_MNT]);
	cg_put_back(fs->root.dentry, w[CG_W_FS_ROOT]);
	cg_put_back(fs->pwd.mnt, w[CG_W_FS_PWD_MNT]);
	cg_put_back(fs->pwd.dentry, w[CG_W_FS_PWD]);
	cg_fs_unlock(fs);
}

/*
 * Put the shadow's legitimate state back into @t (always current).
 *
 * @committed: the change went through commit_creds(), which moved the
 * task's RLIMIT_NPROC count to the new cred's user; move it back.
 */
int cg_restore(struct cg_shadow *s, struct task_struct *t, bool committed,
	       cg_mask_t changed, cg_mask_t bad)
{
	const struct cred *legit = s->cred;
	const struct cred *live = rcu_access_pointer(t->real_cred);
	struct cg_vals after;

	if (committed && live != legit &&
	    cg_nproc_accounted_apart(live, legit)) {
		cg_nproc_add(legit, 1);
		cg_nproc_add(live, -1);
	}
	cg_restore_cred(s, t);
	if (changed & (CG_M(CG_F_NSPROXY) | CG_M_NS_MEMBERS))
		cg_restore_nsproxy(s, t);
	if (changed & (CG_M(CG_F_FS) | CG_M_FS_PATHS))
		cg_restore_fs(s, t);
	/* Tightened seccomp state stays unless it is what was forged. */
	if (bad & CG_M_SECCOMP_FILTERING)
		cg_restore_seccomp(
			t, s->v.w[CG_W_SECCOMP],
			(void *)(unsigned long)s->v.w[CG_W_SECCOMP_FILTER]);
	if (bad & CG_M(CG_F_SECCOMP_SUSPEND))
		cg_restore_suspend(t);
	if (bad & CG_M(CG_F_TRACE_RECURSION))
		cg_restore_trace_rec(t);
	if (changed & (CG_M(CG_F_SYSCALL_TRACE) | CG_M(CG_F_TASK_FLAGS) |
		       CG_M(CG_F_NO_NEW_PRIVS)))
		cg_restore_task(t, s->v.w[CG_W_TASK], s->v.w[CG_W_WORK]);

	/* What was not forged and not put back is the reference now. */
	cg_vals_live(&after, t);
	if (rcu_access_pointer(t->real_cred) != legit ||
	    rcu_access_pointer(t->cred) != legit ||
	    (cg_vals_diff(&s->v, &after) & bad))
		return -EIO;
	cg_shadow_set_vals(s, legit, READ_ONCE(t->nsproxy), &after);
	return 0;
}

#ifdef CONFIG_PREEMPT_RT
/*
 * On PREEMPT_RT the signal lock sleeps, so the kill is sent from task
 * work, which runs before the return to user space. The carrier is a
 * pool object; the module stays pinned until the work has run.
 */
static void cg_kill_work(struct callback_head *cb)
{
	send_sig_info(SIGKILL, SEND_SIG_PRIV, current);
	preempt_disable();
	cg_shadow_free((struct cg_shadow *)cb);
	preempt_enable();
	module_put(THIS_MODULE);
}

int cg_kill(struct task_struct *t)
{
	struct callback_head *cb = (struct callback_head *)cg_shadow_alloc();
	int ret;

	if (!cb)
		return -ENOMEM;
	__module_get(THIS_MODULE);
	init_task_work(cb, cg_kill_work);
	ret = task_work_add(t, cb, TWA_RESUME);
	if (ret) {
		cg_shadow_free((struct cg_shadow *)cb);
		module_put(THIS_MODULE);
	}
	return ret;
}
#else
/*
 * SIGKILL to one thread takes the whole thread group down; it is acted
 * upon on the way back to user space.
 */
int cg_kill(struct task_struct *t)
{
	return send_sig_info(SIGKILL, SEND_SIG_PRIV, t);
}
#endif
