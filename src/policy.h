/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table of legitimate credential changes.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_POLICY_H
#define CG_POLICY_H

#include "credguard.h"

#define CG_M_FIELDS (CG_M(CG_F_NR) - 1)
/* The user namespace may become a child of the old one (unshare, clone). */
#define CG_P_USERNS_CHILD (1U << 24)
/* ... or any strict descendant of it (setns). */
#define CG_P_USERNS_DESC (1U << 25)

static_assert(CG_F_NR < 24);

/* Fields (and CG_P_* rules) syscall @nr of @abi may change. */
u32 cg_policy_allowed(int nr, enum cg_abi abi);

/* The changed fields no rule explains; 0 when the change is legitimate. */
u32 cg_policy_disallowed(u32 changed, u32 allowed, const struct cg_vals *old,
			 const struct cg_vals *new);

#endif /* CG_POLICY_H */
