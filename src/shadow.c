// SPDX-License-Identifier: GPL-2.0
/*
 * The shadow store: a hash table of per-task entries keyed by the task
 * pointer. Lookups are lock-free under RCU (every caller runs with
 * preemption disabled, which is an RCU read-side section); inserts and
 * removals take one of a set of hashed raw spinlocks.
 *
 * Hooks never allocate: entries come from a per-CPU pool that a work
 * item refills in process context, so the store works unchanged on
 * PREEMPT_RT, where even GFP_ATOMIC may not be used with preemption off.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/percpu.h>
#include <linux/workqueue.h>
#include <linux/llist.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/user_namespace.h>
#include <linux/uaccess.h>

#include "shadow.h"
#include "compat.h"

/* Eight cache lines in the aligned slab (docs/performance.md: what they hold). */
static_assert(sizeof(struct cg_shadow) <= 456);

#define CG_NLOCKS 256
#define CG_POOL_MAX 32
#define CG_POOL_LOW 8

struct cg_shadow __rcu **cg_table __read_mostly;
DEFINE_PER_CPU(struct cg_shadow *, cg_lookup_cache);
struct cg_shadow cg_shadow_none __ro_after_init;

/*
 * The lookup cache missed: the hash, and remember what it found (unless
 * its exit must take the slow path: CG_SF_EXIT_FULL).
 */
noinline struct cg_shadow *cg_shadow_find_fill(const struct task_struct *t)
{
	struct cg_shadow *s = cg_shadow_find(t);

	if (s && !(s->flags & CG_SF_EXIT_FULL))
		this_cpu_write(cg_lookup_cache, s);
	return s;
}
static raw_spinlock_t cg_locks[CG_NLOCKS];
static struct kmem_cache *cg_cache;

struct cg_pool {
	unsigned int n;
	struct cg_shadow *obj[CG_POOL_MAX];
};
static DEFINE_PER_CPU(struct cg_pool, cg_pools);
static DEFINE_PER_CPU(struct work_struct, cg_refill_work);

/* nsproxy references whose drop might free it: dropped in a worker. */
struct cg_deferred {
	struct llist_node node;
	struct nsproxy *ns;
};
static_assert(sizeof(struct cg_deferred) <= sizeof(struct cg_shadow));
static LLIST_HEAD(cg_deferred_list);
static struct work_struct cg_deferred_work;

/*
 * Every object of the cache goes through these two: unload checks that
 * they balance.
 */
static struct cg_shadow *cg_obj_alloc(gfp_t gfp)
{
	struct cg_shadow *s;

	if (cg_fault("alloc"))
		return NULL;
	s = kmem_cache_alloc(cg_cache, gfp);

	if (s)
		cg_stat_inc(CG_S_OBJ_ALLOC);
	return s;
}

static void cg_obj_free(void *p)
{
	cg_stat_inc(CG_S_OBJ_FREE);
	kmem_cache_free(cg_cache, p);
}

static raw_spinlock_t *cg_lock_for(unsigned int idx)
{
	return &cg_locks[idx & (CG_NLOCKS - 1)];
}

static void cg_pool_fill(struct cg_pool *p)
{
	struct cg_shadow *s;

	while (p->n < CG_POOL_MAX) {
		preempt_enable();
		s = cg_obj_alloc(GFP_KERNEL);
		preempt_disable();
		if (!s)
			break;
		/* We may have moved: push to whichever CPU we are on now. */
		p = this_cpu_ptr(&cg_pools);
		if (p->n == CG_POOL_MAX) {
			cg_obj_free(s);
			break;
		}
		p->obj[p->n++] = s;
	}
}

static void cg_refill(struct work_struct *w)
{
	preempt_disable();
	cg_pool_fill(this_cpu_ptr(&cg_pools));
	preempt_enable();
}

/*
 * Hook context (preemption disabled). Never sleeps, never allocates on
 * PREEMPT_RT. @may_wake: the caller may wake a task (queue the refill,
 * let the allocator wake kswapd); not under the scheduler's runqueue lock.
 */
static struct cg_shadow *cg_shadow_get(bool may_wake)
{
	struct cg_pool *p;
	struct cg_shadow *s = NULL;

