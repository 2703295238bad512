// SPDX-License-Identifier: GPL-2.0
/*
 * Event production and publication.
 *
 * cg_event_emit() runs where the check runs: a tracepoint or kretprobe
 * handler, preemption disabled. It only takes a raw spinlock, copies the
 * event into a preallocated ring slot and queues an irq_work; nothing
 * sleeps or allocates, so it is PREEMPT_RT-safe. The irq_work queues a
 * work item that sends the new events to the netlink multicast group from
 * process context.
 *
 * Every event gets the next sequence number (1, 2, 3, ...; no gaps). When
 * the ring is full the oldest event is overwritten and counted
 * (events_overwritten); if it had not been multicast yet it is counted
 * again as events_unpublished. Nothing is lost silently.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/cgroup.h>
#include <linux/irq_work.h>
#include <linux/math64.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "events.h"

u64 cg_instance __read_mostly;

static struct cg_ring_ent *cg_ring;
static DEFINE_RAW_SPINLOCK(cg_ring_lock);
static u64 cg_ring_next = 1; /* sequence number of the next event */
static u64 cg_ring_pub = 1; /* next sequence number to multicast */

static struct irq_work cg_pub_irq;
static struct work_struct cg_pub_work;
/* Only the (non-reentrant) work item uses it. */
static struct cg_ring_ent cg_pub_buf;

static struct cg_ring_ent *cg_slot(u64 seq)
{
	u32 rem;

	div_u64_rem(seq, cg_ring_size, &rem);
	return &cg_ring[rem];
}

static u64 cg_ring_first(void)
{
	return cg_ring_next > cg_ring_size ? cg_ring_next - cg_ring_size : 1;
}

static u64 cg_task_cgroup_id(struct task_struct *t)
{
#ifdef CONFIG_CGROUPS
	return cgroup_id(task_dfl_cgroup(t));
#else
	return 0;
#endif
}

void cg_event_emit(const struct cg_event *ev)
{
	cg_event_emit_kind(ev, CG_EV_CRED);
}

void cg_event_emit_kind(const struct cg_event *ev, u8 kind)
{
	struct cg_ring_ent *e;
	unsigned long flags;
	u64 boot = ktime_get_boottime_ns(), real = ktime_get_real_ns();
	u64 cgid;
	pid_t ppid;
	u64 seq;

	rcu_read_lock();
	ppid = task_tgid_nr(rcu_dereference(current->real_parent));
	cgid = cg_task_cgroup_id(current);
	rcu_read_unlock();

	raw_spin_lock_irqsave(&cg_ring_lock, flags);
	seq = cg_ring_next++;
	if (seq > cg_ring_size) {
		/* The slot's previous occupant goes. */
		cg_stat_inc(CG_S_EVENTS_OVERWRITTEN);
		if (cg_ring_pub <= seq - cg_ring_size) {
			cg_ring_pub = seq - cg_ring_size + 1;
			cg_stat_inc(CG_S_EVENTS_UNPUBLISHED);
		}
	}
	e = cg_slot(seq);
	e->seq = seq;
	e->boot_ns = boot;
	e->real_ns = real;
	e->cgroup_id = cgid;
	e->ppid = ppid;
	e->ev = *ev;
	e->ev.kind = kind;
	cg_stat_inc(CG_S_EVENTS);
	raw_spin_unlock_irqrestore(&cg_ring_lock, flags);

	irq_work_queue(&cg_pub_irq);
}

/*
 * Copy the event with sequence number *seq, or the oldest one after it
 * still in the ring (*seq is updated). -ENOENT when there is none.
 */
int cg_ring_read(u64 *seq, struct cg_ring_ent *out)
{
	unsigned long flags;
	int ret = -ENOENT;

	raw_spin_lock_irqsave(&cg_ring_lock, flags);
	if (*seq < cg_ring_first())
		*seq = cg_ring_first();
	if (*seq < cg_ring_next) {
		*out = *cg_slot(*seq);
		ret = 0;
	}
	raw_spin_unlock_irqrestore(&cg_ring_lock, flags);
	return ret;
}

void cg_ring_bounds(u64 *first, u64 *next)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&cg_ring_lock, flags);
	*first = cg_ring_first();
	*next = cg_ring_next;
	raw_spin_unlock_irqrestore(&cg_ring_lock, flags);
}

static void cg_pub_work_fn(struct work_struct *work)
{
	unsigned long flags;

	for (;;) {
		raw_spin_lock_irqsave(&cg_ring_lock, flags);
		if (cg_ring_pub >= cg_ring_next) {
			raw_spin_unlock_irqrestore(&cg_ring_lock, flags);
			break;
		}
		cg_pub_buf = *cg_slot(cg_ring_pub);
		cg_ring_pub++;
		raw_spin_unlock_irqrestore(&cg_ring_lock, flags);

		if (cg_nl_publish(&cg_pub_buf))
			cg_stat_inc(CG_S_PUBLISH_FAILED);
		else
			cg_stat_inc(CG_S_EVENTS_PUBLISHED);
		cond_resched();
	}
}

static void cg_pub_irq_fn(struct irq_work *w)
{
	queue_work(system_wq, &cg_pub_work);
}

int cg_events_init(void)
{
	cg_ring = cg_fault("ring") ?
			  NULL :
			  vzalloc(array_size(cg_ring_size, sizeof(*cg_ring)));
	if (!cg_ring)
		return -ENOMEM;
	cg_instance = get_random_u64();
	init_irq_work(&cg_pub_irq, cg_pub_irq_fn);
	INIT_WORK(&cg_pub_work, cg_pub_work_fn);
	return 0;
}

/* After the hooks are gone: publish what is left, then stop. */
void cg_events_flush(void)
{
	irq_work_sync(&cg_pub_irq);
	flush_work(&cg_pub_work);
}

void cg_events_exit(void)
{
	cg_events_flush();
	vfree(cg_ring);
	cg_ring = NULL;
}
