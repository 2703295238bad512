// SPDX-License-Identifier: GPL-2.0
/*
 * The slow path, taken only when a task's live credentials differ from
 * its shadow: classify the change, accept it when a legitimate path
 * explains it, otherwise report it and apply the configured remedy.
 *
 * Runs in hook context: preemption disabled, no sleeping, no allocation.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/sched.h>
#include <linux/string.h>

#include "check.h"
#include "policy.h"
#include "response.h"

static void cg_violation(struct cg_shadow *s, struct cg_event *ev,
			 const struct cred *rc, struct nsproxy *ns)
{
	struct task_struct *t = current;
	int outcome = 0;

	ev->pid = task_pid_nr(t);
	ev->tgid = task_tgid_nr(t);
	memcpy(ev->comm, t->comm, sizeof(ev->comm));
	ev->comm[sizeof(ev->comm) - 1] = '\0';
	ev->mode = READ_ONCE(cg_mode);
	cg_stat_inc(CG_S_VIOLATIONS);

	switch (ev->mode) {
	case CG_MODE_LOG:
		/* Report once, then the new credentials are the reference. */
		cg_shadow_set(s, rc, ns);
		if (ev->changed & CG_M(CG_F_CREDSPLIT))
			s->flags |= CG_SF_SPLIT_OK;
		break;
	case CG_MODE_RESTORE:
	case CG_MODE_KILL:
		outcome = cg_restore(s, t,
				     ev->where == CG_AT_COMMIT ||
					     (s->flags & CG_SF_COMMITTED));
		cg_stat_inc(outcome ? CG_S_RESTORE_FAILED : CG_S_RESTORED);
		if (ev->mode == CG_MODE_KILL) {
			int ret = cg_kill(t);

			if (!ret)
				cg_stat_inc(CG_S_KILLED);
			else if (!outcome)
				outcome = ret;
		}
		break;
	default:
		break;
	}
	ev->outcome = outcome;
	cg_report(ev);
}

void cg_check_slow(struct cg_shadow *s, int nr, enum cg_abi abi,
		   enum cg_where where, unsigned long caller)
{
	struct task_struct *t = current;
	const struct cred *rc = rcu_dereference_raw(t->real_cred);
	const struct cred *c = rcu_dereference_raw(t->cred);
	struct nsproxy *ns = READ_ONCE(t->nsproxy);
	struct cg_event ev;
	u32 changed, bad;

	if (unlikely(s->flags & CG_SF_PENDING)) {
		/*
		 * Created by the kernel (usermode helper): its credentials
		 * were set by trusted code; they are the reference from its
		 * first boundary on.
		 */
		if (where == CG_AT_COMMIT)
			return;
		cg_shadow_set(s, rc, ns);
		s->flags &= ~CG_SF_PENDING;
		return;
	}

	cg_vals_from_shadow(&ev.old, s);
	cg_vals_from_cred(&ev.new, rc, ns);
	changed = cg_vals_diff(&ev.old, &ev.new);
	if (c == rc)
		s->flags &= ~CG_SF_SPLIT_OK;
	else if (!(s->flags & CG_SF_SPLIT_OK))
		changed |= CG_M(CG_F_CREDSPLIT);

	if (!changed) {
		/*
		 * Same values in another object (a new session keyring, an
		 * LSM label): follow it, at a boundary.
		 */
		if (where != CG_AT_COMMIT && rc != s->cred) {
			cg_shadow_set(s, rc, ns);
			cg_stat_inc(CG_S_POINTER_ONLY);
		}
		return;
	}

	bad = changed;
	if (where != CG_AT_ENTRY)
		bad = cg_policy_disallowed(changed, cg_policy_allowed(nr, abi),
					   &ev.old, &ev.new);
	if (!bad) {
		/* At commit_creds the syscall's exit accepts the change. */
		if (where == CG_AT_COMMIT) {
			s->flags |= CG_SF_COMMITTED;
		} else if (where == CG_AT_EXIT || where == CG_AT_NEXT_ENTRY) {
			cg_shadow_set(s, rc, ns);
			cg_stat_inc(CG_S_LEGIT);
		}
		return;
	}

	ev.nr = nr;
	ev.abi = abi;
	ev.where = where;
	ev.caller = caller;
	ev.changed = changed;
	cg_violation(s, &ev, rc, ns);
}

/* A user task with no entry at a boundary: track it from now on. */
void cg_adopt(struct task_struct *t)
{
	struct cg_shadow *s;

	if (t->flags & (CG_PF_NOT_USER | PF_EXITING))
		return;
	s = cg_shadow_alloc();
	if (!s) {
		cg_stat_inc(CG_S_TRACK_FAILED);
		return;
	}
	s->task = t;
	cg_shadow_set(s, rcu_dereference_raw(t->real_cred),
		      READ_ONCE(t->nsproxy));
	if (cg_shadow_insert(s)) {
		cg_shadow_drop_refs(s);
		cg_shadow_free(s);
		return;
	}
	cg_stat_inc(CG_S_ADOPTED);
}

/*
 * A new task. If its parent's credentials are intact, the child's can
 * only differ through copy_creds() and copy_namespaces(): a new user
 * namespace (with full capabilities in it) and new namespaces. Anything
 * else, or a tampered parent, and the child keeps the parent's
 * legitimate state; its first return to user space then catches it.
 */
void cg_fork(struct task_struct *parent, struct task_struct *child)
{
	const struct cred *crc = rcu_dereference_raw(child->real_cred);
	struct nsproxy *cns = READ_ONCE(child->nsproxy);
	struct cg_shadow *s, *ps = NULL;

	if (child->flags & CG_PF_NOT_USER)
		return;
	cg_ensure_syscall_tracing(child);
	s = cg_shadow_alloc();
	if (!s) {
		cg_stat_inc(CG_S_TRACK_FAILED);
		return;
	}
	s->task = child;

	if (parent->flags & CG_PF_NOT_USER) {
		s->flags = CG_SF_PENDING;
		goto insert;
	}
	ps = cg_shadow_find(parent);
	if (!ps || (ps->flags & CG_SF_PENDING)) {
		cg_shadow_set(s, crc, cns);
		goto insert;
	}
	if (cg_task_clean(ps, parent)) {
		struct cg_vals pv, cv;
		u32 changed;

		cg_vals_from_shadow(&pv, ps);
		cg_vals_from_cred(&cv, crc, cns);
		changed = cg_vals_diff(&pv, &cv);
		if (!cg_policy_disallowed(
			    changed, CG_M(CG_F_NSPROXY) | CG_P_USERNS_CHILD,
			    &pv, &cv)) {
			cg_shadow_set(s, crc, cns);
			goto insert;
		}
	}
	cg_shadow_copy(s, ps);

insert:
	if (cg_shadow_insert(s)) {
		cg_shadow_drop_refs(s);
		cg_shadow_free(s);
	}
}
