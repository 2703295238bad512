// SPDX-License-Identifier: GPL-2.0
/*
 * seccomp filter chains as they were installed.
 *
 * A task's seccomp words (guard.h) say which chain it runs, not what the
 * chain does. The filters are kernel objects (struct seccomp_filter, laid
 * out in sfilter.h) that one write makes permissive: the program a filter
 * runs, that program's entry point, the link to the filter below, or a
 * bit of the newest filter's action cache (that syscall then runs without
 * any filter). So each filter of a chain a tracked task runs has a record
 * here, made when the filter is first seen legitimately: at load, at a
 * task's adoption, or at the exit of the seccomp()/prctl() that pushed it
 * on the chain, once the policy found the new chain to run into the old
 * one (cg_frec_extends()). What is recorded:
 *  - the newest filter: every word from its log flag to its program (the
 *    action cache is only ever read from the newest filter);
 *  - every filter: the filter below, the program, the program's entry
 *    point (the JIT image or the interpreter).
 * The program's own instructions are in read-only memory once it is
 * built (a JIT image; an interpreted program's pages are made read-only):
 * not a one-word write.
 *
 * Lifetime: a record holds a reference on the record of the filter below
 * it, and a shadow entry on the record of its task's newest filter
 * (shadow.c), so a record lives as long as some tracked task runs its
 * filter; the filter itself outlives it (the kernel frees a filter only
 * when no task runs it and no filter above it is left). Records are
 * hashed by filter under cg_frec_lock, walked without the lock by the
 * tasks that hold them, and freed after an RCU grace period.
 *
 * The layout is the kernel's private one: every filter recorded must read
 * as one (its program's aux points back at the program). Until one has,
 * a filter that does not is left unguarded (a warning says so); once one
 * has, a pushed filter that does not is a forgery.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/bpf.h>
#include <linux/hash.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "arch.h"
#include "filters.h"
#include "sfilter.h"
#include "shadow.h"

#define CG_FREC_BITS 6
/*
 * More filters than a chain can hold: each one costs at least five of the
 * 32768 instructions (MAX_INSNS_PER_PATH) the kernel allows a chain.
 */
#define CG_FCHAIN_MAX 8192

struct cg_frec {
	struct cg_frec *next; /* in the hash, under cg_frec_lock */
	const u64 *filter; /* the kernel's struct seccomp_filter */
	struct cg_frec *below; /* the record of its prev (a reference) */
	unsigned int refs; /* under cg_frec_lock */
	u64 func; /* prog->bpf_func */
	u64 w[CG_SFW_N]; /* from CG_SFW_FIRST */
};
/* Freed as a shadow object, whose RCU head must not overlap a record. */
static_assert(sizeof(struct cg_frec) <= offsetof(struct cg_shadow, rcu));

static struct cg_frec *cg_frecs[1 << CG_FREC_BITS];
static unsigned int cg_frec_count;
static DEFINE_RAW_SPINLOCK(cg_frec_lock);
/* A filter has read as one: the layout in sfilter.h is this kernel's. */
static bool cg_frec_layout_seen;

const void *cg_frec_filter(const struct cg_frec *r)
{
	return r->filter;
}

static struct cg_frec **cg_frec_slot(const u64 *filter)
{
	struct cg_frec **pp = &cg_frecs[hash_ptr(filter, CG_FREC_BITS)];

	while (*pp && (*pp)->filter != filter)
		pp = &(*pp)->next;
	return pp;
}

/*
 * Read filter @f's words and its program's entry point without trusting
 * @f: false if it does not read as a seccomp filter.
 */
static bool cg_sfilter_read(const u64 *f, u64 *w, u64 *func)
{
	const struct bpf_prog *prog, *back;
	const struct bpf_prog_aux *aux;

	if (cg_fault("seccomp_layout") ||
	    copy_from_kernel_nofault(w, f + CG_SFW_FIRST, CG_SFW_N * 8))
		return false;
	prog = (const struct bpf_prog *)(unsigned long)w[CG_SFW_PROG];
	if (copy_from_kernel_nofault(&aux, &prog->aux, sizeof(aux)) ||
	    copy_from_kernel_nofault(&back, &aux->prog, sizeof(back)) ||
	    back != prog ||
	    copy_from_kernel_nofault(func, &prog->bpf_func, sizeof(*func)))
		return false;
	WRITE_ONCE(cg_frec_layout_seen, true);
	return true;
}

