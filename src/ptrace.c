// SPDX-License-Identifier: GPL-2.0
/*
 * Who traces a tracked task. A traced exec keeps a set-id or capability
 * gain only when its tracer may ptrace the result; the kernel asks the
 * tracer's cred saved at attach (task->ptracer_cred) and finds the tracer
 * through task->parent: two writable words, either of which an exploit
 * points at init's to exec a set-uid file under its own ptrace. Here the
 * tracer is recorded when the link is made, from the tracer's shadow:
 *
 *  - ptrace(PTRACE_ATTACH or PTRACE_SEIZE, pid): at its entry, if the
 *    target is not traced yet (so that an exec racing with the attach
 *    finds the record), and again at its exit once the target's parent is
 *    the caller (checks=full);
 *  - ptrace(PTRACE_TRACEME): the caller's own credentials. The kernel
 *    takes its real parent's, a pointer as writable as the others; a
 *    parent with more privilege than the child it debugs is the one case
 *    this judges more strictly than the kernel (docs/rules.md);
 *  - a child traced from birth: its parent's record;
 *  - a task adopted at load: its ptracer_cred as it is then.
 *
 * Whether the task is traced at all is the kernel's ptrace word, or the
 * link itself: probes on __ptrace_link() and __ptrace_unlink() keep
 * @tracer.linked, so that clearing the word across an exec (and pointing
 * ptracer_cred at a privileged cred, which the kernel asks) does not make
 * the exec look untraced. A new entry (fork, load) takes the bit from the
 * word once it is visible in the table (cg_ptrace_settle()); the unlink
 * clears it at its return, once the word is clear. A full barrier on each
 * side between its write (the table, the word) and its read (the word,
 * the table) means that one of the two sees the other's write, and the
 * lock orders their writes of the bit: an entry made while a link goes
 * away cannot keep the bit set.
 *
 * The bit also answers a link forged after the fact: a ptrace() request
 * on a stopped tracee whose word is set and whose parent is the caller,
 * with the bit clear, uses a link the kernel never made
 * (cg_link_forged()). And the record says whether the tracer may suspend
 * the task's seccomp (PTRACE_O_SUSPEND_SECCOMP): @tracer.admin, cleared
 * at the unlink's entry.
 *
 * A record outlives its link: it is read only while the task is traced,
 * and every way to become traced writes it first. Writers are the tracer
 * (another task) and the task's own fork; the reader is the task's exec
 * judgement: cg_tracer_lock, a raw spinlock (hook context, PREEMPT_RT),
 * makes the record one value. Hook context: RCU-sched read side.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/kprobes.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <asm/syscall.h>

#include "ptrace.h"
#include "check.h"
#include "rules.h"
#include "shadow.h"

static DEFINE_RAW_SPINLOCK(cg_tracer_lock);

/*
 * Both probes are placed: only then may the bit be set (without the
 * unlink probe nothing would clear it, and a detached task would be
 * judged as traced for good).
 */
static bool cg_link_live __ro_after_init;

/* The record only: whether the task is linked is the probes' to say. */
static void cg_tracer_put(struct cg_shadow *to, const struct cg_tracer *tr)
{
	unsigned long flags;
	bool linked;

	raw_spin_lock_irqsave(&cg_tracer_lock, flags);
	linked = to->tracer.linked;
	to->tracer = *tr;
	to->tracer.linked = linked;
	raw_spin_unlock_irqrestore(&cg_tracer_lock, flags);
}

static void cg_tracer_link(struct cg_shadow *s, bool linked)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&cg_tracer_lock, flags);
	s->tracer.linked = linked;
	raw_spin_unlock_irqrestore(&cg_tracer_lock, flags);
}

static struct cg_tracer cg_tracer_get(const struct cg_shadow *from)
{
	struct cg_tracer tr;
	unsigned long flags;

	raw_spin_lock_irqsave(&cg_tracer_lock, flags);
	tr = from->tracer;
	raw_spin_unlock_irqrestore(&cg_tracer_lock, flags);
	return tr;
}

