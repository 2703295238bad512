// SPDX-License-Identifier: GPL-2.0
/*
 * The id maps of user namespaces.
 *
 * A user namespace's uid_map, gid_map and projid_map are written once,
 * by map_write() through /proc/PID/{uid,gid,projid}_map, and never change
 * afterwards. An exploit that rewrites an extent in place ("0 1000 1"
 * becomes "0 0 1"), or writes a map into a namespace whose map was never
 * set, makes a later legitimate setresuid(0) in that namespace real root.
 *
 * So each user namespace has a record here, keyed by its pointer: a copy
 * of its three maps. Only a successful proc_*_map_write() vouches for a
 * map (a return probe copies it into the record); create_user_ns()
 * records a new namespace as it is, with no map; the namespaces that exist
 * at load are recorded as they are then; one first seen later (it existed
 * at load, but no task used it) is adopted as it is. The record goes when
 * the namespace is freed (retire_userns_sysctls(), called once for every
 * namespace free_user_ns() frees, parents included).
 *
 * Who holds capabilities over a namespace is written once too, by
 * create_user_ns(): its parent and level, and its owner and group (a task
 * in the parent with the owner's euid has every capability in it). An
 * exploit that makes itself the owner of a root-owned namespace (or
 * re-parents one under its own) may enter it with setns() and act as its
 * root. The record keeps them as the maps.
 *
 * A task's user namespace is compared with the record at every syscall
 * entry of a task outside the initial namespace, and in the slow path when
 * its ids change; a namespace a task enters, at the exit of the syscall
 * that entered it.
 *
 * Maps of up to UID_GID_MAP_MAX_BASE_EXTENTS extents live inside the
 * namespace and are compared extent by extent. Longer ones are kmalloc'd
 * arrays (forward, and reverse sorted the other way): their count, both
 * pointers and a keyed hash of the first CG_IDMAP_HASHED extents of both
 * arrays are compared; a rewritten array cannot be put back, only its
 * pointers, so restoring one unmaps the namespace (no extents) instead.
 *
 * Records are read under RCU (hook context) with a seqcount against the
 * few in-place updates; writers take one raw spinlock. They are pool
 * objects of the shadow store.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/kprobes.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>

#include "idmap.h"
#include "shadow.h"

#define CG_IDMAP_BITS 6
/* Extents of a kmalloc'd map covered by its hash. */
#define CG_IDMAP_HASHED 64
#define CG_BASE_EXTENTS UID_GID_MAP_MAX_BASE_EXTENTS

struct cg_idmap_rec {
	struct cg_idmap_rec __rcu *next;
	const struct user_namespace *ns;
	seqcount_t seq;
	/* Map writes in flight: an unset map has no verdict yet. */
	u32 writing;
	u32 hash[CG_IDMAPS];
	struct uid_gid_map map[CG_IDMAPS];
	/* Who holds capabilities over the namespace. */
	const struct user_namespace *parent;
	int level;
	kuid_t owner;
	kgid_t group;
};
/* Records are shadow-store objects; their free leaves its rcu_head alone. */
static_assert(sizeof(struct cg_idmap_rec) <= offsetof(struct cg_shadow, rcu));
static_assert(sizeof(struct uid_gid_extent) == 3 * sizeof(u32));

static struct cg_idmap_rec __rcu *cg_idmap_table[1 << CG_IDMAP_BITS];
static DEFINE_RAW_SPINLOCK(cg_idmap_lock);
static u32 cg_idmap_seed __read_mostly;
static bool cg_idmap_on __read_mostly;

static struct uid_gid_map *cg_ns_map(struct user_namespace *ns, int i)
{
	if (i == 0)
		return &ns->uid_map;
	return i == 1 ? &ns->gid_map : &ns->projid_map;
}

static struct cg_idmap_rec __rcu **cg_rec_slot(const struct user_namespace *ns)
{
	return &cg_idmap_table[hash_ptr(ns, CG_IDMAP_BITS)];
}

/* Hook context (RCU-sched reader) or under cg_idmap_lock. */
static struct cg_idmap_rec *cg_rec_find(const struct user_namespace *ns)
{
	struct cg_idmap_rec *r = rcu_dereference_sched(*cg_rec_slot(ns));

	while (r && r->ns != ns)
		r = rcu_dereference_sched(r->next);
	return r;
}

