/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System call names, for reports.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_SYSCALLS_H
#define CG_SYSCALLS_H

#include "credguard.h"

void cg_syscalls_init(void);
const char *cg_syscall_name(int nr, enum cg_abi abi);

#endif /* CG_SYSCALLS_H */
