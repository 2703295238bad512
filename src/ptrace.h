/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who traces a tracked task, as recorded when the link was made
 * (ptrace.c).
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_PTRACE_H
#define CG_PTRACE_H

#include <linux/types.h>

#include "credguard.h"

struct cg_shadow;
struct pt_regs;
struct task_struct;
struct user_namespace;

/*
 * What a traced exec asks of its tracer: the credentials the tracer had
 * when it attached (the kernel's task->ptracer_cred), taken from the
 * tracer's shadow. Kept in the tracee's shadow, under cg_tracer_lock.
 */
struct cg_tracer {
	const struct user_namespace *ns; /* compared, never followed */
	u32 euid; /* kuid */
	bool known;
	bool cap; /* CAP_SYS_PTRACE in its effective set */
	/*
	 * The kernel linked the task to a tracer (__ptrace_link()) and has
	 * not unlinked it since (__ptrace_unlink()): written by those probes
	 * and, once a new entry is in the table, from the task's ptrace word
	 * (cg_ptrace_settle()); never by the record above.
	 */
	bool linked;
	/*
	 * The tracer may suspend the task's seccomp filters
	 * (PTRACE_O_SUSPEND_SECCOMP: CAP_SYS_ADMIN in the initial user
	 * namespace, no seccomp of its own). Cleared when the link goes, so
	 * that a record never vouches for a later suspension.
	 */
	bool admin;
};

/*
 * The entry of ptrace() (@s: the caller's shadow; @nr, @abi: as recorded):
 * PTRACE_ATTACH, _SEIZE and _TRACEME record the caller as the tracer of an
 * untraced target; @exit_probe: its exit will be judged (CG_SF_PTRACE),
 * and records it again once the link is made. Any other request on a
 * tracee linked to the caller by no __ptrace_link() is a violation
 * (cg_link_violation()); returns true when the request must not run.
 */
bool cg_ptrace_enter(struct cg_shadow *s, struct pt_regs *regs, int nr,
		     enum cg_abi abi, bool exit_probe);
void cg_ptrace_exit(struct cg_shadow *s, struct pt_regs *regs);

/* A traced child (PTRACE_O_TRACEFORK, CLONE_PTRACE): its parent's tracer. */
void cg_ptrace_inherit(struct cg_shadow *child, const struct cg_shadow *parent);

/*
 * A task adopted with its state (at load): if traced, its ptracer_cred as
 * it is.
 */
void cg_ptrace_adopt(struct cg_shadow *s, const struct task_struct *t);

/*
 * Does the tracer recorded for the task of @s hold CAP_SYS_PTRACE over
 * @ns? No record (a link no attach explains): no.
 */
bool cg_ptrace_tracer_capable(const struct cg_shadow *s,
			      const struct user_namespace *ns);

/*
 * @s, the entry of @t, was just put in the table (fork, load): the linked
 * bit from @t's ptrace word, ordered against the link probes.
 */
void cg_ptrace_settle(struct cg_shadow *s, const struct task_struct *t);

/*
 * May the tracer recorded for @t (current) have suspended its seccomp
 * filters? Only one that held CAP_SYS_ADMIN, until its link goes.
 */
bool cg_ptrace_may_suspend(const struct task_struct *t);

/*
 * Remedies for a forged link to @t (RCU): undo it (its parent is its real
 * parent again, its word clear; 0 or -EAGAIN), or take it as made (log
 * mode: reported once).
 */
int cg_ptrace_unforge(struct task_struct *t);
void cg_ptrace_accept(struct task_struct *t);

/*
 * Is the task of @s (current) traced? By its ptrace word, or by the link
 * the kernel made (the linked bit, or current on a tracer's list): an
 * exploit that clears the word across an exec does not make that exec
 * look untraced.
 */
bool cg_ptrace_traced(const struct cg_shadow *s);

/*
 * Probes on the kernel's link and unlink. A kernel where they cannot be
 * placed still runs credguard: a traced exec is judged by the ptrace word
 * and the tracers' lists (no linked bit), and the log says so.
 */
void cg_ptrace_link_init(void);
void cg_ptrace_link_exit(void);

#endif /* CG_PTRACE_H */