/* The keyed hash of a kmalloc'd map's two arrays (up to a bound). */
static u32 cg_map_hash(const struct uid_gid_extent *fwd,
		       const struct uid_gid_extent *rev, u32 nr)
{
	u32 n = min_t(u32, nr, CG_IDMAP_HASHED) * 3;

	return jhash2((const u32 *)fwd, n, cg_idmap_seed) ^
	       jhash2((const u32 *)rev, n, ~cg_idmap_seed);
}

/* Does live map @m still say what record map @r (hash @h) says? */
static bool cg_map_same(const struct uid_gid_map *m,
			const struct uid_gid_map *r, u32 h)
{
	u32 nr = READ_ONCE(m->nr_extents);

	if (nr != r->nr_extents)
		return false;
	if (nr <= CG_BASE_EXTENTS)
		return !memcmp(m->extent, r->extent, nr * sizeof(r->extent[0]));
	return READ_ONCE(m->forward) == r->forward &&
	       READ_ONCE(m->reverse) == r->reverse &&
	       cg_map_hash(r->forward, r->reverse, nr) == h;
}

/* Under cg_idmap_lock, in a write section of @r's seqcount. */
static void cg_rec_fill(struct cg_idmap_rec *r, struct user_namespace *ns,
			int i)
{
	const struct uid_gid_map *m = cg_ns_map(ns, i);
	u32 nr = READ_ONCE(m->nr_extents);

	smp_rmb(); /* pairs with map_write()'s smp_wmb() */
	memcpy(&r->map[i], m, sizeof(*m));
	r->map[i].nr_extents = nr;
	r->hash[i] = nr > CG_BASE_EXTENTS ? cg_map_hash(r->map[i].forward,
							r->map[i].reverse, nr) :
					    0;
}

static void cg_rec_fill_all(struct cg_idmap_rec *r, struct user_namespace *ns)
{
	int i;

	for (i = 0; i < CG_IDMAPS; i++)
		cg_rec_fill(r, ns, i);
	r->parent = READ_ONCE(ns->parent);
	r->level = READ_ONCE(ns->level);
	r->owner = READ_ONCE(ns->owner);
	r->group = READ_ONCE(ns->group);
}

/* Which of the parent and the owner of @ns differ from record @r. */
static cg_mask_t cg_rec_who_diff(const struct cg_idmap_rec *r,
				 const struct user_namespace *ns)
{
	cg_mask_t m = 0;

	if (READ_ONCE(ns->parent) != r->parent ||
	    READ_ONCE(ns->level) != r->level)
		m |= CG_M(CG_F_USERNS_PARENT);
	if (!uid_eq(READ_ONCE(ns->owner), r->owner) ||
	    !gid_eq(READ_ONCE(ns->group), r->group))
		m |= CG_M(CG_F_USERNS_OWNER);
	return m;
}

/*
 * Hook context. The record of @ns; one is made from its live maps if it
 * has none, or (@reset: a new namespace at that address) they replace it.
 */
static struct cg_idmap_rec *cg_rec_get(struct user_namespace *ns, bool reset)
{
	struct cg_idmap_rec *r, *n = NULL;
	unsigned long flags;

	r = cg_rec_find(ns);
	if (r && !reset)
		return r;
	if (!r) {
		n = (struct cg_idmap_rec *)cg_shadow_alloc();
		if (!n)
			return NULL;
		n->ns = ns;
		n->writing = 0;
		seqcount_init(&n->seq);
	}
	raw_spin_lock_irqsave(&cg_idmap_lock, flags);
	r = cg_rec_find(ns);
	if (r && reset) {
		write_seqcount_begin(&r->seq);
		r->writing = 0;
		cg_rec_fill_all(r, ns);
		write_seqcount_end(&r->seq);
	} else if (!r && n) {
		cg_rec_fill_all(n, ns);
		RCU_INIT_POINTER(n->next, rcu_dereference_protected(
						  *cg_rec_slot(ns), 1));
		rcu_assign_pointer(*cg_rec_slot(ns), n);
		r = n;
		n = NULL;
	}
	raw_spin_unlock_irqrestore(&cg_idmap_lock, flags);
	if (n)
		cg_shadow_free((struct cg_shadow *)n);
	return r;
}

/* The namespace @ns goes: so does its record. */
static void cg_rec_drop(const struct user_namespace *ns)
{
	struct cg_idmap_rec __rcu **pp = cg_rec_slot(ns);
	struct cg_idmap_rec *r;
	unsigned long flags;

	raw_spin_lock_irqsave(&cg_idmap_lock, flags);
	while ((r = rcu_dereference_protected(*pp, 1)) && r->ns != ns)
		pp = &r->next;
	if (r)
		rcu_assign_pointer(*pp, rcu_dereference_protected(r->next, 1));
	raw_spin_unlock_irqrestore(&cg_idmap_lock, flags);
	if (r)
		cg_shadow_free_deferred((struct cg_shadow *)r);
}

