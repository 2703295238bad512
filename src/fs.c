// SPDX-License-Identifier: GPL-2.0
/*
 * Where a task's root and cwd legitimately come from.
 *
 * Threads share one fs_struct, so a chdir() in one moves the cwd of all,
 * and pivot_root() moves the root and cwd of every task of the mount
 * namespace that was at the old root. Those tasks see the change at their
 * next boundary with no syscall of theirs to explain it. The kernel
 * functions that make these changes are probed (set_fs_root(),
 * set_fs_pwd(), chroot_fs_refs()): when they run inside the system call
 * that may call them, the value they set becomes legitimate at once, in
 * the caller's shadow (which its threads consult) or, for pivot_root, in
 * a short list of root moves, and the exit of that call accepts no other
 * value (CG_P_FS_VOUCH). The same functions called from anywhere else (an
 * exploit calling set_fs_root(&init_fs->root)), or on a root or cwd that
 * was forged before the lookup, vouch for nothing.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/kprobes.h>
#include <linux/path.h>
#include <linux/spinlock.h>

#include "fs.h"
#include "shadow.h"
#include "policy.h"
#include "group.h"

/* Recent pivot_root() moves: old root -> new root. */
#define CG_PIVOTS 16

struct cg_pivot {
	u64 old_mnt, old_dentry, new_mnt, new_dentry;
};

static struct cg_pivot cg_pivots[CG_PIVOTS];
static unsigned int cg_pivot_next;
static DEFINE_RAW_SPINLOCK(cg_pivot_lock);

/* The current task's shadow, if its current syscall may change @mask. */
static struct cg_shadow *cg_fs_caller(cg_mask_t mask)
{
	struct cg_shadow *s = cg_shadow_find(current);

	if (!s || !(cg_policy_allowed(s->nr, s->abi) & mask))
		return NULL;
	return s;
}

/*
 * The root and cwd @fs has before the kernel sets one are legitimate: the
 * path it is about to set was looked up from them (chdir(".") from a
 * forged cwd vouches for nothing).
 */
static bool cg_fs_intact(const struct cg_shadow *s, const struct fs_struct *fs)
{
	struct cg_vals v;

	v.w[CG_W_FS] = (unsigned long)fs;
	v.w[CG_W_FS_ROOT_MNT] = (unsigned long)READ_ONCE(fs->root.mnt);
	v.w[CG_W_FS_ROOT] = (unsigned long)READ_ONCE(fs->root.dentry);
	v.w[CG_W_FS_PWD_MNT] = (unsigned long)READ_ONCE(fs->pwd.mnt);
	v.w[CG_W_FS_PWD] = (unsigned long)READ_ONCE(fs->pwd.dentry);
	return cg_policy_fs_explained(&s->v, &v, current);
}

static void cg_fs_vouch(struct pt_regs *regs, cg_mask_t mask, int w_mnt,
			int w_dentry)
{
	const struct fs_struct *fs = (void *)regs_get_kernel_argument(regs, 0);
	const struct path *p = (void *)regs_get_kernel_argument(regs, 1);
	struct cg_shadow *s;

	preempt_disable();
	s = cg_fs_caller(mask);
	if (s && s->v.w[CG_W_FS] == (unsigned long)fs &&
	    READ_ONCE(current->fs) == fs && cg_fs_intact(s, fs)) {
		s->v.w[w_mnt] = (unsigned long)p->mnt;
		s->v.w[w_dentry] = (unsigned long)p->dentry;
		/* The threads sharing @fs may look before or after the write. */
		if (READ_ONCE(fs->users) > 1)
			cg_group_note(current, CG_GK_FS, &s->v, current);
	}
	preempt_enable();
}

static int cg_set_pwd_pre(struct kprobe *kp, struct pt_regs *regs)
{
	cg_fs_vouch(regs, CG_M_FS_PWD, CG_W_FS_PWD_MNT, CG_W_FS_PWD);
	return 0;
}

