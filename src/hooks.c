// SPDX-License-Identifier: GPL-2.0
/*
 * The hooks: raw_syscalls sys_enter/sys_exit (every syscall boundary),
 * sched_process_fork/exit (the life of a shadow entry) and a return
 * probe on commit_creds (to name the kernel path behind a change).
 *
 * Every probe runs with preemption disabled, which is also an RCU
 * read-side critical section: the kernel's tracepoints used to call them
 * so, newer ones do not (faultable syscall tracepoints, SRCU-protected
 * others), so the probes make sure of it themselves (compat.h). The fast
 * path takes no lock, writes no shared cache line and only bumps a
 * per-CPU counter.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/tracepoint.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/string.h>

#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/task_work.h>
#include <asm/irq_regs.h>

#include "hooks.h"
#include "check.h"
#include "compat.h"
#include "arch.h"
#include "fs.h"
#include "policy.h"
#include "group.h"
#include "rules.h"

/* Set while the syscall probes are attached (cg_trace_check()). */
static bool cg_trace_guard __read_mostly;

/* The syscall being entered, as recorded in the shadow (one word). */
static __always_inline union cg_call
cg_call_at_entry(const struct pt_regs *regs, long id)
{
	long nr = cg_arch_nr(id);
	union cg_call c = {
		/* Out of range (a forged or invalid number): none. */
		.nr = (unsigned long)nr < U16_MAX ? nr : U16_MAX,
		.abi = cg_arch_abi(regs),
		.in_call = 1,
	};

	return c;
}

/*
 * A special syscall's entry (cg_policy_special()): the arguments its
 * value rule needs; with checks=full, an exit that compares everything
 * when it may change state that is otherwise compared at entry only.
 */
static noinline void cg_record_special(struct cg_shadow *s,
				       struct pt_regs *regs, union cg_call c,
				       enum cg_where where)
{
	cg_mask_t allowed = cg_policy_allowed(c.nr, c.abi);
	unsigned int rule = cg_rule_of(allowed);

	if (rule)
		cg_rules_record(s, regs, rule);
	if (unlikely(allowed & CG_P_PTRACE) &&
	    cg_ptrace_enter(s, regs, c.nr, c.abi, where == CG_AT_ENTRY))
		cg_arch_skip_syscall(regs, -EPERM);
	if (where == CG_AT_ENTRY && cg_policy_exit_full(allowed))
		cg_shadow_exit_full(s);
}

/*
 * Record syscall @c at its entry (its exit is judged by it); @use: it may
 * use the state syscalls use.
 */
static __always_inline void cg_record(struct cg_shadow *s, struct pt_regs *regs,
				      union cg_call c, bool use,
				      enum cg_where where)
{
	s->call = c.word;
	if (!use)
		return;
	s->use_nr = c.nr;
	s->use_abi = c.abi;
	if (unlikely(cg_policy_special(c.nr, c.abi)))
		cg_record_special(s, regs, c, where);
}

/*
 * The slow paths take the syscall's registers from the task: they are
 * the ones the tracepoint passed (a syscall from user space).
 *
 * Every entry the fast path does not finish: the task's entry (@s, or
 * looked up when the lookup cache missed), the checks of @where, the id
 * maps, then this syscall recorded. Out of line, so that the fast path
 * keeps nothing live across a call.
 */
static noinline void cg_enter_slow(struct cg_shadow *s, long id,
				   enum cg_where where)
{
	struct task_struct *t = current;
	struct pt_regs *regs = task_pt_regs(t);
	union cg_call c = cg_call_at_entry(regs, id);
	int nr = cg_arch_nr(id);
	bool use = !cg_policy_light(c.nr, c.abi);