/* The first extent's lower_first, read without trusting the map. */
static u32 cg_map_shown(const struct uid_gid_map *m)
{
	const struct uid_gid_extent *fwd;
	u32 nr = READ_ONCE(m->nr_extents), v;

	if (!nr)
		return U32_MAX;
	if (nr <= CG_BASE_EXTENTS)
		return READ_ONCE(m->extent[0].lower_first);
	fwd = READ_ONCE(m->forward);
	if (!fwd || get_kernel_nofault(v, &fwd->lower_first))
		return U32_MAX;
	return v;
}

static cg_mask_t cg_compare(struct user_namespace *ns, struct cg_idmap_diff *d,
			    bool adopt)
{
	struct cg_idmap_rec *r;
	unsigned int seq;
	cg_mask_t busy;
	int i;

	d->ns = ns;
	d->changed = 0;
	if (!READ_ONCE(cg_idmap_on) || !ns || ns == &init_user_ns)
		return 0;
	r = cg_rec_find(ns);
	if (unlikely(!r)) {
		/* Existed at load, unused then: adopted as it is. */
		if (adopt)
			cg_rec_get(ns, false);
		return 0;
	}
	do {
		seq = read_seqcount_begin(&r->seq);
		busy = 0;
		d->changed = cg_rec_who_diff(r, ns);
		for (i = 0; i < CG_IDMAPS; i++) {
			/*
			 * A write in flight may fill a map that has none (a
			 * map is written once): that one has no verdict
			 * until it returns. A set map never changes.
			 */
			if (r->writing && !r->map[i].nr_extents)
				busy |= CG_M(CG_F_UID_MAP + i);
			if (!cg_map_same(cg_ns_map(ns, i), &r->map[i],
					 r->hash[i]))
				d->changed |= CG_M(CG_F_UID_MAP + i);
		}
	} while (read_seqcount_retry(&r->seq, seq));
	d->changed &= ~busy;
	return d->changed;
}

cg_mask_t cg_idmap_compare(struct user_namespace *ns, struct cg_idmap_diff *d)
{
	return cg_compare(ns, d, true);
}

cg_mask_t cg_idmap_compare_recorded(struct user_namespace *ns,
				    struct cg_idmap_diff *d)
{
	return cg_compare(ns, d, false);
}

/*
 * Put recorded map @r back into @m in place. Lookups meanwhile see no
 * extent (every id unmapped), never a mix of the two.
 */
static void cg_map_put(struct uid_gid_map *m, const struct uid_gid_map *r)
{
	WRITE_ONCE(m->nr_extents, 0);
	smp_wmb(); /* no extent before any is rewritten; pairs with map_id_*() */
	memcpy(m->extent, r->extent, sizeof(m->extent));
	smp_wmb(); /* every extent before the count makes them visible */
	WRITE_ONCE(m->nr_extents, r->nr_extents);
}

int cg_idmap_restore(const struct cg_idmap_diff *d)
{
	struct cg_idmap_rec *r;
	unsigned long flags;
	int i, ret = 0;

	raw_spin_lock_irqsave(&cg_idmap_lock, flags);
	r = cg_rec_find(d->ns);
	if (r && (d->changed & CG_M(CG_F_USERNS_PARENT))) {
		WRITE_ONCE(d->ns->parent, (struct user_namespace *)r->parent);
		WRITE_ONCE(d->ns->level, r->level);
	}
	if (r && (d->changed & CG_M(CG_F_USERNS_OWNER))) {
		WRITE_ONCE(d->ns->owner, r->owner);
		WRITE_ONCE(d->ns->group, r->group);
	}
	for (i = 0; r && i < CG_IDMAPS; i++) {
		struct uid_gid_map *m = cg_ns_map(d->ns, i);

		if (!(d->changed & CG_M(CG_F_UID_MAP + i)))
			continue;
		cg_map_put(m, &r->map[i]);
		if (cg_map_same(m, &r->map[i], r->hash[i]))
			continue;
		/* A rewritten kmalloc'd array: unmap rather than keep it. */
		WRITE_ONCE(m->nr_extents, 0);
		ret = -EIO;
	}
	raw_spin_unlock_irqrestore(&cg_idmap_lock, flags);
	return r ? ret : -EIO;
}