/* The tracer that the task of @s is, by its legitimate credentials. */
static struct cg_tracer cg_tracer_of(const struct cg_shadow *s)
{
	u64 eff = cg_field_get(CG_F_CAP_EFF, &s->v);

	return (struct cg_tracer){
		.ns = cg_saved_userns(s),
		.cap = eff & BIT_ULL(CAP_SYS_PTRACE),
		.euid = cg_field_get(CG_F_EUID, &s->v),
		.known = true,
		.admin = cg_saved_userns(s) == &init_user_ns &&
			 (eff & BIT_ULL(CAP_SYS_ADMIN)) &&
			 !cg_field_get(CG_F_SECCOMP_MODE, &s->v) &&
			 !cg_field_get(CG_F_SECCOMP_SUSPEND, &s->v),
	};
}

/* The task that ptrace(@req, @pid) links to the caller, if any. RCU. */
static struct task_struct *cg_ptrace_target(u32 req, u32 pid)
{
	switch (req) {
	case PTRACE_TRACEME:
		return current;
	case PTRACE_ATTACH:
	case PTRACE_SEIZE:
		return pid_task(find_vpid((pid_t)pid), PIDTYPE_PID);
	default:
		return NULL;
	}
}

/* Record @tracer (the caller's shadow) as the tracer of @t. RCU. */
static void cg_ptrace_record(struct task_struct *t,
			     const struct cg_shadow *tracer)
{
	struct cg_shadow *ts = t == current ? (struct cg_shadow *)tracer :
					      cg_shadow_find(t);
	struct cg_tracer tr = cg_tracer_of(tracer);

	if (ts)
		cg_tracer_put(ts, &tr);
}

/*
 * Is @t on @tracer's list of tracees, where every link the kernel makes
 * puts it (a kernel may inline __ptrace_link() into some callers, which
 * the link probe then does not see: 7.x does for PTRACE_TRACEME)? RCU: a
 * task is freed a grace period after it leaves the list. Bounded: an
 * entry unlinked under the walk points at itself.
 */
static bool cg_on_ptraced(const struct task_struct *tracer,
			  const struct task_struct *t)
{
	const struct list_head *head = &tracer->ptraced;
	const struct list_head *p = READ_ONCE(head->next);
	int i;

	for (i = 0; p != head && i < 4096; i++) {
		if (p == &t->ptrace_entry)
			return true;
		p = READ_ONCE(p->next);
	}
	return false;
}

/*
 * Is @t, the tracee of a ptrace() request by current, linked to current by
 * no __ptrace_link()? The kernel lets the request through when @t's word
 * is set, its parent is current and it is stopped in a ptrace stop
 * (ptrace_check_attach()). A tracee stops only once its link is made, and
 * the link probe sets the bit before __ptrace_link() writes the parent: a
 * real link is seen linked here (a running tracee is not judged: a
 * PTRACE_TRACEME of current's child may be half made). RCU.
 */
static bool cg_link_forged(struct task_struct *t)
{
	const struct cg_shadow *ts;

	if (!cg_link_live || t == current || !READ_ONCE(t->ptrace) ||
	    rcu_access_pointer(t->parent) != current || !task_is_traced(t))
		return false;
	smp_rmb(); /* the parent and the stop, then the bit (cg_link_pre()) */
	ts = cg_shadow_find(t);
	return ts && !cg_tracer_get(ts).linked && !cg_on_ptraced(current, t);
}

bool cg_ptrace_enter(struct cg_shadow *s, struct pt_regs *regs, int nr,
		     enum cg_abi abi, bool exit_probe)
{
	unsigned long a[6];
	struct task_struct *t;
	bool refuse = false;

