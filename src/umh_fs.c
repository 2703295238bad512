// SPDX-License-Identifier: GPL-2.0
/*
 * The root and cwd a usermode helper starts from.
 *
 * A helper is forked from a kworker, which shares init_fs with every
 * kernel thread and, until it unshares, with PID 1; the helper's path
 * ("/sbin/modprobe", a core pipe's program) is looked up from that root.
 * Two words written into init_fs (its root, at a tree the exploit owns)
 * make the kernel run the exploit's program as root under a legitimate
 * name. At every helper the live root and cwd of init_fs must be the
 * legitimate ones: those in PID 1's entry while PID 1 shares init_fs (its
 * chroot() and pivot_root() are vouched for there, fs.c), else those
 * recorded at load (kernel threads do not move them after boot). On a
 * mismatch the helper is refused and the values are put back (restore,
 * kill), or the live values become the record (log).
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/fs_struct.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>

#include "umh_int.h"
#include "compat.h"
#include "shadow.h"

/* The load-time values, or the last accepted in log mode (cg_umh_lock). */
static struct cg_fs_words cg_init_fs_rec;

static struct fs_struct *cg_init_fs(void)
{
	return init_task.fs;
}

static void cg_fs_words_read(struct cg_fs_words *d, const struct fs_struct *fs)
{
	d->w[0] = (unsigned long)READ_ONCE(fs->root.mnt);
	d->w[1] = (unsigned long)READ_ONCE(fs->root.dentry);
	d->w[2] = (unsigned long)READ_ONCE(fs->pwd.mnt);
	d->w[3] = (unsigned long)READ_ONCE(fs->pwd.dentry);
}

/* PID 1's legitimate values, if it shares init_fs and is tracked. */
static bool cg_init_fs_pid1(struct cg_fs_words *d)
{
	struct task_struct *init = READ_ONCE(init_pid_ns.child_reaper);
	const struct cg_shadow *s = init ? cg_shadow_find(init) : NULL;

	if (!s || s->v.w[CG_W_FS] != (unsigned long)cg_init_fs())
		return false;
	d->w[0] = s->v.w[CG_W_FS_ROOT_MNT];
	d->w[1] = s->v.w[CG_W_FS_ROOT];
	d->w[2] = s->v.w[CG_W_FS_PWD_MNT];
	d->w[3] = s->v.w[CG_W_FS_PWD];
	return true;
}

void cg_umh_fs_record(void)
{
	cg_fs_words_read(&cg_init_fs_rec, cg_init_fs());
}

/* Lock held. Are init_fs's live values (@p->live) the legitimate ones? */
bool cg_umh_fs_intact(struct cg_fs_words_pair *p)
{
	cg_fs_words_read(&p->live, cg_init_fs());
	if (!memcmp(&p->live, &cg_init_fs_rec, sizeof(p->live))) {
		p->legit = cg_init_fs_rec;
		return true;
	}
	if (!cg_init_fs_pid1(&p->legit))
		p->legit = cg_init_fs_rec;
	return !memcmp(&p->live, &p->legit, sizeof(p->live));
}

/* Lock held. Log mode: the live values are the reference now. */
void cg_umh_fs_accept(const struct cg_fs_words_pair *p)
{
	cg_init_fs_rec = p->live;
}

/* Lock held. The legitimate values back into init_fs. */
void cg_umh_fs_put_back(const struct cg_fs_words_pair *p)
{
	struct fs_struct *fs = cg_init_fs();

	cg_fs_lock(fs);
	cg_put_back(fs->root.mnt, p->legit.w[0]);
	cg_put_back(fs->root.dentry, p->legit.w[1]);
	cg_put_back(fs->pwd.mnt, p->legit.w[2]);
	cg_put_back(fs->pwd.dentry, p->legit.w[3]);
	cg_fs_unlock(fs);
}

static unsigned long cg_ino(u64 dentry)
{
	const struct dentry *d = (const void *)(unsigned long)dentry;
	const struct inode *i = d ? READ_ONCE(d->d_inode) : NULL;

	return i ? i->i_ino : 0;
}

/* For the report: the legitimate values, and those found (inodes). */
void cg_umh_fs_describe(const struct cg_fs_words_pair *p, char *buf, size_t len)
{
	scnprintf(buf, len, "root=%lu cwd=%lu, found root=%lu cwd=%lu",
		  cg_ino(p->legit.w[1]), cg_ino(p->legit.w[3]),
		  cg_ino(p->live.w[1]), cg_ino(p->live.w[3]));
}