void cg_idmap_accept(const struct cg_idmap_diff *d)
{
	struct cg_idmap_rec *r;
	unsigned long flags;

	raw_spin_lock_irqsave(&cg_idmap_lock, flags);
	r = cg_rec_find(d->ns);
	if (r) {
		write_seqcount_begin(&r->seq);
		cg_rec_fill_all(r, d->ns);
		write_seqcount_end(&r->seq);
	}
	raw_spin_unlock_irqrestore(&cg_idmap_lock, flags);
}

void cg_idmap_event_values(struct cg_event *ev, const struct cg_idmap_diff *d)
{
	struct cg_idmap_rec *r;
	unsigned int i;

	if (!d->changed)
		return;
	r = cg_rec_find(d->ns);
	for (i = 0; r && i < ev->nchanges; i++) {
		struct cg_change *ch = &ev->changes[i];
		int m = (int)ch->field - CG_F_UID_MAP;

		if (ch->field == CG_F_USERNS_PARENT) {
			ch->old = cg_userns_ino((unsigned long)r->parent);
			ch->new = cg_userns_ino(
				(unsigned long)READ_ONCE(d->ns->parent));
		} else if (ch->field == CG_F_USERNS_OWNER) {
			ch->old = __kuid_val(r->owner);
			ch->new = __kuid_val(READ_ONCE(d->ns->owner));
		} else if (m >= 0 && m < CG_IDMAPS) {
			ch->old = cg_map_shown(&r->map[m]);
			ch->new = cg_map_shown(cg_ns_map(d->ns, m));
		} else {
			continue;
		}
		ch->has_value = 1;
	}
}

/* Is every map of @ns and of its ancestors what its record says? */
static bool cg_ns_intact(struct user_namespace *ns)
{
	struct cg_idmap_diff d;
	int depth;

	for (depth = 0; ns && ns != &init_user_ns && depth < 33; depth++) {
		if (cg_idmap_compare(ns, &d))
			return false;
		ns = ns->parent;
	}
	return true;
}

/* --- provenance -------------------------------------------------------- */

/* A map write starts: no verdict on @ns until it returns. */
static int cg_mapw_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct file *file = (struct file *)regs_get_kernel_argument(regs, 0);
	struct seq_file *seq = file->private_data;
	struct user_namespace *ns = seq->private;
	struct cg_idmap_rec *r;
	unsigned long flags;

	if (!ns || ns == &init_user_ns)
		return 1;
	preempt_disable();
	r = cg_rec_get(ns, false);
	if (r) {
		raw_spin_lock_irqsave(&cg_idmap_lock, flags);
		write_seqcount_begin(&r->seq);
		r->writing++;
		write_seqcount_end(&r->seq);
		raw_spin_unlock_irqrestore(&cg_idmap_lock, flags);
	}
	preempt_enable();
	*(struct user_namespace **)ri->data = ns;
	return r ? 0 : 1;
}

/*
 * It returned: a successful write vouches for map @i, unless an ancestor's
 * maps (through which its ids were translated) are not what they were.
 */
static void cg_mapw_ret(struct kretprobe_instance *ri, struct pt_regs *regs,
			int i)
{
	struct user_namespace *ns = *(struct user_namespace **)ri->data;
	bool ok = (long)regs_return_value(regs) > 0;
	struct cg_idmap_rec *r;
	unsigned long flags;

	preempt_disable();
	if (ok && !cg_ns_intact(ns->parent))
		ok = false;
	raw_spin_lock_irqsave(&cg_idmap_lock, flags);
	r = cg_rec_find(ns);
	if (r) {
		write_seqcount_begin(&r->seq);
		if (ok)
			cg_rec_fill(r, ns, i);
		if (r->writing)
			r->writing--;
		write_seqcount_end(&r->seq);
	}
	raw_spin_unlock_irqrestore(&cg_idmap_lock, flags);
	preempt_enable();
}

static int cg_uid_map_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	cg_mapw_ret(ri, regs, 0);
	return 0;
}

static int cg_gid_map_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	cg_mapw_ret(ri, regs, 1);
	return 0;
}

static int cg_projid_map_ret(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	cg_mapw_ret(ri, regs, 2);
	return 0;
}

/* create_user_ns(new): on success new->user_ns is a new namespace. */
static int cg_create_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	*(struct cred **)ri->data =
		(struct cred *)regs_get_kernel_argument(regs, 0);
	return 0;
}

