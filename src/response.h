/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Remedies: put the legitimate credentials back, kill the thread group.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_RESPONSE_H
#define CG_RESPONSE_H

#include "shadow.h"

int cg_restore(struct cg_shadow *s, struct task_struct *t, bool committed,
	       cg_mask_t changed, cg_mask_t bad);
int cg_kill(struct task_struct *t);

#endif /* CG_RESPONSE_H */