	cg_assert_hook_context();
	p = this_cpu_ptr(&cg_pools);
	if (cg_fault("pool_empty"))
		return NULL;
	if (p->n)
		s = p->obj[--p->n];
	if (p->n < CG_POOL_LOW && may_wake)
		schedule_work_on(smp_processor_id(),
				 this_cpu_ptr(&cg_refill_work));
	if (!s && may_wake && !IS_ENABLED(CONFIG_PREEMPT_RT))
		s = cg_obj_alloc(GFP_NOWAIT | __GFP_NOWARN);
	if (s) {
		memset(s, 0, sizeof(*s));
		s->nr = U16_MAX;
		s->use_nr = U16_MAX;
	}
	return s;
}

struct cg_shadow *cg_shadow_alloc(void)
{
	return cg_shadow_get(true);
}

/* From the pool only, waking nobody: safe inside the scheduler. */
struct cg_shadow *cg_shadow_alloc_pooled(void)
{
	return cg_shadow_get(false);
}

static void cg_shadow_free_rcu(struct rcu_head *rcu)
{
	cg_obj_free(container_of(rcu, struct cg_shadow, rcu));
}

/*
 * Give back an entry that was never published. Hook context: back to
 * the pool, or through RCU, which may free from any context.
 */
void cg_shadow_free(struct cg_shadow *s)
{
	struct cg_pool *p;

	cg_assert_hook_context();
	p = this_cpu_ptr(&cg_pools);

	if (p->n < CG_POOL_MAX)
		p->obj[p->n++] = s;
	else
		call_rcu(&s->rcu, cg_shadow_free_rcu);
}

/* Give back an entry readers may still see, after a grace period. */
void cg_shadow_free_deferred(struct cg_shadow *s)
{
	call_rcu(&s->rcu, cg_shadow_free_rcu);
}

static void cg_deferred_fn(struct work_struct *w)
{
	struct llist_node *n = llist_del_all(&cg_deferred_list);
	struct cg_deferred *d, *tmp;

	llist_for_each_entry_safe(d, tmp, n, node) {
		if (!cg_nsproxy_count_put_not_last(d->ns))
			cg_compat_free_nsproxy(d->ns);
		cg_obj_free(d);
	}
}

/*
 * Drop one nsproxy reference from any context. The last reference frees
 * namespaces, which sleeps, so that one goes to a worker; the carrier
 * comes from the pool. If even that fails, the nsproxy is leaked, never
 * freed under our feet.
 */
void cg_nsproxy_put(struct nsproxy *ns)
{
	struct cg_deferred *d;

	/* Without free_nsproxy() no references are taken at all. */
	if (!ns || !cg_compat_can_free_nsproxy() ||
	    cg_nsproxy_count_put_not_last(ns))
		return;
	preempt_disable();
	d = (struct cg_deferred *)cg_shadow_alloc();
	preempt_enable();
	if (!d) {
		pr_err_ratelimited(
			"leaking an nsproxy: no memory to defer its release\n");
		return;
	}
	d->ns = ns;
	if (llist_add(&d->node, &cg_deferred_list))
		schedule_work(&cg_deferred_work);
}

/* Bytes one tracked task costs: the slab object size of an entry. */
unsigned int cg_shadow_entry_bytes(void)
{
	return cg_cache ? kmem_cache_size(cg_cache) : 0;
}

int cg_shadow_insert(struct cg_shadow *s, bool born)
{
	unsigned int idx = hash_ptr(s->task, cg_hash_bits);
	raw_spinlock_t *lock = cg_lock_for(idx);
	struct cg_shadow *p;
	unsigned long flags;
	int ret = 0;

	raw_spin_lock_irqsave(lock, flags);
	for (p = rcu_dereference_protected(cg_table[idx], 1); p;
	     p = rcu_dereference_protected(p->next, 1)) {
		if (p->task == s->task) {
			ret = -EEXIST;
			goto out;
		}
	}
	/*
	 * An exiting task has passed (or is about to reach) its exit hook,
	 * which removes under this lock: never add one back. A child at its
	 * fork (@born) has run nothing: its PF_EXITING could only be one
	 * forged on its parent and inherited.
	 */
	if (!born && (READ_ONCE(s->task->flags) & PF_EXITING)) {
		ret = -ESRCH;
		goto out;
	}
	RCU_INIT_POINTER(s->next, rcu_dereference_protected(cg_table[idx], 1));
	rcu_assign_pointer(cg_table[idx], s);
	cg_stat_inc(CG_S_TASKS_ADDED);
out:
	raw_spin_unlock_irqrestore(lock, flags);
	return ret;
}

struct cg_shadow *cg_shadow_unhash(const struct task_struct *t)
{
	unsigned int idx = hash_ptr(t, cg_hash_bits);
	raw_spinlock_t *lock = cg_lock_for(idx);
	struct cg_shadow __rcu **pp = &cg_table[idx];
	struct cg_shadow *p;
	unsigned long flags;