	syscall_get_arguments(current, regs, a);
	rcu_read_lock();
	t = cg_ptrace_target(a[0], a[1]);
	if (t && !READ_ONCE(t->ptrace)) {
		cg_ptrace_record(t, s);
	} else if (!t) {
		t = pid_task(find_vpid((pid_t)a[1]), PIDTYPE_PID);
		refuse = t && cg_link_forged(t) &&
			 cg_link_violation(s, t, nr, abi);
		t = NULL;
	}
	rcu_read_unlock();
	if (!t || !exit_probe)
		return refuse;
	/* The arguments take the place of an earlier exec's record. */
	s->flags &= ~CG_SF_EXEC_ALL;
	s->args[0] = a[0];
	s->args[1] = a[1];
	s->flags |= CG_SF_PTRACE;
	cg_shadow_exit_full(s);
	return false;
}

void cg_ptrace_exit(struct cg_shadow *s, struct pt_regs *regs)
{
	struct task_struct *t;

	s->flags &= ~CG_SF_PTRACE;
	if (syscall_get_return_value(current, regs))
		return;
	rcu_read_lock();
	t = cg_ptrace_target(s->args[0], s->args[1]);
	if (t && READ_ONCE(t->ptrace) &&
	    (t == current || rcu_access_pointer(t->parent) == current))
		cg_ptrace_record(t, s);
	rcu_read_unlock();
}

void cg_ptrace_inherit(struct cg_shadow *child, const struct cg_shadow *parent)
{
	struct cg_tracer tr = cg_tracer_get(parent);

	cg_tracer_put(child, &tr);
}

void cg_ptrace_adopt(struct cg_shadow *s, const struct task_struct *t)
{
	struct cg_tracer tr = { .known = true };
	const struct cred *c;

	/* Untraced: the record is written when a link is made. */
	if (!READ_ONCE(t->ptrace))
		return;
	rcu_read_lock();
	c = rcu_dereference(t->ptracer_cred);
	if (c) {
		tr.ns = c->user_ns;
		tr.cap = cg_cap_word(&c->cap_effective) &
			 BIT_ULL(CAP_SYS_PTRACE);
		tr.euid = __kuid_val(c->euid);
		tr.admin = c->user_ns == &init_user_ns &&
			   (cg_cap_word(&c->cap_effective) &
			    BIT_ULL(CAP_SYS_ADMIN));
	} else {
		/* No cred: the kernel adds no restriction (ptracer_capable()). */
		tr.ns = &init_user_ns;
		tr.cap = true;
		tr.admin = true;
	}
	rcu_read_unlock();
	cg_tracer_put(s, &tr);
}

bool cg_ptrace_tracer_capable(const struct cg_shadow *s,
			      const struct user_namespace *ns)
{
	struct cg_tracer tr = cg_tracer_get(s);

	return tr.known && cg_ns_capable(tr.ns, KUIDT_INIT(tr.euid),
					 tr.cap ? BIT_ULL(CAP_SYS_PTRACE) : 0,
					 ns, CAP_SYS_PTRACE);
}

bool cg_ptrace_may_suspend(const struct task_struct *t)
{
	const struct cg_shadow *s = cg_shadow_find(t);
	struct cg_tracer tr;

	if (!s)
		return false;
	tr = cg_tracer_get(s);
	return tr.known && tr.admin;
}

bool cg_ptrace_traced(const struct cg_shadow *s)
{
	return READ_ONCE(current->ptrace) ||
	       !list_empty_careful(&current->ptrace_entry) ||
	       cg_tracer_get(s).linked;
}

void cg_ptrace_settle(struct cg_shadow *s, const struct task_struct *t)
{
	unsigned long flags;

	if (!cg_link_live)
		return;
	smp_mb(); /* the entry is in the table before the word is read */
	raw_spin_lock_irqsave(&cg_tracer_lock, flags);
	s->tracer.linked = READ_ONCE(t->ptrace);
	raw_spin_unlock_irqrestore(&cg_tracer_lock, flags);
}

/*
 * Probe context: the child's entry, if tracked (the kernel wrote the word
 * before either probe looks: ptrace_attach() and ptrace_traceme() set it
 * before the link, __ptrace_unlink() clears it before it returns).
 */
static struct cg_shadow *cg_link_entry(const struct task_struct *child)
{
	smp_mb(); /* the word is written before the table is read */
	return cg_shadow_find(child);
}

