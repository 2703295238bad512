/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shadow store: one entry per tracked user task, in module memory.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_SHADOW_H
#define CG_SHADOW_H

#include <linux/hash.h>
#include <linux/rcupdate.h>
#include <linux/nsproxy.h>

#include "credguard.h"
#include "compat.h"

/*
 * The task was created by the kernel (its parent is a kernel thread):
 * its credentials are taken at its first syscall boundary.
 */
#define CG_SF_PENDING 0x01
/*
 * A commit_creds() in the current syscall changed the credentials (and
 * moved the RLIMIT_NPROC accounting with them).
 */
#define CG_SF_COMMITTED 0x02
/* log mode accepted a cred != real_cred split: report it once only. */
#define CG_SF_SPLIT_OK 0x04

/*
 * One tracked task. Exactly two cache lines. Only the task itself reads
 * or writes the fields after @task (at its own syscall boundaries, its
 * own commit_creds and its own exit); other CPUs only walk @next and
 * compare @task, so @rcu may share storage with the values.
 */
struct cg_shadow {
	struct cg_shadow __rcu *next;
	const struct task_struct *task;
	/* Last legitimate objects; a reference is held on each. */
	const struct cred *cred;
	struct nsproxy *nsproxy;
	/* Saved values, compared against the live cred. */
	struct user_namespace *user_ns;
	struct group_info *group_info;
	union {
		struct {
			union {
				u64 ids64[4];
				u32 ids[8];
			};
			u32 securebits;
			u8 flags;
			u8 last_abi; /* checks=entry: the previous syscall */
			u16 last_nr;
			u64 caps[5];
		};
		struct rcu_head rcu;
	};
};

extern struct cg_shadow __rcu **cg_table __read_mostly;

static __always_inline struct cg_shadow *
cg_shadow_find(const struct task_struct *t)
{
	struct cg_shadow *s;

	s = rcu_dereference_sched(cg_table[hash_ptr(t, cg_hash_bits)]);
	while (s && s->task != t)
		s = rcu_dereference_sched(s->next);
	return s;
}

/*
 * Field-by-field copies between a cred and flat arrays (the ids and the
 * capability sets are laid out in this order in struct cred).
 */
static inline void cg_cred_get_ids(u32 ids[8], const struct cred *c)
{
	ids[0] = __kuid_val(c->uid);
	ids[1] = __kgid_val(c->gid);
	ids[2] = __kuid_val(c->suid);
	ids[3] = __kgid_val(c->sgid);
	ids[4] = __kuid_val(c->euid);
	ids[5] = __kgid_val(c->egid);
	ids[6] = __kuid_val(c->fsuid);
	ids[7] = __kgid_val(c->fsgid);
}

static inline void cg_cred_put_ids(struct cred *c, const u32 ids[8])
{
	c->uid = KUIDT_INIT(ids[0]);
	c->gid = KGIDT_INIT(ids[1]);
	c->suid = KUIDT_INIT(ids[2]);
	c->sgid = KGIDT_INIT(ids[3]);
	c->euid = KUIDT_INIT(ids[4]);
	c->egid = KGIDT_INIT(ids[5]);
	c->fsuid = KUIDT_INIT(ids[6]);
	c->fsgid = KGIDT_INIT(ids[7]);
}

static inline void cg_cred_get_caps(u64 caps[5], const struct cred *c)
{
	memcpy(&caps[0], &c->cap_inheritable, sizeof(u64));
	memcpy(&caps[1], &c->cap_permitted, sizeof(u64));
	memcpy(&caps[2], &c->cap_effective, sizeof(u64));
	memcpy(&caps[3], &c->cap_bset, sizeof(u64));
	memcpy(&caps[4], &c->cap_ambient, sizeof(u64));
}

static inline void cg_cred_put_caps(struct cred *c, const u64 caps[5])
{
	memcpy(&c->cap_inheritable, &caps[0], sizeof(u64));
	memcpy(&c->cap_permitted, &caps[1], sizeof(u64));
	memcpy(&c->cap_effective, &caps[2], sizeof(u64));
	memcpy(&c->cap_bset, &caps[3], sizeof(u64));
	memcpy(&c->cap_ambient, &caps[4], sizeof(u64));
}

