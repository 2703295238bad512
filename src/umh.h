/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The usermode helper guard: no program runs through
 * call_usermodehelper_exec() unless its path and argv are what was
 * configured through the legitimate interface.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_UMH_H
#define CG_UMH_H

int cg_umh_init(void);
void cg_umh_exit(void);

#endif /* CG_UMH_H */