	if (!s)
		s = cg_shadow_find_fill(t);
	if (!s) {
		/* Its exit is judged by this syscall, never by its registers. */
		s = cg_adopt(t);
		if (s)
			cg_record(s, regs, c, use, where);
		return;
	}
	/* Judged by the previous syscalls' rules. */
	if (!cg_task_clean_entry(s, t, use) &&
	    cg_check_slow(s, where, 0, nr, c.abi))
		cg_arch_skip_syscall(regs, -EPERM);
	/* Outside the initial user namespace: its id maps (idmap.c). */
	if (use && cg_in_child_userns(s))
		cg_check_idmap(s, nr, c.abi);
	if (use && s->frec && cg_check_filters(s, nr, c.abi))
		cg_arch_skip_syscall(regs, -EPERM);
	cg_record(s, regs, c, use, where);
}

/*
 * The entry of a syscall that may use paths, namespaces or groups (or of
 * another ABI): the rest of the fast path, out of line.
 */
static noinline void cg_enter_use(struct cg_shadow *s, long id,
				  enum cg_where where)
{
	struct pt_regs *regs = task_pt_regs(current);
	union cg_call c = cg_call_at_entry(regs, id);
	bool use = !cg_policy_light(c.nr, c.abi);

	if (use && (unlikely(!cg_task_clean_use(s, current)) ||
		    unlikely(cg_in_child_userns(s)))) {
		cg_enter_slow(s, id, where);
		return;
	}
	/* Under seccomp: its filters, as installed (filters.c). */
	if (use && unlikely(s->frec) &&
	    cg_check_filters(s, cg_arch_nr(id), c.abi))
		cg_arch_skip_syscall(regs, -EPERM);
	cg_record(s, regs, c, use, where);
}

/*
 * The fast path: nothing changed, the syscall is recorded. @where: how a
 * change found here is judged (checks=full: at entry; checks=entry: as
 * the previous syscall's deferred exit).
 */
static __always_inline void cg_sys_enter(long id, enum cg_where where)
{
	struct task_struct *t = current;
	struct cg_shadow *s;

	cg_stat_inc(CG_S_SYSCALLS);
	s = cg_shadow_cache_get();
	if (unlikely(s->task != t)) {
		cg_enter_slow(NULL, id, where);
		return;
	}
	if (unlikely(!cg_task_clean_call(s, t))) {
		cg_enter_slow(s, id, where);
		return;
	}
	if (unlikely(!cg_arch_native_entry() || !cg_policy_light_native(id))) {
		cg_enter_use(s, id, where);
		return;
	}
	/* A light syscall of the native ABI: @id (< CG_LIGHT_MAX) is its number. */
	s->call = cg_call_native(id);
}

static void cg_probe_sys_enter(void *data, struct pt_regs *regs, long id)
{
	cg_syscall_probe_begin();
	cg_sys_enter(id, CG_AT_ENTRY);
	cg_syscall_probe_end();
}

/*
 * An exit the fast path does not finish (@s: NULL when not cached). After
 * a syscall that may change the state syscalls use, everything is
 * compared (CG_SF_EXIT_FULL: the lookup cache never holds such an entry,
 * so its exit comes here).
 */
static noinline void cg_exit_slow(struct cg_shadow *s)
{
	struct task_struct *t = current;
	bool clean;

	if (!s)
		s = cg_shadow_find_fill(t);
	if (!s) {
		cg_adopt(t);
		return;
	}
	if (unlikely(s->flags & CG_SF_EXIT_FULL)) {
		s->flags &= ~CG_SF_EXIT_FULL;
		clean = cg_task_clean(s, t);
	} else {
		clean = cg_task_clean_exit(s, t);
	}
	if (!clean)
		cg_check_slow(s, CG_AT_EXIT, 0, 0, 0);
	if (unlikely(s->flags & CG_SF_PTRACE))
		cg_ptrace_exit(s, task_pt_regs(t));
	s->in_call = 0;
}

static __always_inline void cg_sys_exit(void)
{
	struct task_struct *t = current;
	struct cg_shadow *s;

	s = cg_shadow_cache_get();
	if (unlikely(s->task != t)) {
		cg_exit_slow(NULL);
		return;
	}
	if (unlikely(!cg_task_clean_exit(s, t))) {
		cg_exit_slow(s);
		return;
	}
	s->in_call = 0;
}

