// SPDX-License-Identifier: GPL-2.0
/*
 * State that the threads of a process share or set for each other, as the
 * group last legitimately had it.
 *
 * Threads share one fs_struct (a chdir() in one moves the cwd of all) and
 * seccomp's TSYNC gives every thread the caller's filter chain. The other
 * threads see such a change at their next boundary with no syscall of
 * theirs to explain it, maybe after the thread that made it has exited.
 * So the legitimate values of these words are noted here, per thread
 * group (signal_struct):
 *  - fs: the latest root and cwd only (an older one, say the root before a
 *    chroot(), must not become acceptable again), and the one before it
 *    while the thread that is changing it is still inside that syscall
 *    (fs.c notes the new value just before the kernel writes it);
 *  - seccomp: the last few chains installed (a chain is only accepted
 *    when it is longer than the thread's, so an old one never is).
 *
 * A record lives from the first note until the group's last thread exits.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/hash.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "group.h"
#include "shadow.h"
#include "policy.h"

#define CG_GREC_BITS 6
#define CG_GREC_MAX 4096
#define CG_GREC_RING 4

/* The words of one kind of shared state (guard.h), in this order. */
static const u8 cg_gkind_words[CG_GK_NR][CG_GK_MAXW] = {
	[CG_GK_FS] = { CG_W_FS, CG_W_FS_ROOT_MNT, CG_W_FS_ROOT, CG_W_FS_PWD_MNT,
		       CG_W_FS_PWD },
	[CG_GK_SECCOMP] = { CG_W_SECCOMP, CG_W_SECCOMP_FILTER },
};
static const u8 cg_gkind_nwords[CG_GK_NR] = {
	[CG_GK_FS] = 5, [CG_GK_SECCOMP] = 2
};

struct cg_grec {
	struct cg_grec *next;
	const void *group;
	u8 head[CG_GK_NR];
	u64 ring[CG_GK_NR][CG_GREC_RING][CG_GK_MAXW];
	/* fs: ring[CG_GK_FS][0] is the latest, [1] the one before it */
	const struct task_struct *fs_changer;
};
static_assert(sizeof(struct cg_grec) <= sizeof(struct cg_shadow));

static struct cg_grec *cg_grecs[1 << CG_GREC_BITS];
static unsigned int cg_grec_count;
static DEFINE_RAW_SPINLOCK(cg_grec_lock);

static struct cg_grec **cg_grec_slot(const void *group)
{
	struct cg_grec **pp = &cg_grecs[hash_ptr(group, CG_GREC_BITS)];

	while (*pp && (*pp)->group != group)
		pp = &(*pp)->next;
	return pp;
}

static void cg_grec_copy(u64 *slot, enum cg_gkind k, const struct cg_vals *v)
{
	int i;

	for (i = 0; i < cg_gkind_nwords[k]; i++)
		slot[i] = v->w[cg_gkind_words[k][i]];
}

/* @changer: the thread about to write @v (fs only), or NULL: written. */
static void cg_grec_put(struct cg_grec *r, enum cg_gkind k,
			const struct cg_vals *v,
			const struct task_struct *changer)
{
	if (k != CG_GK_FS) {
		cg_grec_copy(r->ring[k][r->head[k]++ % CG_GREC_RING], k, v);
		return;
	}
	memcpy(r->ring[k][1], r->ring[k][0], sizeof(r->ring[k][0]));
	cg_grec_copy(r->ring[k][0], k, v);
	r->head[k] = min_t(int, r->head[k] + 1, 2);
	r->fs_changer = changer;
}

/*
 * Hook context. Without memory the siblings' shadows still explain.
 * @changer: for fs, the thread that is about to write @v (or NULL).
 */
void cg_group_note(const struct task_struct *t, enum cg_gkind k,
		   const struct cg_vals *v, const struct task_struct *changer)
{
	const void *group = t->signal;
	struct cg_grec **pp, *r = NULL;
	unsigned long flags;

	raw_spin_lock_irqsave(&cg_grec_lock, flags);
	pp = cg_grec_slot(group);
	if (!*pp && READ_ONCE(cg_grec_count) < CG_GREC_MAX) {
		raw_spin_unlock_irqrestore(&cg_grec_lock, flags);
		r = (struct cg_grec *)cg_shadow_alloc();
		raw_spin_lock_irqsave(&cg_grec_lock, flags);
		pp = cg_grec_slot(group);
		if (r && !*pp) {
			memset(r, 0, sizeof(*r));
			r->group = group;
			*pp = r;
			cg_grec_count++;
			r = NULL;
		}
	}
	if (*pp)
		cg_grec_put(*pp, k, v, changer);
	raw_spin_unlock_irqrestore(&cg_grec_lock, flags);
	if (r)
		cg_shadow_free((struct cg_shadow *)r);
}

/* Is @t still inside a syscall that may move a root or cwd? */
static bool cg_changing_fs(const struct task_struct *t)
{
	const struct cg_shadow *s = t ? cg_shadow_find(t) : NULL;

	return s && s->in_call &&
	       (cg_policy_allowed(s->nr, s->abi) & CG_M_FS_PATHS);
}

static bool cg_grec_has(const struct cg_grec *r, enum cg_gkind k,
			const struct cg_vals *v)
{
	int n = min_t(int, r->head[k], CG_GREC_RING), i, j;

	if (k == CG_GK_FS && n > 1 && !cg_changing_fs(r->fs_changer))
		n = 1;
	for (i = 0; i < n; i++) {
		for (j = 0; j < cg_gkind_nwords[k]; j++)
			if (r->ring[k][i][j] != v->w[cg_gkind_words[k][j]])
				break;
		if (j == cg_gkind_nwords[k])
			return true;
	}
	return false;
}

bool cg_group_explains(const struct task_struct *t, enum cg_gkind k,
		       const struct cg_vals *new)
{
	struct cg_grec *r;
	unsigned long flags;
	bool ok;

	raw_spin_lock_irqsave(&cg_grec_lock, flags);
	r = *cg_grec_slot(t->signal);
	ok = r && cg_grec_has(r, k, new);
	raw_spin_unlock_irqrestore(&cg_grec_lock, flags);
	return ok;
}

/* Exit hook: the group's last thread is going, and its record with it. */
void cg_group_task_exit(const struct task_struct *t)
{
	struct cg_grec **pp, *r = NULL;
	unsigned long flags;

	if (atomic_read(&t->signal->live) || !READ_ONCE(cg_grec_count))
		return;
	raw_spin_lock_irqsave(&cg_grec_lock, flags);
	pp = cg_grec_slot(t->signal);
	if (*pp) {
		r = *pp;
		*pp = r->next;
		cg_grec_count--;
	}
	raw_spin_unlock_irqrestore(&cg_grec_lock, flags);
	if (r)
		cg_shadow_free((struct cg_shadow *)r);
}

/* At unload, once nothing notes or looks any more. */
void cg_group_exit(void)
{
	struct cg_grec *r, *next;
	int i;

	preempt_disable();
	for (i = 0; i < ARRAY_SIZE(cg_grecs); i++) {
		for (r = cg_grecs[i]; r; r = next) {
			next = r->next;
			cg_shadow_free((struct cg_shadow *)r);
		}
		cg_grecs[i] = NULL;
	}
	cg_grec_count = 0;
	preempt_enable();
}
