/* SPDX-License-Identifier: GPL-2.0 */
/* cgtest: TEST ONLY. The primitives of cgtest_guard.c. */
#ifndef CGTEST_H
#define CGTEST_H

#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/kmemleak.h>
#include <linux/sched/task.h>

/*
 * A primitive drops the reference it replaces without a put, as a write
 * primitive would: restore mode puts it back; otherwise it is the
 * exploit's leak, which kmemleak (make sanitize) must not report.
 * @static_obj: the kernel's static object of that type (init_fs, ...),
 * unknown to kmemleak.
 */
/* The idle task's cred: init_cred, static (as are its groups). */
static inline const struct cred *cgt_idle_cred(void)
{
	return rcu_dereference_raw(init_task.cred);
}

static inline void cgt_dropped(const void *old, const void *static_obj)
{
	if (old && old != static_obj)
		kmemleak_not_leak(old);
}

void cgt_zero_ids(struct cred *c);
/* -ENOENT when NAME is none of cgtest_guard.c's primitives. */
int cgt_guard_run(const char *name, bool has_arg, unsigned int arg);
void cgt_guard_exit(void);
/* cgtest_inside.c: -ENOIOCTLCMD when @buf is not its command. */
int cgt_inside_write(char *buf);
void cgt_inside_exit(void);

#endif