	raw_spin_lock_irqsave(lock, flags);
	while ((p = rcu_dereference_protected(*pp, 1))) {
		if (p->task == t) {
			rcu_assign_pointer(
				*pp, rcu_dereference_protected(p->next, 1));
			cg_stat_inc(CG_S_TASKS_REMOVED);
			break;
		}
		pp = &p->next;
	}
	raw_spin_unlock_irqrestore(lock, flags);
	return p;
}

void cg_shadow_drop_refs(struct cg_shadow *s)
{
	if (s->cred)
		put_cred(s->cred);
	s->cred = NULL;
	cg_nsproxy_put(s->nsproxy);
	s->nsproxy = NULL;
	if (s->frec)
		cg_frec_put(s->frec);
	s->frec = NULL;
}

/* Free an unhashed entry once no walker can still see it. */
void cg_shadow_release(struct cg_shadow *s)
{
	cg_shadow_drop_refs(s);
	call_rcu(&s->rcu, cg_shadow_free_rcu);
}

/* The record of the filter chain @s now takes as legitimate. */
static void cg_shadow_follow_filters(struct cg_shadow *s, const void *head)
{
	struct cg_frec *old = s->frec;

	if (old ? cg_frec_filter(old) == head : !head)
		return;
	s->frec = cg_frec_get(head);
	if (old)
		cg_frec_put(old);
}

/*
 * Make @s describe @c, @ns and the values @v, taking references on the
 * objects and dropping those it held. Only the owning task (or a creator
 * before the task first runs) may call this.
 */
void cg_shadow_set_vals(struct cg_shadow *s, const struct cred *c,
			struct nsproxy *ns, const struct cg_vals *v)
{
	const struct cred *oc = s->cred;
	struct nsproxy *ons = s->nsproxy;

	s->cred = get_cred(c);
	s->flags &= ~(CG_SF_COMMITTED | CG_SF_TRACE_CLEARED);
	s->v = *v;
	if (ns != ons) {
		if (ns && cg_compat_can_free_nsproxy())
			cg_nsproxy_count_get(ns);
		s->nsproxy = ns;
		cg_nsproxy_put(ons);
	}
	if (oc)
		put_cred(oc);
	cg_shadow_follow_filters(
		s, (const void *)(unsigned long)v->w[CG_W_SECCOMP_FILTER]);
}

/* @s takes @t's live state as legitimate. */
void cg_shadow_set(struct cg_shadow *s, const struct task_struct *t)
{
	struct cg_vals v;

	cg_vals_live(&v, t);
	cg_shadow_set_vals(s, rcu_dereference_raw(t->real_cred),
			   READ_ONCE(t->nsproxy), &v);
}

/* @dst takes @src's legitimate state (a child inheriting its parent's). */
void cg_shadow_copy(struct cg_shadow *dst, const struct cg_shadow *src)
{
	cg_shadow_set_vals(dst, src->cred, src->nsproxy, &src->v);
}

/*
 * Snapshot every user task that exists at load. Called after the fork
 * and exit hooks are live, so tasks created meanwhile are covered by the
 * fork hook (insert then reports -EEXIST) and exiting ones are refused.
 */
int cg_shadow_snapshot_all(void)
{
	struct task_struct *g, *t, **tasks;
	unsigned int n = 0, max, i;
	int added = 0;

	if (cg_fault("snapshot"))
		return -ENOMEM;
	max = 64;
	rcu_read_lock();
	for_each_process_thread(g, t)
		max++;
	rcu_read_unlock();
	tasks = kvmalloc_array(max, sizeof(*tasks), GFP_KERNEL);
	if (!tasks)
		return -ENOMEM;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (t->flags & (CG_PF_NOT_USER | PF_EXITING))
			continue;
		if (n == max)
			break;
		get_task_struct(t);
		tasks[n++] = t;
	}
	rcu_read_unlock();

	for (i = 0; i < n; i++) {
		struct cg_shadow *s;

		t = tasks[i];
		cg_ensure_syscall_tracing(t);
		s = cg_obj_alloc(GFP_KERNEL | __GFP_ZERO);
		if (!s) {
			cg_stat_inc(CG_S_TRACK_FAILED);
		} else {
			s->task = t;
			s->nr = U16_MAX;
			s->use_nr = U16_MAX;
			task_lock(t);
			if (t->nsproxy && t->fs) {
				rcu_read_lock();
				cg_shadow_set(s, t);
				cg_ptrace_adopt(s, t);
				rcu_read_unlock();
			}
			task_unlock(t);
			/*
			 * Once inserted, t's exit may free the entry (after an
			 * RCU grace period that this read side holds back).
			 */
			rcu_read_lock();
			if (!s->cred || cg_shadow_insert(s, false)) {
				rcu_read_unlock();
				cg_shadow_drop_refs(s);
				cg_obj_free(s);
			} else {
				cg_ptrace_settle(s, t);
				rcu_read_unlock();
				added++;
			}
		}
		put_task_struct(t);
	}
	kvfree(tasks);
	if (n == max)
		pr_warn("more tasks than expected at load; the rest are adopted at their next syscall\n");
	pr_info("tracking %d existing tasks\n", added);
	return 0;
}

