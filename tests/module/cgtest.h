/* SPDX-License-Identifier: GPL-2.0 */
/* cgtest: TEST ONLY. The primitives of cgtest_guard.c. */
#ifndef CGTEST_H
#define CGTEST_H

#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/kmemleak.h>
#include <linux/fs_struct.h>
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

/* fs_struct's lock and seqcount became one seqlock_t (6.15). */
#ifdef CGT_HAVE_FS_SEQLOCK
#define cgt_fs_lock(fs) write_seqlock(&(fs)->seq)
#define cgt_fs_unlock(fs) write_sequnlock(&(fs)->seq)
#else
#define cgt_fs_lock(fs)                           \
	do {                                      \
		spin_lock(&(fs)->lock);           \
		write_seqcount_begin(&(fs)->seq); \
	} while (0)
#define cgt_fs_unlock(fs)                       \
	do {                                    \
		write_seqcount_end(&(fs)->seq); \
		spin_unlock(&(fs)->lock);       \
	} while (0)
#endif

void cgt_zero_ids(struct cred *c);
void cgt_fs_to_init(bool root, bool pwd);
void cgt_seccomp_count(void);
/* -ENOENT when NAME is none of cgtest_guard.c's primitives. */
int cgt_guard_run(const char *name, bool has_arg, unsigned int arg);
void cgt_guard_exit(void);
/* cgtest_inside.c: -ENOIOCTLCMD when @buf is not its command. */
int cgt_inside_write(char *buf);
void cgt_inside_exit(void);

#endif
