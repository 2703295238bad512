/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table of legitimate credential changes.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_POLICY_H
#define CG_POLICY_H

#include "credguard.h"

/* The user namespace may become a child of the old one (unshare, clone). */
#define CG_P_USERNS_CHILD BIT_ULL(56)
/* ... or any strict descendant of it (setns). */
#define CG_P_USERNS_DESC BIT_ULL(57)
/* The call may set a seccomp mode or filter (seccomp(), prctl()). */
#define CG_P_SECCOMP BIT_ULL(58)
/* The call may move every task's root and cwd (pivot_root()). */
#define CG_P_PIVOT BIT_ULL(59)
/* The call is an exec (a failure past its point of no return kills). */
#define CG_P_EXEC BIT_ULL(60)
/* The call may make the caller a tracer (ptrace(), ptrace.c). */
#define CG_P_PTRACE BIT_ULL(61)
/*
 * The call sets the root or cwd only through set_fs_root()/set_fs_pwd()
 * (or pivot_root()'s chroot_fs_refs()), whose probes vouch for the value
 * they set (fs.c): its exit explains no other value.
 */
#define CG_P_FS_VOUCH BIT_ULL(62)
/* Bits 50..55: the value rule of the call (enum cg_rule, rules.h). */
#define CG_P_RULE_SHIFT 50
#define CG_P_RULE_MAX 0x3f
#define CG_P_RULE(r) ((cg_mask_t)(r) << CG_P_RULE_SHIFT)
#define CG_P_RULE_MASK CG_P_RULE(CG_P_RULE_MAX)

static inline unsigned int cg_rule_of(cg_mask_t allowed)
{
	return (allowed & CG_P_RULE_MASK) >> CG_P_RULE_SHIFT;
}

/*
 * Syscalls that cannot use or change the state in CG_WORDS_USE (no path
 * lookup, no namespace, no group check, no exec): their entry skips it.
 */
#define CG_LIGHT_MAX 512
extern unsigned long cg_light_64[BITS_TO_LONGS(CG_LIGHT_MAX)];

static __always_inline bool cg_policy_light(int nr, enum cg_abi abi)
{
	return abi == CG_ABI_64 && (unsigned int)nr < CG_LIGHT_MAX &&
	       test_bit(nr, cg_light_64);
}

/*
 * The same for @id as the tracepoint passed it, when cg_arch_native_entry():
 * a number with an ABI bit in it (x32) is out of range, never light.
 */
static __always_inline bool cg_policy_light_native(long id)
{
	return (unsigned long)id < CG_LIGHT_MAX && test_bit(id, cg_light_64);
}

void cg_policy_init(void);

/* Fields (and CG_P_* rules) syscall @nr of @abi may change. */
cg_mask_t cg_policy_allowed(int nr, enum cg_abi abi);

/*
 * The 64-bit syscalls whose entry does more than record them: a value rule
 * (their arguments are recorded) or state that their exit compares too
 * (cg_policy_exit_full()).
 */
extern unsigned long cg_special_64[BITS_TO_LONGS(CG_LIGHT_MAX)];

/* Syscall @nr of @abi may be special (the other ABIs: look it up). */
static __always_inline bool cg_policy_special(int nr, enum cg_abi abi)
{
	return abi != CG_ABI_64 ||
	       ((unsigned int)nr < CG_LIGHT_MAX && test_bit(nr, cg_special_64));
}

/* The value rule of syscall @nr of @abi (0: none). */
static __always_inline unsigned int cg_policy_rule(int nr, enum cg_abi abi)
{
	if (!cg_policy_special(nr, abi))
		return 0;
	return cg_rule_of(cg_policy_allowed(nr, abi));
}

/*
 * A syscall allowed @allowed may change state that is otherwise compared
 * at entry only (CG_WORDS_USE: root, cwd, the fs_struct; the seccomp
 * words): its exit compares that too, so that nothing after it can pass
 * for its doing.
 */
static inline bool cg_policy_exit_full(cg_mask_t allowed)
{
	return allowed & (CG_M_USE | CG_P_SECCOMP);
}

/*
 * The changed fields no rule explains; 0 when the change is legitimate.
 * @t is the task whose state changed (for what its threads explain).
 */
cg_mask_t cg_policy_disallowed(cg_mask_t changed, cg_mask_t allowed,
			       const struct cg_vals *old,
			       const struct cg_vals *new,
			       const struct task_struct *t);

/*
 * @v's fs_struct, root and cwd are @t's legitimate ones: @legit's, those
 * a thread it shares them with holds or is setting, or where a
 * pivot_root() moved @legit's.
 */
bool cg_policy_fs_explained(const struct cg_vals *legit,
			    const struct cg_vals *v,
			    const struct task_struct *t);

#endif /* CG_POLICY_H */