int cg_shadow_init(void)
{
	int cpu, i;

	for (i = 0; i < CG_NLOCKS; i++)
		raw_spin_lock_init(&cg_locks[i]);
	INIT_WORK(&cg_deferred_work, cg_deferred_fn);

	if (cg_fault("cache"))
		return -ENOMEM;
	cg_cache = kmem_cache_create("credguard_shadow",
				     sizeof(struct cg_shadow), 0,
				     SLAB_HWCACHE_ALIGN, NULL);
	if (!cg_cache)
		return -ENOMEM;

	cg_table = cg_fault("table") ? NULL :
				       kvcalloc(1UL << cg_hash_bits,
						sizeof(*cg_table), GFP_KERNEL);
	if (!cg_table)
		goto err_table;

	for_each_possible_cpu(cpu) {
		struct cg_pool *p = per_cpu_ptr(&cg_pools, cpu);

		per_cpu(cg_lookup_cache, cpu) = &cg_shadow_none;
		INIT_WORK(per_cpu_ptr(&cg_refill_work, cpu), cg_refill);
		p->n = 0;
		while (p->n < CG_POOL_MAX) {
			struct cg_shadow *s;

			s = cg_obj_alloc(GFP_KERNEL);
			if (!s)
				goto err_pool;
			p->obj[p->n++] = s;
		}
	}
	return 0;

err_pool:
	for_each_possible_cpu(cpu) {
		struct cg_pool *p = per_cpu_ptr(&cg_pools, cpu);

		while (p->n)
			cg_obj_free(p->obj[--p->n]);
	}
	kvfree(cg_table);
err_table:
	kmem_cache_destroy(cg_cache);
	return -ENOMEM;
}

/* Hooks are gone and synchronised: nobody else touches the store. */
void cg_shadow_exit(void)
{
	unsigned long idx;
	int cpu;

	for (idx = 0; idx < (1UL << cg_hash_bits); idx++) {
		struct cg_shadow *s, *next;

		s = rcu_dereference_protected(cg_table[idx], 1);
		RCU_INIT_POINTER(cg_table[idx], NULL);
		for (; s; s = next) {
			next = rcu_dereference_protected(s->next, 1);
			cg_stat_inc(CG_S_TASKS_REMOVED);
			cg_shadow_drop_refs(s);
			cg_obj_free(s);
		}
	}
	for_each_possible_cpu(cpu)
		cancel_work_sync(per_cpu_ptr(&cg_refill_work, cpu));
	flush_work(&cg_deferred_work);
	/* Entries freed by call_rcu and their nsproxy drops. */
	rcu_barrier();
	flush_work(&cg_deferred_work);
	for_each_possible_cpu(cpu) {
		struct cg_pool *p = per_cpu_ptr(&cg_pools, cpu);

		while (p->n)
			cg_obj_free(p->obj[--p->n]);
	}
	kvfree(cg_table);
	if (cg_stat_sum(CG_S_OBJ_ALLOC) != cg_stat_sum(CG_S_OBJ_FREE))
		pr_err("leak: %llu shadow objects allocated, %llu freed\n",
		       cg_stat_sum(CG_S_OBJ_ALLOC), cg_stat_sum(CG_S_OBJ_FREE));
	if (cg_stat_sum(CG_S_TASKS_ADDED) != cg_stat_sum(CG_S_TASKS_REMOVED))
		pr_err("leak: %llu tasks added, %llu removed\n",
		       cg_stat_sum(CG_S_TASKS_ADDED),
		       cg_stat_sum(CG_S_TASKS_REMOVED));
	kmem_cache_destroy(cg_cache);
}
