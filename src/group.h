/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared state a thread group legitimately had (group.c).
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_GROUP_H
#define CG_GROUP_H

#include "guard.h"

enum cg_gkind {
	CG_GK_FS, /* the fs_struct pointer, root and cwd */
	CG_GK_SECCOMP, /* seccomp mode, filter count and chain */
	CG_GK_NR
};
#define CG_GK_MAXW 5

/* @v's words of kind @k were legitimate for @t's thread group. */
void cg_group_note(const struct task_struct *t, enum cg_gkind k,
		   const struct cg_vals *v, const struct task_struct *changer);
/* @new's words of kind @k are ones @t's thread group legitimately had. */
bool cg_group_explains(const struct task_struct *t, enum cg_gkind k,
		       const struct cg_vals *new);
void cg_group_task_exit(const struct task_struct *t);
void cg_group_exit(void);

#endif /* CG_GROUP_H */
