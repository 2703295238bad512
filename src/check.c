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
#include <linux/prctl.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "check.h"
#include "idmap.h"
#include "policy.h"
#include "response.h"
#include "group.h"
#include "rules.h"
#include "ptrace.h"

/*
 * Global init is never killed: a SIGKILL to it panics the machine. It is
 * restored instead, and the report says so.
 */
static bool cg_spare(struct task_struct *t)
{
	return is_global_init(t);
}

/*
 * The state was put back (@outcome: 0 or the error): count it, and in kill
 * mode kill current, global init excepted.
 */
static int cg_restored_kill(struct cg_event *ev, int outcome)
{
	struct task_struct *t = current;
	int ret;

	cg_stat_inc(outcome ? CG_S_RESTORE_FAILED : CG_S_RESTORED);
	if (ev->mode != CG_MODE_KILL)
		return outcome;
	if (cg_spare(t)) {
		ev->init_spared = true;
		return outcome;
	}
	ret = cg_kill(t);
	if (!ret)
		cg_stat_inc(CG_S_KILLED);
	return outcome ? outcome : ret;
}

/*
 * Apply the configured remedy; returns 0 or the remedy's error. @idd: the
 * id maps found changed, if any (their namespace's record is the reference).
 */
static int cg_remedy(struct cg_shadow *s, struct cg_event *ev, cg_mask_t bad,
		     const struct cg_idmap_diff *idd)
{
	struct task_struct *t = current;
	int outcome, ret;

	if (ev->mode == CG_MODE_LOG) {
		/* Report once, then the new state is the reference. */
		cg_shadow_set(s, t);
		if (ev->changed & CG_M(CG_F_CREDSPLIT))
			s->flags |= CG_SF_SPLIT_OK;
		if (idd && idd->changed)
			cg_idmap_accept(idd);
		return 0;
	}
	outcome = cg_restore(
		s, t, ev->where == CG_AT_COMMIT || (s->flags & CG_SF_COMMITTED),
		ev->changed, bad);
	if (idd && idd->changed) {
		ret = cg_idmap_restore(idd);
		outcome = outcome ? outcome : ret;
	}
	return cg_restored_kill(ev, outcome);
}

/* A violation by current: who it is, the mode, the count. */
static void cg_violation_begin(struct cg_event *ev)
{
	struct task_struct *t = current;

	ev->pid = task_pid_nr(t);
	ev->tgid = task_tgid_nr(t);
	memcpy(ev->comm, t->comm, sizeof(ev->comm));
	ev->comm[sizeof(ev->comm) - 1] = '\0';
	ev->mode = READ_ONCE(cg_mode);
	ev->init_spared = false;
	cg_stat_inc(CG_S_VIOLATIONS);
}

static void cg_violation(struct cg_shadow *s, struct cg_event *ev,
			 cg_mask_t bad, const struct cg_idmap_diff *idd)
{
	cg_violation_begin(ev);
	ev->outcome = cg_remedy(s, ev, bad, idd);
	cg_report(ev);
}

/*
 * The syscall being judged: as recorded at its entry, never re-read (a
 * number out of range, or a child's return from fork, allows nothing).
 * Only when the entry of the syscall now exiting was not seen (the task
 * was found mid-syscall by the load snapshot), its exit reads the
 * registers.
 */
static bool cg_judged_call(const struct cg_shadow *s, enum cg_where where,
			   int *nr, enum cg_abi *abi)
{
	struct pt_regs *regs = task_pt_regs(current);
	bool exiting = where == CG_AT_EXIT || where == CG_AT_COMMIT;

	*nr = s->nr == U16_MAX ? -1 : s->nr;
	*abi = s->abi;
	if (exiting && !s->in_call) {
		*nr = cg_arch_nr(syscall_get_nr(current, regs));
		*abi = cg_arch_abi(regs);
		return false;
	}
	return true;
}

/*
 * The judged syscall returned an error: it may have changed nothing.
 * Known at its exit only. setfsuid()/setfsgid() return the old id either
 * way; an execve() that fails past its point of no return (its new
 * credentials committed) leaves its task dying of a fatal signal.
 */
static bool cg_call_failed(enum cg_where where, cg_mask_t allowed)
{
	unsigned int rule = cg_rule_of(allowed) & ~CG_R_ID16;
	long ret = regs_return_value(task_pt_regs(current));

	if (where != CG_AT_EXIT || !IS_ERR_VALUE(ret))
		return false;
	if (rule == CG_R_SETFSUID || rule == CG_R_SETFSGID)
		return false;
	return !((allowed & CG_P_EXEC) && fatal_signal_pending(current));
}

