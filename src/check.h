/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slow path: what to make of a task whose credentials changed.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_CHECK_H
#define CG_CHECK_H

#include "shadow.h"

void cg_check_slow(struct cg_shadow *s, int nr, enum cg_abi abi,
		   enum cg_where where, unsigned long caller);
void cg_adopt(struct task_struct *t);
void cg_fork(struct task_struct *parent, struct task_struct *child);

#endif /* CG_CHECK_H */
