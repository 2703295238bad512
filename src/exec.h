/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An exec's credential step, as the kernel takes it (exec.c).
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_EXEC_H
#define CG_EXEC_H

#include <linux/types.h>

/* The probes on the credential step are attached (else no exec rule). */
extern bool cg_exec_on;

int cg_exec_init(void);
void cg_exec_exit(void);

#endif /* CG_EXEC_H */
