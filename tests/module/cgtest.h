/* SPDX-License-Identifier: GPL-2.0 */
/* cgtest: TEST ONLY. The primitives of cgtest_guard.c. */
#ifndef CGTEST_H
#define CGTEST_H

#include <linux/cred.h>
#include <linux/errno.h>

void cgt_zero_ids(struct cred *c);
/* -ENOENT when NAME is none of cgtest_guard.c's primitives. */
int cgt_guard_run(const char *name, bool has_arg, unsigned int arg);
/* cgtest_inside.c: -ENOIOCTLCMD when @buf is not its command. */
int cgt_inside_write(char *buf);
void cgt_inside_exit(void);

#endif