static void cg_probe_sys_exit(void *data, struct pt_regs *regs, long ret)
{
	cg_syscall_probe_begin();
	cg_sys_exit();
	cg_syscall_probe_end();
}

/*
 * checks=entry: no exit probe. Each entry first judges what changed since
 * the previous entry against the previous syscall's rules (the deferred
 * exit check), then records this syscall for the next one.
 */
static void cg_probe_sys_enter_lite(void *data, struct pt_regs *regs, long id)
{
	cg_syscall_probe_begin();
	cg_sys_enter(id, CG_AT_NEXT_ENTRY);
	cg_syscall_probe_end();
}

/*
 * Task-word bits that act between syscalls, light ones included: a
 * suspended seccomp (PT_SUSPEND_SECCOMP) and the ftrace recursion bits
 * (every ftrace-based kprobe skips the task). Set while the task's entry
 * does not have them: not yet judged.
 */
#define CG_TW_BETWEEN (BIT_ULL(CG_TW_SUSPEND) | BIT_ULL(CG_TW_TREC))

static bool cg_between_unjudged(const struct task_struct *t,
				const struct cg_shadow *s)
{
	return cg_task_word(t) & ~s->v.w[CG_W_TASK] & CG_TW_BETWEEN;
}

static __always_inline bool cg_between_set(const struct task_struct *t)
{
	return (READ_ONCE(t->ptrace) & PT_SUSPEND_SECCOMP) || cg_trace_rec(t);
}

/*
 * Runs in the task itself on its way back to user space, before its next
 * user instruction: judge what was found (cg_check_soon()).
 */
static void cg_trace_work(struct callback_head *cb)
{
	struct cg_shadow *s;

	preempt_disable();
	s = cg_shadow_find(current);
	if (s && ((s->flags & CG_SF_TRACE_CLEARED) ||
		  cg_between_unjudged(current, s)))
		cg_check_slow(s, CG_AT_SCHED, 0, 0, 0);
	cg_shadow_free((struct cg_shadow *)cb);
	preempt_enable();
	module_put(THIS_MODULE);
}

/*
 * Task work makes @t take the slow path before it returns to user space
 * (its next syscall entry might be a light one, or come late). Neither
 * the scheduler (runqueue lock held) nor a hard interrupt can apply a
 * remedy itself.
 */
static void cg_check_soon(struct task_struct *t)
{
	struct callback_head *cb;

	/* Maybe under the runqueue lock: nothing here may wake a task. */
	cb = (struct callback_head *)cg_shadow_alloc_pooled();
	if (!cb || !try_module_get(THIS_MODULE))
		goto no_work;
	init_task_work(cb, cg_trace_work);
	if (!task_work_add(t, cb, TWA_RESUME))
		return;
	module_put(THIS_MODULE);
no_work:
	if (cb)
		cg_shadow_free((struct cg_shadow *)cb);
}

/*
 * A tracked task whose syscall-tracepoint work bit is clear would run
 * every later syscall unseen. Nothing legitimate clears it while our
 * probes are attached, so wherever that is found (a context switch, a
 * tick that interrupted user mode) the bit is set again, the saved copy
 * flipped so that the slow path sees and reports the bit as found, and
 * the task takes that slow path soon. @t is on this CPU and not inside
 * our code.
 */
static noinline void cg_trace_found_cleared(struct task_struct *t)
{
	struct cg_shadow *s;

	if (is_idle_task(t))
		return;
	s = cg_shadow_find(t);
	if (!s)
		return;
	cg_ensure_syscall_tracing(t);
	if (s->flags & (CG_SF_TRACE_CLEARED | CG_SF_PENDING))
		return;
	s->v.w[CG_W_WORK] ^= BIT_ULL(CG_TW_TRACE);
	s->flags |= CG_SF_TRACE_CLEARED;
	cg_check_soon(t);
}

