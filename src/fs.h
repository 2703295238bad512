/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Legitimate changes of shared root and cwd (fs.c).
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_FS_H
#define CG_FS_H

#include "guard.h"

int cg_fs_init(void);
void cg_fs_exit(void);

/* Root and cwd moved as a pivot_root() of the mount namespace moved them. */
bool cg_fs_pivot_explains(const struct cg_vals *old, const struct cg_vals *new);

#endif /* CG_FS_H */