/*
 * Fields the task's own syscall and the state rules do not explain. At
 * entry, the recorded syscall is the previous one: it explains the state
 * that is compared at entry only (its exit did not look), never the
 * credentials (its exit did).
 */
static cg_mask_t cg_unexplained(struct cg_shadow *s, cg_mask_t changed,
				const struct cg_vals *old,
				const struct cg_vals *new, enum cg_where where)
{
	cg_mask_t allowed, bad;
	enum cg_abi abi;
	int nr;

	if (!cg_judged_call(s, where, &nr, &abi) && cg_policy_rule(nr, abi) &&
	    !(cg_policy_allowed(nr, abi) & CG_P_EXEC))
		/* Its entry was not seen: its arguments as they are now. */
		cg_rules_record(s, task_pt_regs(current),
				cg_policy_rule(nr, abi));
	allowed = cg_policy_allowed(nr, abi);
	/* prctl() sets a seccomp mode as PR_SET_SECCOMP only. */
	if (cg_rule_of(allowed) == CG_R_PRCTL && s->args[0] != PR_SET_SECCOMP)
		allowed &= ~CG_P_SECCOMP;
	if (where == CG_AT_ENTRY) {
		/*
		 * The exit of every syscall that may change the state
		 * syscalls use, or the seccomp state, compared it
		 * (CG_SF_EXIT_FULL): nothing since explains a change of it.
		 */
		allowed &= ~(CG_M_USE | CG_P_SECCOMP);
	} else if (where == CG_AT_NEXT_ENTRY) {
		/*
		 * No exit looked: the state syscalls use was last compared
		 * at the entry of the last syscall that may use or change
		 * it, and that one explains it (the light ones in between
		 * cannot).
		 */
		allowed &= ~CG_M_USE;
		if (s->use_nr != U16_MAX)
			allowed |= cg_policy_allowed(s->use_nr, s->use_abi) &
				   CG_M_USE;
	}
	if (where == CG_AT_ENTRY)
		allowed &= ~(CG_M_BOTH | CG_P_USERNS_CHILD | CG_P_USERNS_DESC);
	bad = cg_policy_disallowed(changed, allowed, old, new, current);
	/* What the call may change, to what its rule computes. */
	if (where != CG_AT_ENTRY)
		bad |= cg_rules_bad(s, allowed, changed & ~bad, old, new,
				    cg_call_failed(where, allowed));
	return bad;
}

/*
 * Report a violation and apply the remedy. Reports name the syscall being
 * entered (@now_nr, @now_abi at entry), or the one judged. Returns true
 * when the syscall about to run must not run: its seccomp filters were
 * skipped.
 */
static noinline bool cg_violation_at(struct cg_shadow *s, enum cg_where where,
				     unsigned long caller, cg_mask_t changed,
				     cg_mask_t bad, const struct cg_vals *live,
				     const struct cg_idmap_diff *idd,
				     int now_nr, enum cg_abi now_abi)
{
	struct cg_event ev;

	if (where == CG_AT_ENTRY) {
		ev.nr = now_nr;
		ev.abi = now_abi;
	} else {
		cg_judged_call(s, where, &ev.nr, &ev.abi);
	}
	ev.where = where;
	ev.caller = caller;
	cg_event_set_changes(&ev, changed, &s->v, live);
	cg_idmap_event_values(&ev, idd);
	cg_violation(s, &ev, bad, idd);
	return where == CG_AT_ENTRY && (bad & CG_M_SECCOMP_FILTERING) &&
	       ev.mode != CG_MODE_LOG;
}

void cg_capable_violation(struct cg_shadow *s, const struct cg_idmap_diff *d)
{
	struct cg_event ev = { .where = CG_AT_CAPABLE };

	cg_judged_call(s, CG_AT_CAPABLE, &ev.nr, &ev.abi);
	cg_event_set_changes(&ev, d->changed, &s->v, &s->v);
	cg_idmap_event_values(&ev, d);
	cg_violation_begin(&ev);
	if (ev.mode == CG_MODE_LOG)
		cg_idmap_accept(d);
	else
		ev.outcome = cg_restored_kill(&ev, cg_idmap_restore(d));
	cg_report(&ev);
}

/*
 * A violation of one field that has no word, found at the entry of
 * syscall @nr, @abi: shown as 0 -> @shown.
 */