static int cg_create_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	const struct cred *c = *(struct cred **)ri->data;

	if (regs_return_value(regs))
		return 0;
	preempt_disable();
	cg_rec_get(c->user_ns, true);
	preempt_enable();
	return 0;
}

#define CG_MAPW_PROBE(sym, ret)                                        \
	{                                                              \
		.kp.symbol_name = sym, .entry_handler = cg_mapw_entry, \
		.handler = ret, .data_size = sizeof(void *),           \
	}

static struct kretprobe cg_idmap_rps[] = {
	{
		.kp.symbol_name = "create_user_ns",
		.entry_handler = cg_create_entry,
		.handler = cg_create_ret,
		.data_size = sizeof(void *),
	},
	CG_MAPW_PROBE("proc_uid_map_write", cg_uid_map_ret),
	CG_MAPW_PROBE("proc_gid_map_write", cg_gid_map_ret),
	CG_MAPW_PROBE("proc_projid_map_write", cg_projid_map_ret),
};

static bool cg_idmap_rp_on[ARRAY_SIZE(cg_idmap_rps)];

/* retire_userns_sysctls(ns): once per namespace free_user_ns() frees. */
static int cg_ns_free_pre(struct kprobe *kp, struct pt_regs *regs)
{
	preempt_disable();
	cg_rec_drop((void *)regs_get_kernel_argument(regs, 0));
	preempt_enable();
	return 0;
}

static struct kprobe cg_ns_free_probe = {
	.symbol_name = "retire_userns_sysctls",
	.pre_handler = cg_ns_free_pre,
};

static bool cg_ns_free_on;

/* Record every user namespace a task uses now, and their ancestors. */
static void cg_idmap_snapshot(void)
{
	struct task_struct *g, *t;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		struct user_namespace *ns =
			rcu_dereference(t->real_cred)->user_ns;

		preempt_disable();
		for (; ns && ns != &init_user_ns; ns = ns->parent)
			cg_rec_get(ns, false);
		preempt_enable();
	}
	rcu_read_unlock();
}

static void cg_idmap_clear(void)
{
	struct cg_idmap_rec *r, *next;
	int i;

	preempt_disable();
	for (i = 0; i < ARRAY_SIZE(cg_idmap_table); i++) {
		r = rcu_dereference_protected(cg_idmap_table[i], 1);
		RCU_INIT_POINTER(cg_idmap_table[i], NULL);
		for (; r; r = next) {
			next = rcu_dereference_protected(r->next, 1);
			cg_shadow_free((struct cg_shadow *)r);
		}
	}
	preempt_enable();
}

/*
 * The provenance probes first, then the namespaces in use. Without
 * CONFIG_USER_NS there are no other namespaces and nothing to probe.
 */
int cg_idmap_init(void)
{
	int i, ret;

	if (!IS_ENABLED(CONFIG_USER_NS))
		return 0;
	cg_idmap_seed = get_random_u32();
	for (i = 0; i < ARRAY_SIZE(cg_idmap_rps); i++) {
		cg_idmap_rps[i].maxactive =
			max_t(int, 64, 8 * num_possible_cpus());
		ret = cg_fault("idmap_probe") ?
			      -EINVAL :
			      register_kretprobe(&cg_idmap_rps[i]);
		if (ret) {
			pr_err("cannot probe %s: %d\n",
			       cg_idmap_rps[i].kp.symbol_name, ret);
			goto err;
		}
		cg_idmap_rp_on[i] = true;
	}
	/* Without it records outlive their namespace until one reuses it. */
	ret = register_kprobe(&cg_ns_free_probe);
	if (ret)
		pr_warn("cannot probe %s (%d): records of freed user namespaces are kept until unload\n",
			cg_ns_free_probe.symbol_name, ret);
	cg_ns_free_on = !ret;
	cg_idmap_snapshot();
	WRITE_ONCE(cg_idmap_on, true);
	return 0;
err:
	cg_idmap_exit();
	return ret;
}

void cg_idmap_exit(void)
{
	int i;

	WRITE_ONCE(cg_idmap_on, false);
	if (cg_ns_free_on)
		unregister_kprobe(&cg_ns_free_probe);
	cg_ns_free_on = false;
	for (i = ARRAY_SIZE(cg_idmap_rps) - 1; i >= 0; i--) {
		if (!cg_idmap_rp_on[i])
			continue;
		unregister_kretprobe(&cg_idmap_rps[i]);
		cg_idmap_rp_on[i] = false;
	}
	/* The syscall hooks are gone too: no reader is left. */
	synchronize_rcu();
	cg_idmap_clear();
}