/*
 * A suspended seccomp acts at every syscall entry, and ftrace recursion
 * bits blind our kprobes at any time, the light syscalls included, which
 * do not compare the task word: found at a switch or a tick before the
 * task's entry has them, they are judged before its next user
 * instruction (a privileged tracer's suspension is then taken, and not
 * looked at again).
 */
static noinline void cg_between_found(struct task_struct *t)
{
	struct cg_shadow *s;

	if (is_idle_task(t))
		return;
	s = cg_shadow_find(t);
	if (s && !(s->flags & CG_SF_PENDING) && cg_between_unjudged(t, s))
		cg_check_soon(t);
}

static __always_inline void cg_trace_check(struct task_struct *t)
{
	if (unlikely(!cg_trace_armed(t)) && READ_ONCE(cg_trace_guard))
		cg_trace_found_cleared(t);
	else if (unlikely(cg_between_set(t)))
		cg_between_found(t);
}

/* checks=none: the floor any syscall-boundary design pays. */
static void cg_probe_nop_enter(void *data, struct pt_regs *regs, long id)
{
}

static void cg_probe_nop_exit(void *data, struct pt_regs *regs, long ret)
{
}

/* Rare events: they disable preemption whatever the kernel did. */
static void cg_probe_fork(void *data, struct task_struct *parent,
			  struct task_struct *child)
{
	preempt_disable();
	cg_fork(parent, child);
	preempt_enable();
}

/* A new task on this CPU: forget the previous one's entry. */
static void cg_probe_switch(void *data, bool preempt, struct task_struct *prev,
			    struct task_struct *next, unsigned int prev_state)
{
	cg_lookup_cache_clear();
	cg_trace_check(prev);
	cg_trace_check(next);
}

/* Every timer interrupt that interrupted user mode. */
static void cg_probe_tick(void *data, struct hrtimer *timer, ktime_t *now)
{
	struct pt_regs *regs = get_irq_regs();

	if (in_hardirq() && regs && user_mode(regs))
		cg_trace_check(current);
}

/*
 * Whatever its flags say (a user task may set PF_KTHREAD on itself to
 * look untracked), an entry goes with its task.
 */
static void cg_probe_exit(void *data, struct task_struct *p)
{
	struct cg_shadow *s;

	preempt_disable();
	cg_lookup_cache_clear(); /* p is current */
	s = cg_shadow_unhash(p);
	if (s)
		cg_shadow_release(s);
	cg_group_task_exit(p);
	preempt_enable();
}

/* commit_creds(): remember who called it, judge the result. */
static int cg_commit_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	bool tracked;

	/* No return probe for untracked (kernel) tasks, by entry not flags. */
	preempt_disable();
	tracked = cg_shadow_find(current);
	preempt_enable();
	if (!tracked)
		return 1;
	*(unsigned long *)ri->data = cg_arch_probe_caller(regs);
	return 0;
}

static int cg_commit_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct task_struct *t = current;
	struct cg_shadow *s;

	preempt_disable();
	s = cg_shadow_find(t);
	if (s && !cg_task_clean(s, t))
		cg_check_slow(s, CG_AT_COMMIT, *(unsigned long *)ri->data, 0,
			      0);
	preempt_enable();
	return 0;
}

static struct kretprobe cg_commit_probe = {
	.kp.symbol_name = "commit_creds",
	.entry_handler = cg_commit_entry,
	.handler = cg_commit_ret,
	.data_size = sizeof(unsigned long),
};

struct cg_tp {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool registered;
};

/* In the order they are attached; detached in reverse. */
enum {
	CG_TP_SWITCH,
	CG_TP_EXIT,
	CG_TP_SYS_EXIT,
	CG_TP_SYS_ENTER,
	CG_TP_FORK,
	CG_TP_TICK,
	CG_TP_NR
};