static int cg_set_root_pre(struct kprobe *kp, struct pt_regs *regs)
{
	cg_fs_vouch(regs, CG_M_FS_ROOT, CG_W_FS_ROOT_MNT, CG_W_FS_ROOT);
	return 0;
}

static int cg_pivot_pre(struct kprobe *kp, struct pt_regs *regs)
{
	const struct path *o = (void *)regs_get_kernel_argument(regs, 0);
	const struct path *n = (void *)regs_get_kernel_argument(regs, 1);
	struct cg_pivot *pv;
	unsigned long flags;
	bool ok;

	preempt_disable();
	ok = cg_fs_caller(CG_P_PIVOT);
	preempt_enable();
	if (!ok)
		return 0;
	raw_spin_lock_irqsave(&cg_pivot_lock, flags);
	pv = &cg_pivots[cg_pivot_next++ % CG_PIVOTS];
	pv->old_mnt = (unsigned long)o->mnt;
	pv->old_dentry = (unsigned long)o->dentry;
	pv->new_mnt = (unsigned long)n->mnt;
	pv->new_dentry = (unsigned long)n->dentry;
	raw_spin_unlock_irqrestore(&cg_pivot_lock, flags);
	return 0;
}

/* Did a pivot_root() move @w_mnt/@w_dentry from @old's value to @new's? */
static bool cg_pivot_moved(const struct cg_vals *old, const struct cg_vals *new,
			   int w_mnt, int w_dentry)
{
	unsigned long flags;
	bool found = false;
	int i;

	if (old->w[w_mnt] == new->w[w_mnt] &&
	    old->w[w_dentry] == new->w[w_dentry])
		return true;
	raw_spin_lock_irqsave(&cg_pivot_lock, flags);
	for (i = 0; i < CG_PIVOTS && !found; i++) {
		const struct cg_pivot *pv = &cg_pivots[i];

		found = pv->new_dentry && pv->old_mnt == old->w[w_mnt] &&
			pv->old_dentry == old->w[w_dentry] &&
			pv->new_mnt == new->w[w_mnt] &&
			pv->new_dentry == new->w[w_dentry];
	}
	raw_spin_unlock_irqrestore(&cg_pivot_lock, flags);
	return found;
}

bool cg_fs_pivot_explains(const struct cg_vals *old, const struct cg_vals *new)
{
	return old->w[CG_W_FS] == new->w[CG_W_FS] &&
	       cg_pivot_moved(old, new, CG_W_FS_ROOT_MNT, CG_W_FS_ROOT) &&
	       cg_pivot_moved(old, new, CG_W_FS_PWD_MNT, CG_W_FS_PWD);
}

static struct kprobe cg_fs_probes[] = {
	{ .symbol_name = "set_fs_pwd", .pre_handler = cg_set_pwd_pre },
	{ .symbol_name = "set_fs_root", .pre_handler = cg_set_root_pre },
	{ .symbol_name = "chroot_fs_refs", .pre_handler = cg_pivot_pre },
};

static bool cg_fs_registered[ARRAY_SIZE(cg_fs_probes)];

/*
 * A probe that cannot be placed leaves the syscall rules alone to explain
 * changes: a thread's chdir() may then be reported for its siblings.
 */
int cg_fs_init(void)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(cg_fs_probes); i++) {
		ret = cg_fault("fs_probe") ? -EINVAL :
					     register_kprobe(&cg_fs_probes[i]);
		if (ret) {
			pr_err("cannot probe %s: %d\n",
			       cg_fs_probes[i].symbol_name, ret);
			cg_fs_exit();
			return ret;
		}
		cg_fs_registered[i] = true;
	}
	return 0;
}

void cg_fs_exit(void)
{
	int i;

	for (i = ARRAY_SIZE(cg_fs_probes) - 1; i >= 0; i--) {
		if (!cg_fs_registered[i])
			continue;
		unregister_kprobe(&cg_fs_probes[i]);
		cg_fs_registered[i] = false;
	}
}
