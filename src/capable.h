/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capabilities held over a user namespace from outside it (capable.c).
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_CAPABLE_H
#define CG_CAPABLE_H

/*
 * A probe on security_capable(). A kernel where it cannot be placed still
 * runs credguard: a forged owner is then found only at the boundaries of
 * the namespace's own tasks, and the log says so.
 */
void cg_capable_init(void);
void cg_capable_exit(void);

#endif /* CG_CAPABLE_H */