/* A filter did not read as one. */
static void cg_sfilter_unread(void)
{
	if (!READ_ONCE(cg_frec_layout_seen))
		pr_warn_once(
			"a seccomp filter does not read as one: its chain is not guarded\n");
}

/* Under the lock: how many filters from @f down have no record (<0: bad). */
static int cg_frec_missing(const u64 *f)
{
	u64 prev;
	int n;

	for (n = 0; f && !*cg_frec_slot(f); n++) {
		if (n == CG_FCHAIN_MAX ||
		    copy_from_kernel_nofault(&prev,
					     f + CG_SFW_FIRST + CG_SFW_PREV,
					     sizeof(prev)))
			return -EINVAL;
		f = (const u64 *)(unsigned long)prev;
	}
	return n;
}

/*
 * Under the lock: records for the filters from @f down to the first one
 * recorded, taken from @pool (as many as cg_frec_missing() said), then
 * hashed. Returns the top one with a reference for the caller, or NULL
 * (the records go back to @pool) when a filter does not read as one.
 */
static struct cg_frec *cg_frec_build(const u64 *f, struct cg_frec **pool)
{
	struct cg_frec *top = NULL, **link = &top, *r, *old = NULL;

	while (f && !(old = *cg_frec_slot(f))) {
		r = *pool;
		if (!r)
			goto unread;
		*pool = r->below;
		memset(r, 0, sizeof(*r));
		r->filter = f;
		r->refs = 1;
		*link = r;
		link = &r->below;
		if (!cg_sfilter_read(f, r->w, &r->func))
			goto unread;
		f = (const u64 *)(unsigned long)r->w[CG_SFW_PREV];
	}
	if (old)
		old->refs++;
	*link = old;
	for (r = top; r != old; r = r->below) {
		struct cg_frec **pp = cg_frec_slot(r->filter);

		r->next = *pp;
		*pp = r;
		cg_frec_count++;
	}
	return top;
unread:
	for (r = top; r; r = top) {
		top = r->below;
		r->below = *pool;
		*pool = r;
	}
	return NULL;
}

/* Any context: the shadow pool wants preemption off. */
static struct cg_frec *cg_frec_alloc(void)
{
	struct cg_frec *r;

	preempt_disable();
	r = (struct cg_frec *)cg_shadow_alloc();
	preempt_enable();
	return r;
}

struct cg_frec *cg_frec_get(const void *head)
{
	struct cg_frec *pool = NULL, *r = NULL, *x;
	unsigned long flags;
	int need, have = 0;

	if (!head)
		return NULL;
	for (;;) {
		raw_spin_lock_irqsave(&cg_frec_lock, flags);
		need = cg_frec_missing(head);
		if (need >= 0 && need <= have)
			r = cg_frec_build(head, &pool);
		raw_spin_unlock_irqrestore(&cg_frec_lock, flags);
		if (need < 0 || need <= have)
			break;
		for (; have < need; have++) {
			x = cg_frec_alloc();
			if (!x)
				goto out;
			x->below = pool;
			pool = x;
		}
	}
	if (!r)
		cg_sfilter_unread();
out:
	for (x = pool; x; x = pool) {
		pool = x->below;
		cg_shadow_free_deferred((struct cg_shadow *)x);
	}
	if (!r)
		cg_stat_inc(CG_S_TRACK_FAILED);
	return r;
}

void cg_frec_put(struct cg_frec *r)
{
	struct cg_frec *dead = NULL, *below, **pp;
	unsigned long flags;

	raw_spin_lock_irqsave(&cg_frec_lock, flags);
	for (; r && !--r->refs; r = below) {
		below = r->below;
		pp = cg_frec_slot(r->filter);
		*pp = r->next;
		cg_frec_count--;
		r->next = dead;
		dead = r;
	}
	raw_spin_unlock_irqrestore(&cg_frec_lock, flags);
	for (r = dead; r; r = dead) {
		dead = r->next;
		cg_shadow_free_deferred((struct cg_shadow *)r);
	}
}

/* The entry point of @r's program, as recorded (the program is alive). */
static u64 cg_frec_live_func(const struct cg_frec *r)
{
	const struct bpf_prog *p =
		(const struct bpf_prog *)(unsigned long)r->w[CG_SFW_PROG];

	return (u64)(unsigned long)READ_ONCE(p->bpf_func);
}

