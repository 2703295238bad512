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

/*
 * Put the shadow's legitimate state back into @t (always current).
 *
 * The legitimate cred object is ours to trust: we hold a reference. If it
 * was overwritten in place, the saved values are written back (every task
 * sharing it was tampered with too). The objects the task points at
 * instead are deliberately leaked: an exploit leaves their reference
 * counts in an unknown state, and dropping a reference it never took
 * would free memory still in use.
 *
 * @committed: the change went through commit_creds(), which moved the
 * task's RLIMIT_NPROC count to the new cred's user; move it back.
 */
int cg_restore(struct cg_shadow *s, struct task_struct *t, bool committed)
{
	struct cred *legit = (struct cred *)s->cred;
	const struct cred *live = rcu_access_pointer(t->real_cred);

	if (committed && live != legit &&
	    cg_nproc_accounted_apart(live, legit)) {
		cg_nproc_add(legit, 1);
		cg_nproc_add(live, -1);
	}

	if (!cg_cred_same(s, legit)) {
		cg_cred_put_ids(legit, s->ids);
		legit->securebits = s->securebits;
		cg_cred_put_caps(legit, s->caps);
		legit->user_ns = s->user_ns;
		legit->group_info = s->group_info;
	}
	if (rcu_access_pointer(t->real_cred) != legit)
		rcu_assign_pointer(t->real_cred, get_cred(legit));
	if (rcu_access_pointer(t->cred) != legit)
		rcu_assign_pointer(t->cred, get_cred(legit));

	if (READ_ONCE(t->nsproxy) != s->nsproxy && s->nsproxy &&
	    cg_compat_can_free_nsproxy()) {
		cg_nsproxy_count_get(s->nsproxy);
		if (!IS_ENABLED(CONFIG_PREEMPT_RT))
			task_lock(t);
		WRITE_ONCE(t->nsproxy, s->nsproxy);
		if (!IS_ENABLED(CONFIG_PREEMPT_RT))
			task_unlock(t);
	}
	return cg_task_clean(s, t) ? 0 : -EIO;
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