static struct cg_tp cg_tps[CG_TP_NR] = {
	[CG_TP_SWITCH] = { "sched_switch", cg_probe_switch },
	[CG_TP_FORK] = { "sched_process_fork", cg_probe_fork },
	[CG_TP_EXIT] = { "sched_process_exit", cg_probe_exit },
	[CG_TP_SYS_ENTER] = { "sys_enter", cg_probe_sys_enter },
	[CG_TP_SYS_EXIT] = { "sys_exit", cg_probe_sys_exit },
	[CG_TP_TICK] = { "hrtimer_expire_entry", cg_probe_tick },
};

static void cg_find_tp(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < CG_TP_NR; i++)
		if (!strcmp(tp->name, cg_tps[i].name))
			cg_tps[i].tp = tp;
}

static int cg_tp_register(int i)
{
	int ret = cg_fault(cg_tps[i].name) ?
			  -EINVAL :
			  tracepoint_probe_register(cg_tps[i].tp,
						    cg_tps[i].probe, NULL);

	if (ret)
		pr_err("cannot attach to tracepoint %s: %d\n", cg_tps[i].name,
		       ret);
	else
		cg_tps[i].registered = true;
	return ret;
}

static void cg_tp_unregister_all(void)
{
	int i;

	for (i = CG_TP_NR - 1; i >= 0; i--) {
		if (!cg_tps[i].registered)
			continue;
		tracepoint_probe_unregister(cg_tps[i].tp, cg_tps[i].probe,
					    NULL);
		cg_tps[i].registered = false;
	}
	/* No probe of ours is running or will run after this. */
	tracepoint_synchronize_unregister();
}

unsigned long cg_hooks_commit_missed(void)
{
	return cg_commit_probe.nmissed;
}

int cg_hooks_init(void)
{
	int i, ret;

	switch (cg_checks) {
	case CG_CHECKS_ENTRY:
		cg_tps[CG_TP_SYS_ENTER].probe = cg_probe_sys_enter_lite;
		cg_tps[CG_TP_SYS_EXIT].probe = NULL;
		break;
	case CG_CHECKS_NONE:
		cg_tps[CG_TP_SYS_ENTER].probe = cg_probe_nop_enter;
		cg_tps[CG_TP_SYS_EXIT].probe = cg_probe_nop_exit;
		break;
	default:
		break;
	}

	for_each_kernel_tracepoint(cg_find_tp, NULL);
	for (i = 0; i < CG_TP_NR; i++) {
		if (!cg_tps[i].tp || cg_fault("find_tracepoint")) {
			pr_err("kernel has no tracepoint %s\n", cg_tps[i].name);
			return -ENOENT;
		}
	}

	/*
	 * Removal first: from then on no entry can outlive its task. Then
	 * the boundary checks, exit before entry: they adopt any task they
	 * see without an entry, and once an entry exists its task's
	 * legitimate changes must always be judged at the syscall's exit.
	 * Then the fork hook and the commit_creds probe, and last the walk
	 * over the tasks that already exist (it skips those a hook got to
	 * first).
	 */
	for (i = 0; i < CG_TP_NR; i++) {
		if (!cg_tps[i].probe)
			continue;
		ret = cg_tp_register(i);
		if (ret)
			goto err;
	}

	cg_commit_probe.maxactive = max_t(int, 64, 8 * num_possible_cpus());
	ret = cg_fault("commit_creds") ? -EINVAL :
					 register_kretprobe(&cg_commit_probe);
	if (ret) {
		pr_err("cannot probe commit_creds: %d\n", ret);
		goto err;
	}

	ret = cg_shadow_snapshot_all();
	if (ret)
		goto err_kretprobe;
	WRITE_ONCE(cg_trace_guard, true);
	return 0;

err_kretprobe:
	unregister_kretprobe(&cg_commit_probe);
err:
	cg_tp_unregister_all();
	return ret;
}

void cg_hooks_exit(void)
{
	/* Detaching the syscall probes clears every task's bit. */
	WRITE_ONCE(cg_trace_guard, false);
	synchronize_rcu();
	unregister_kretprobe(&cg_commit_probe);
	cg_tp_unregister_all();
}