static void cg_event_one(struct cg_event *ev, enum cg_field f, u64 shown,
			 int nr, enum cg_abi abi)
{
	*ev = (struct cg_event){
		.nr = nr,
		.abi = abi,
		.where = CG_AT_ENTRY,
		.changed = CG_M(f),
		.nchanges = 1,
		.changes[0] = { .field = f, .has_value = 1, .new = shown },
	};
	cg_violation_begin(ev);
}

bool cg_link_violation(struct cg_shadow *s, struct task_struct *tracee, int nr,
		       enum cg_abi abi)
{
	struct cg_event ev;

	cg_event_one(&ev, CG_F_PTRACE_LINK, task_pid_nr(tracee), nr, abi);
	if (ev.mode == CG_MODE_LOG)
		cg_ptrace_accept(tracee);
	else
		ev.outcome = cg_restored_kill(&ev, cg_ptrace_unforge(tracee));
	cg_report(&ev);
	return ev.mode != CG_MODE_LOG;
}

/* Filter @pos of @s's chain was written (cg_check_filters()). */
static noinline bool cg_chain_violation(struct cg_shadow *s, unsigned int pos,
					int nr, enum cg_abi abi)
{
	struct cg_event ev;

	cg_event_one(&ev, CG_F_SECCOMP_CHAIN, pos, nr, abi);
	if (ev.mode == CG_MODE_LOG)
		cg_frec_accept(s->frec);
	else
		ev.outcome = cg_restored_kill(&ev, cg_frec_restore(s->frec));
	cg_report(&ev);
	return ev.mode != CG_MODE_LOG;
}

bool cg_check_filters(struct cg_shadow *s, int nr, enum cg_abi abi)
{
	unsigned int pos;

	if (likely(!cg_frec_changed(s->frec)) ||
	    unlikely(cg_checks == CG_CHECKS_NONE) || (s->flags & CG_SF_PENDING))
		return false;
	pos = cg_frec_recheck(s->frec);
	return pos && cg_chain_violation(s, pos, nr, abi);
}

/*
 * A seccomp chain legitimately changed: the other threads may get it too
 * (TSYNC) and see it later. (Root and cwd are noted by fs.c, as they are
 * written.)
 */
static void cg_note_shared(const struct task_struct *t, cg_mask_t changed,
			   const struct cg_vals *live)
{
	if (changed & CG_M_RANGE(CG_F_SECCOMP_MODE, CG_F_SECCOMP_FILTER))
		cg_group_note(t, CG_GK_SECCOMP, live, NULL);
}

/* Reads of a root or cwd that a sibling thread keeps moving (below). */
#define CG_FS_REREADS 8

/*
 * A thread sharing the fs_struct may have moved the root or cwd again
 * between our read of them and our look at what its group last noted
 * (fs.c keeps only the newest values once that thread's syscall is over),
 * or in the middle of our read. So when the paths are not explained, read
 * them again: if they moved, @live takes the new values and they are
 * judged again. Only values that hold still between two reads and are not
 * explained are reported; an attacker gains nothing, as whatever is
 * accepted is what a fresh check would accept. Out of line: its second
 * snapshot stays off cg_check_slow()'s frame, which holds the first.
 */
static noinline bool cg_fs_moved(struct cg_vals *live,
				 const struct task_struct *t)
{
	static const u8 paths[] = { CG_W_FS_ROOT_MNT, CG_W_FS_ROOT,
				    CG_W_FS_PWD_MNT, CG_W_FS_PWD };
	struct cg_vals now;
	bool moved = false;
	int i;

	cg_vals_live(&now, t);
	if (now.w[CG_W_FS] != live->w[CG_W_FS])
		return false;
	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		moved |= now.w[paths[i]] != live->w[paths[i]];
		live->w[paths[i]] = now.w[paths[i]];
	}
	return moved;
}

/* What of @changed nothing explains, the paths read again while they move. */
static cg_mask_t cg_judge(struct cg_shadow *s, cg_mask_t *changed,
			  struct cg_vals *live, enum cg_where where)
{
	cg_mask_t bad = cg_unexplained(s, *changed, &s->v, live, where);
	int i;

	for (i = 0; (bad & CG_M_FS_PATHS) && i < CG_FS_REREADS &&
		    cg_fs_moved(live, current);
	     i++) {
		*changed &= ~CG_M_FS_PATHS;
		*changed |= cg_vals_diff(&s->v, live) & CG_M_FS_PATHS;
		bad = cg_unexplained(s, *changed, &s->v, live, where);
	}
	return bad;
}