/* The live words at @live XOR the recorded ones, four at a time. */
static __always_inline u64 cg_frec_xor(const u64 *live, const u64 *w, int n)
{
	u64 x = 0;
	int i;

	for (i = 0; i + 4 <= n; i += 4)
		x |= (READ_ONCE(live[i]) ^ w[i]) |
		     (READ_ONCE(live[i + 1]) ^ w[i + 1]) |
		     (READ_ONCE(live[i + 2]) ^ w[i + 2]) |
		     (READ_ONCE(live[i + 3]) ^ w[i + 3]);
	for (; i < n; i++)
		x |= READ_ONCE(live[i]) ^ w[i];
	return x;
}

/*
 * Only recorded pointers are followed (the records' own links, the
 * recorded programs); the live words are compared, never dereferenced.
 */
unsigned int cg_frec_changed(const struct cg_frec *r)
{
	const u64 *f;
	unsigned int pos = 1;

	if (cg_frec_xor(r->filter + CG_SFW_FIRST, r->w, CG_SFW_N) |
	    (cg_frec_live_func(r) ^ r->func))
		return pos;
	for (r = r->below; r; r = r->below) {
		f = r->filter + CG_SFW_FIRST;
		pos++;
		if ((READ_ONCE(f[CG_SFW_PREV]) ^ r->w[CG_SFW_PREV]) |
		    (READ_ONCE(f[CG_SFW_PROG]) ^ r->w[CG_SFW_PROG]) |
		    (cg_frec_live_func(r) ^ r->func))
			return pos;
	}
	return 0;
}

unsigned int cg_frec_recheck(const struct cg_frec *r)
{
	unsigned long flags;
	unsigned int pos;

	raw_spin_lock_irqsave(&cg_frec_lock, flags);
	pos = cg_frec_changed(r);
	raw_spin_unlock_irqrestore(&cg_frec_lock, flags);
	return pos;
}

/*
 * Write @want over @at, a word of a live kernel object, if it differs; a
 * pointer the exploit wrote there is abandoned (abandon.h).
 */
static int cg_frec_put_back(u64 *at, u64 want, bool ptr)
{
	u64 now = READ_ONCE(*at);

	if (now == want)
		return 0;
	if (cg_arch_page_readonly((unsigned long)at))
		return -EFAULT;
	if (ptr)
		cg_abandon((const void *)(unsigned long)now,
			   (const void *)(unsigned long)want);
	WRITE_ONCE(*at, want);
	return 0;
}

int cg_frec_restore(const struct cg_frec *r)
{
	unsigned long flags;
	int i, ret = 0;

	raw_spin_lock_irqsave(&cg_frec_lock, flags);
	for (; r; r = r->below) {
		u64 *f = (u64 *)r->filter + CG_SFW_FIRST;
		struct bpf_prog *p =
			(struct bpf_prog *)(unsigned long)r->w[CG_SFW_PROG];

		for (i = 0; i < CG_SFW_N; i++)
			ret |= cg_frec_put_back(&f[i], r->w[i],
						i == CG_SFW_PREV ||
							i == CG_SFW_PROG);
		ret |= cg_frec_put_back((u64 *)&p->bpf_func, r->func, false);
	}
	raw_spin_unlock_irqrestore(&cg_frec_lock, flags);
	return ret ? -EFAULT : 0;
}

void cg_frec_accept(struct cg_frec *r)
{
	unsigned long flags;
	u64 w[CG_SFW_N], func;

	raw_spin_lock_irqsave(&cg_frec_lock, flags);
	for (; r; r = r->below) {
		/*
		 * A program that is no longer one stays recorded (the next
		 * filter run would crash the kernel anyway): only recorded
		 * programs are ever followed.
		 */
		if (!cg_sfilter_read(r->filter, w, &func))
			continue;
		memcpy(r->w, w, sizeof(w));
		r->func = func;
	}
	raw_spin_unlock_irqrestore(&cg_frec_lock, flags);
}

bool cg_frec_extends(const void *head, unsigned int n, const void *old)
{
	const u64 *f = head;
	u64 w[CG_SFW_N], func;

	if (n > CG_FCHAIN_MAX)
		return false;
	for (; n; n--) {
		if (!f)
			return false;
		if (!cg_sfilter_read(f, w, &func))
			/* Unguarded until the layout is known (above). */
			return !READ_ONCE(cg_frec_layout_seen);
		f = (const u64 *)(unsigned long)w[CG_SFW_PREV];
	}
	return f == old;
}

/* At unload, once every shadow has dropped its reference. */
void cg_frec_exit(void)
{
	WARN_ON_ONCE(READ_ONCE(cg_frec_count));
}
