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

void cg_policy_init(void);

/* Fields (and CG_P_* rules) syscall @nr of @abi may change. */
cg_mask_t cg_policy_allowed(int nr, enum cg_abi abi);

/*
 * The changed fields no rule explains; 0 when the change is legitimate.
 * @t is the task whose state changed (for what its threads explain).
 */
cg_mask_t cg_policy_disallowed(cg_mask_t changed, cg_mask_t allowed,
			       const struct cg_vals *old,
			       const struct cg_vals *new,
			       const struct task_struct *t);

#endif /* CG_POLICY_H */