/*
 * New ids mean what the maps of their namespace say they mean, and a user
 * namespace entered (setns(), unshare(), clone()) is what its record says
 * it is: not one made the caller's by a forged owner or parent.
 */
static cg_mask_t cg_idmap_trigger(struct cg_shadow *s, cg_mask_t changed,
				  const struct cg_vals *live,
				  struct cg_idmap_diff *idd)
{
	cg_mask_t m = cg_idmap_compare(cg_saved_userns(s), idd);

	if (m || !(changed & CG_M(CG_F_USERNS)))
		return m;
	return cg_idmap_compare_recorded(
		(struct user_namespace *)(unsigned long)live->w[CG_W_USERNS],
		idd);
}

/* A change was seen: judge it (see cg_violation_at() for the result). */
bool cg_check_slow(struct cg_shadow *s, enum cg_where where,
		   unsigned long caller, int now_nr, enum cg_abi now_abi)
{
	struct task_struct *t = current;
	const struct cred *rc = rcu_dereference_raw(t->real_cred);
	const struct cred *c = rcu_dereference_raw(t->cred);
	struct cg_idmap_diff idd = { .changed = 0 };
	struct cg_vals live;
	cg_mask_t changed, bad;

	/* checks=none (benchmarks): hooks attached, nothing judged. */
	if (unlikely(cg_checks == CG_CHECKS_NONE))
		return false;

	if (unlikely(s->flags & CG_SF_PENDING)) {
		/*
		 * Created by the kernel (usermode helper): its credentials
		 * were set by trusted code; they are the reference from its
		 * first boundary on.
		 */
		if (where == CG_AT_COMMIT)
			return false;
		cg_shadow_set(s, t);
		s->flags &= ~CG_SF_PENDING;
		return false;
	}
	cg_vals_live(&live, t);
	if (unlikely(s->flags & CG_SF_TRACE_CLEARED)) {
		/*
		 * Found cleared and re-armed since (cg_trace_check()): un-flip
		 * the saved bit, judge the bit as it was found.
		 */
		s->v.w[CG_W_WORK] ^= BIT_ULL(CG_TW_TRACE);
		s->flags &= ~CG_SF_TRACE_CLEARED;
		live.w[CG_W_WORK] &= ~BIT_ULL(CG_TW_TRACE);
	}
	changed = cg_vals_diff(&s->v, &live);
	if (c == rc)
		s->flags &= ~CG_SF_SPLIT_OK;
	else if (!(s->flags & CG_SF_SPLIT_OK))
		changed |= CG_M(CG_F_CREDSPLIT);
	if (where != CG_AT_COMMIT && (changed & CG_M_IDMAP_TRIGGER))
		changed |= cg_idmap_trigger(s, changed, &live, &idd);

	if (!changed) {
		/*
		 * Same values in another object (a new session keyring, an
		 * LSM label): follow it, at a boundary.
		 */
		if (where != CG_AT_COMMIT && rc != s->cred) {
			cg_shadow_set_vals(s, rc, READ_ONCE(t->nsproxy), &live);
			cg_stat_inc(CG_S_POINTER_ONLY);
		}
		return false;
	}

	bad = cg_judge(s, &changed, &live, where);
	if (!bad) {
		/* At commit_creds the syscall's exit accepts the change. */
		if (where == CG_AT_COMMIT) {
			s->flags |= CG_SF_COMMITTED;
		} else {
			cg_note_shared(t, changed, &live);
			cg_shadow_set_vals(s, rc, READ_ONCE(t->nsproxy), &live);
			cg_stat_inc(CG_S_LEGIT);
		}
		return false;
	}

	/* Ids translated through forged maps are forged too. */
	if (bad & CG_M_IDMAPS)
		bad |= changed & CG_M_IDMAP_TRIGGER;
	return cg_violation_at(s, where, caller, changed, bad, &live, &idd,
			       now_nr, now_abi);
}

/*
 * Syscall entry of a task outside the initial user namespace: the maps of
 * its (legitimate) namespace are what their record says, before the
 * syscall runs.
 */
void cg_check_idmap(struct cg_shadow *s, int now_nr, enum cg_abi now_abi)
{
	struct cg_idmap_diff idd;

	if (s->flags & CG_SF_PENDING)
		return;
	if (likely(!cg_idmap_compare(cg_saved_userns(s), &idd)))
		return;
	cg_violation_at(s, CG_AT_ENTRY, 0, idd.changed, idd.changed, &s->v,
			&idd, now_nr, now_abi);
}

/*
 * A user task with no entry at a boundary: track it from now on. Returns
 * its entry (NULL: not tracked).
 */