/* __ptrace_link(child, new_parent, ptracer_cred) */
static int cg_link_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct cg_shadow *s =
		cg_link_entry((void *)regs_get_kernel_argument(regs, 0));

	if (s)
		cg_tracer_link(s, true);
	smp_wmb(); /* the bit, then the parent (cg_link_forged()) */
	return 0;
}

/*
 * __ptrace_unlink(child); the child is only compared, never followed. At
 * its entry the record stops vouching for a suspended seccomp (a tracer
 * that attaches next sees the word clear only after this, and writes its
 * own record after it); at its return, with the word clear, the link is
 * gone.
 */
static int cg_unlink_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	const struct task_struct *child =
		(void *)regs_get_kernel_argument(regs, 0);
	struct cg_shadow *s = cg_link_entry(child);
	unsigned long flags;

	*(const struct task_struct **)ri->data = child;
	if (s) {
		raw_spin_lock_irqsave(&cg_tracer_lock, flags);
		s->tracer.admin = false;
		raw_spin_unlock_irqrestore(&cg_tracer_lock, flags);
	}
	smp_mb(); /* the record, then the word the unlink clears */
	return 0;
}

static int cg_unlink_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct cg_shadow *s =
		cg_link_entry(*(const struct task_struct **)ri->data);

	if (s)
		cg_tracer_link(s, false);
	return 0;
}

int cg_ptrace_unforge(struct task_struct *t)
{
	struct task_struct *rp;
	int i;

	/* On a tracer's list: the kernel's own unlink must undo it. */
	if (!list_empty_careful(&t->ptrace_entry))
		return -EBUSY;

	/*
	 * No tasklist_lock (not exported): the parent first (a task traced
	 * by its real parent is a state the kernel knows), then the word. A
	 * real parent that exits meanwhile reparents the task: read again.
	 */
	for (i = 0; i < 4; i++) {
		rp = rcu_dereference(t->real_parent);
		rcu_assign_pointer(t->parent, rp);
		smp_mb();
		if (rcu_access_pointer(t->real_parent) == rp) {
			WRITE_ONCE(t->ptrace, 0);
			return 0;
		}
	}
	return -EAGAIN;
}

void cg_ptrace_accept(struct task_struct *t)
{
	struct cg_shadow *s = cg_shadow_find(t);

	if (s)
		cg_tracer_link(s, true);
}

static struct kretprobe cg_unlink_probe = {
	.kp.symbol_name = "__ptrace_unlink",
	.entry_handler = cg_unlink_entry,
	.handler = cg_unlink_ret,
	.data_size = sizeof(struct task_struct *),
};

static struct kprobe cg_link_probe = {
	.symbol_name = "__ptrace_link",
	.pre_handler = cg_link_pre,
};

static bool cg_unlink_on, cg_link_on;

/*
 * The unlink first: a link seen with no unlink to undo it would make a
 * task look traced for good. Before the syscall hooks, so that every
 * entry they make (fork, load) reads the word with the probes live.
 */
void cg_ptrace_link_init(void)
{
	int ret;

	/* Unlinks run under tasklist_lock: one at a time, the rest spare. */
	cg_unlink_probe.maxactive = max_t(int, 16, 2 * num_possible_cpus());
	ret = cg_fault("ptrace_probe") ? -EINVAL :
					 register_kretprobe(&cg_unlink_probe);
	cg_unlink_on = !ret;
	if (!ret) {
		ret = register_kprobe(&cg_link_probe);
		cg_link_on = !ret;
	}
	if (ret) {
		pr_warn("cannot probe the ptrace link (%d): a traced exec is judged by the ptrace word and the tracers' lists\n",
			ret);
		cg_ptrace_link_exit();
		return;
	}
	cg_link_live = true;
}

void cg_ptrace_link_exit(void)
{
	if (cg_link_on)
		unregister_kprobe(&cg_link_probe);
	if (cg_unlink_on)
		unregister_kretprobe(&cg_unlink_probe);
	cg_link_on = false;
	cg_unlink_on = false;
}
