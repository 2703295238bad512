/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slow path: what to make of a task whose credentials changed.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_CHECK_H
#define CG_CHECK_H

#include "shadow.h"

struct cg_idmap_diff;

/*
 * @now_nr/@now_abi: at entry, the syscall being entered (named in the
 * report; the change is judged by the previous one, recorded in @s).
 */
bool cg_check_slow(struct cg_shadow *s, enum cg_where where,
		   unsigned long caller, int now_nr, enum cg_abi now_abi);
void cg_check_idmap(struct cg_shadow *s, int now_nr, enum cg_abi now_abi);

/*
 * A capability check by current over a namespace whose record @d names a
 * forged owner or parent (capable.c): report it; kill and restore put the
 * record's values back (kill also kills current), log takes them.
 */
void cg_capable_violation(struct cg_shadow *s, const struct cg_idmap_diff *d);

/*
 * @tracee is linked to current as its tracer by no __ptrace_link(), found
 * at the entry of ptrace() @nr, @abi (ptrace.c): report it; kill and
 * restore undo the link (kill also kills current), log takes it as made.
 * Returns true when the request must not run. RCU.
 */
bool cg_link_violation(struct cg_shadow *s, struct task_struct *tracee, int nr,
		       enum cg_abi abi);
/*
 * The entry of syscall @nr, @abi, not a light one, of a task whose shadow
 * holds a filter record: its seccomp filters are as installed, else
 * report; kill and restore put their words back (kill also kills
 * current), log takes them. Returns true when the syscall must not run
 * (the filters that let it through were forged).
 */
bool cg_check_filters(struct cg_shadow *s, int nr, enum cg_abi abi);

struct cg_shadow *cg_adopt(struct task_struct *t);

/* The user namespace of @s's legitimate credentials (referenced there). */
static __always_inline struct user_namespace *
cg_saved_userns(const struct cg_shadow *s)
{
	return (struct user_namespace *)(unsigned long)s->v.w[CG_W_USERNS];
}

/* The task is outside the initial user namespace: its maps are compared. */
static __always_inline bool cg_in_child_userns(const struct cg_shadow *s)
{
	return s->v.w[CG_W_USERNS] != (unsigned long)&init_user_ns;
}
void cg_fork(struct task_struct *parent, struct task_struct *child);

#endif /* CG_CHECK_H */
