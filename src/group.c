// SPDX-License-Identifier: GPL-2.0
/*
 * State that the threads of a process share or set for each other, as the
 * group last legitimately had it.
 *
 * Threads share one fs_struct (a chdir() in one moves the cwd of all) and
 * seccomp's TSYNC gives every thread the caller's filter chain. The other
 * threads see such a change at their next boundary with no syscall of
 * theirs to explain it, maybe after the thread that made it has exited.
 * So every legitimate value of these words is noted here, per thread
 * group (signal_struct), in a short ring: a thread's change is legitimate
 * when its new values are ones its group legitimately had. The fs probes
 * (fs.c) note the values both before and after the write they vouch for,
 * so a thread that looks in between sees a state noted too.
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

static void cg_grec_put(struct cg_grec *r, enum cg_gkind k,
			const struct cg_vals *v)
{
	u64 *slot = r->ring[k][r->head[k]++ % CG_GREC_RING];
	int i;

	for (i = 0; i < cg_gkind_nwords[k]; i++)
		slot[i] = v->w[cg_gkind_words[k][i]];
}

/* Hook context. Without memory the siblings' shadows still explain. */
void cg_group_note(const struct task_struct *t, enum cg_gkind k,
		   const struct cg_vals *v)
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
		cg_grec_put(*pp, k, v);
	raw_spin_unlock_irqrestore(&cg_grec_lock, flags);
	if (r)
		cg_shadow_free((struct cg_shadow *)r);
}

static bool cg_grec_has(const struct cg_grec *r, enum cg_gkind k,
			const struct cg_vals *v)
{
	int n = min_t(int, r->head[k], CG_GREC_RING), i, j;

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
