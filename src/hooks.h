/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where credguard attaches to the kernel.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_HOOKS_H
#define CG_HOOKS_H

int cg_hooks_init(void);
void cg_hooks_exit(void);
unsigned long cg_hooks_commit_missed(void);

#endif /* CG_HOOKS_H */