/*
 * The entry of the task running on this CPU, so that a syscall's two
 * probes and back-to-back syscalls skip the hash. It is emptied at every
 * context switch (hooks.c) and when the running task's entry goes away
 * (its exit hook): it can only ever name the current task's live entry.
 */
struct cg_lookup_cache {
	const struct task_struct *task;
	struct cg_shadow *s;
};
DECLARE_PER_CPU(struct cg_lookup_cache, cg_lookup_cache);

/* Hook context (preemption disabled) only. */
static __always_inline struct cg_shadow *
cg_shadow_find_cached(const struct task_struct *t)
{
	struct cg_shadow *s;

	cg_assert_hook_context();
	if (likely(this_cpu_read(cg_lookup_cache.task) == t))
		return this_cpu_read(cg_lookup_cache.s);
	s = cg_shadow_find(t);
	if (s) {
		this_cpu_write(cg_lookup_cache.s, s);
		this_cpu_write(cg_lookup_cache.task, t);
	}
	return s;
}

static __always_inline void cg_lookup_cache_clear(void)
{
	cg_assert_hook_context();
	this_cpu_write(cg_lookup_cache.task, NULL);
}

/* Do the values of @c equal the saved ones? Branch-free, unrolled. */
static __always_inline bool cg_cred_same(const struct cg_shadow *s,
					 const struct cred *c)
{
	const u64 *ids = (const u64 *)&c->uid;
	const u64 *caps = (const u64 *)&c->cap_inheritable;
	u64 x;

	x = get_unaligned(ids + 0) ^ s->ids64[0];
	x |= get_unaligned(ids + 1) ^ s->ids64[1];
	x |= get_unaligned(ids + 2) ^ s->ids64[2];
	x |= get_unaligned(ids + 3) ^ s->ids64[3];
	x |= get_unaligned(caps + 0) ^ s->caps[0];
	x |= get_unaligned(caps + 1) ^ s->caps[1];
	x |= get_unaligned(caps + 2) ^ s->caps[2];
	x |= get_unaligned(caps + 3) ^ s->caps[3];
	x |= get_unaligned(caps + 4) ^ s->caps[4];
	x |= c->securebits ^ s->securebits;
	x |= (unsigned long)c->user_ns ^ (unsigned long)s->user_ns;
	x |= (unsigned long)c->group_info ^ (unsigned long)s->group_info;
	return !x;
}

/* The whole fast-path test: nothing changed since the last boundary. */
static __always_inline bool cg_task_clean(const struct cg_shadow *s,
					  const struct task_struct *t)
{
	const struct cred *rc = rcu_dereference_raw(t->real_cred);

	return rc == s->cred && rcu_dereference_raw(t->cred) == rc &&
	       READ_ONCE(t->nsproxy) == s->nsproxy && cg_cred_same(s, rc);
}

int cg_shadow_init(void);
void cg_shadow_exit(void);

struct cg_shadow *cg_shadow_alloc(void);
void cg_shadow_free(struct cg_shadow *s);
int cg_shadow_insert(struct cg_shadow *s);
unsigned int cg_shadow_entry_bytes(void);
struct cg_shadow *cg_shadow_unhash(const struct task_struct *t);
void cg_shadow_release(struct cg_shadow *s);

void cg_vals_from_cred(struct cg_vals *v, const struct cred *c,
		       struct nsproxy *ns);
void cg_vals_from_shadow(struct cg_vals *v, const struct cg_shadow *s);
void cg_shadow_set(struct cg_shadow *s, const struct cred *c,
		   struct nsproxy *ns);
void cg_shadow_copy(struct cg_shadow *dst, const struct cg_shadow *src);
void cg_shadow_drop_refs(struct cg_shadow *s);
u32 cg_vals_diff(const struct cg_vals *a, const struct cg_vals *b);
int cg_shadow_snapshot_all(void);

/* Drop a reference to an nsproxy from any context. */
void cg_nsproxy_put(struct nsproxy *ns);

#endif /* CG_SHADOW_H */