struct cg_shadow *cg_adopt(struct task_struct *t)
{
	struct cg_shadow *s;

	if (t->flags & (CG_PF_NOT_USER | PF_EXITING))
		return NULL;
	s = cg_shadow_alloc();
	if (!s) {
		cg_stat_inc(CG_S_TRACK_FAILED);
		return NULL;
	}
	s->task = t;
	cg_shadow_set(s, t);
	cg_ptrace_adopt(s, t);
	if (cg_shadow_insert(s, false)) {
		cg_shadow_drop_refs(s);
		cg_shadow_free(s);
		return NULL;
	}
	cg_ptrace_settle(s, t);
	cg_stat_inc(CG_S_ADOPTED);
	return s;
}

/*
 * What a child may differ from its parent in: copy_creds() and
 * copy_namespaces() (a new user namespace with full capabilities in it,
 * new namespaces), copy_fs_struct() (its own fs_struct; a new mount
 * namespace moves its root and cwd).
 */
#define CG_FORK_ALLOWED \
	(CG_M(CG_F_NSPROXY) | CG_P_USERNS_CHILD | CG_M(CG_F_FS) | CG_M_FS_PATHS)

static bool cg_fork_disallowed(const struct cg_shadow *ps,
			       const struct cg_vals *cv,
			       const struct task_struct *child)
{
	return cg_policy_disallowed(cg_vals_diff(&ps->v, cv), CG_FORK_ALLOWED,
				    &ps->v, cv, child);
}

/*
 * A new task. If its parent's state is intact, the child's can only
 * differ in what CG_FORK_ALLOWED names. Anything else, or a tampered
 * parent, and the child keeps the parent's legitimate state; its first
 * return to user space then catches it.
 */
/*
 * Made by the kernel, never returning to user space: a kernel thread's
 * child, or a thread that copy_process() itself marked (an I/O worker of
 * a user task). A flag the child only inherited from a tracked parent was
 * forged on that parent (copy_process() clears PF_KTHREAD, not the
 * others): the child is a user task like its parent.
 */
static bool cg_fork_kernel_child(const struct task_struct *parent,
				 const struct cg_shadow *ps,
				 const struct task_struct *child)
{
	unsigned int f = child->flags & CG_PF_NOT_USER;

	return ps ? f & ~(parent->flags & CG_PF_NOT_USER) : f;
}

void cg_fork(struct task_struct *parent, struct task_struct *child)
{
	struct cg_shadow *s, *ps;
	struct cg_vals cv;

	ps = cg_shadow_find(parent);
	if (ps && (ps->flags & CG_SF_PENDING))
		ps = NULL;
	if (cg_fork_kernel_child(parent, ps, child))
		return;
	cg_ensure_syscall_tracing(child);
	s = cg_shadow_alloc();
	if (!s) {
		cg_stat_inc(CG_S_TRACK_FAILED);
		return;
	}
	s->task = child;
	/*
	 * Its first return to user space ends the parent's clone: nothing
	 * explains a change after the values judged here.
	 */
	s->nr = ps ? ps->nr : U16_MAX;
	s->abi = ps ? ps->abi : 0;
	s->in_call = 1;

	if (!ps && (parent->flags & CG_PF_NOT_USER)) {
		s->flags = CG_SF_PENDING;
		goto insert;
	}
	cg_vals_live(&cv, child);
	if (!ps) {
		cg_shadow_set(s, child);
		goto insert;
	}
	if (cg_task_clean(ps, parent) && !cg_fork_disallowed(ps, &cv, child)) {
		cg_shadow_set_vals(s, rcu_dereference_raw(child->real_cred),
				   READ_ONCE(child->nsproxy), &cv);
		goto insert;
	}
	cg_shadow_copy(s, ps);
	/*
	 * Whatever the parent did, a child without CLONE_FS has an fs_struct
	 * of its own (a copy): its root and cwd are judged, not the object.
	 */
	if (READ_ONCE(child->fs) != READ_ONCE(parent->fs))
		s->v.w[CG_W_FS] = (unsigned long)READ_ONCE(child->fs);

insert:
	/* Traced from birth: by its parent's tracer (ptrace_init_task()). */
	if (unlikely(READ_ONCE(child->ptrace)) && ps)
		cg_ptrace_inherit(s, ps);
	if (cg_shadow_insert(s, true)) {
		cg_shadow_drop_refs(s);
		cg_shadow_free(s);
		return;
	}
	cg_ptrace_settle(s, child);
}
