/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slow path: what to make of a task whose credentials changed.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_CHECK_H
#define CG_CHECK_H

#include "shadow.h"

/*
 * @now_nr/@now_abi: at entry, the syscall being entered (named in the
 * report; the change is judged by the previous one, recorded in @s).
 */
bool cg_check_slow(struct cg_shadow *s, enum cg_where where,
		   unsigned long caller, int now_nr, enum cg_abi now_abi);
void cg_adopt(struct task_struct *t);
void cg_fork(struct task_struct *parent, struct task_struct *child);

#endif /* CG_CHECK_H */
