// SPDX-License-Identifier: GPL-2.0
/*
 * cgtest: TEST ONLY. Performs the exploit primitives credguard must catch,
 * inside an ordinary write() to /proc/cgtest. Never install this module on
 * a machine you care about: it hands out root to anyone who can write to
 * that file (root only, mode 0200).
 *
 *   commit_root    commit_creds(prepare_kernel_cred(&init_task))
 *   overwrite_ids  write 0 into every id of the live cred, in place
 *   caps_only      raise the permitted and effective sets only
 *   fsuid_only     fsuid = 0 only
 *   swap_ptr       point cred and real_cred at a root copy of the caller's
 *                  cred, no commit_creds
 *   override       override_creds() to root and never revert
 *   userns         cred->user_ns = &init_user_ns, in place
 *   nsproxy        task->nsproxy = init's, no switch_task_namespaces()
 *   other PID      write 0 into the ids of task PID's cred, in place
 *   irq MS         after MS milliseconds, from a hard interrupt, write 0
 *                  into the ids of the writer's cred
 *   umh_*          overwrite a usermode helper variable (cgtest_umh.c)
 *   inside PRIM CALL  PRIM inside the task's next CALL (cgtest_inside.c)
 *
 * cgtest_guard.c adds the primitives against the rest of the guarded state
 * (fs_struct, seccomp, no_new_privs, nsproxy members, group contents, the
 * syscall work bits, task flags).
 *
 * Reading the file prints how many irq primitives have fired.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kmemleak.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/cred.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/nsproxy.h>
#include <linux/user_namespace.h>
#include <linux/hrtimer.h>
#include <linux/pid.h>
#include <linux/uaccess.h>
#include <linux/string.h>

#include "cgtest.h"
#include "cgtest_umh.c"

static struct proc_dir_entry *cgt_entry;
static atomic_t cgt_irq_fired = ATOMIC_INIT(0);

void cgt_zero_ids(struct cred *c)
{
	c->uid = GLOBAL_ROOT_UID;
	c->gid = GLOBAL_ROOT_GID;
	c->suid = GLOBAL_ROOT_UID;
	c->sgid = GLOBAL_ROOT_GID;
	c->euid = GLOBAL_ROOT_UID;
	c->egid = GLOBAL_ROOT_GID;
	c->fsuid = GLOBAL_ROOT_UID;
	c->fsgid = GLOBAL_ROOT_GID;
}

/*
 * The forged creds are leaked on purpose once credguard has put the
 * legitimate one back (it never drops a reference an exploit may not have
 * taken): on a kmemleak kernel (make sanitize) they are not leaks to
 * report.
 */
static struct cred *cgt_forge(void)
{
	struct cred *c = prepare_kernel_cred(&init_task);

	if (c)
		kmemleak_not_leak(c);
	return c;
}

static noinline int cgt_commit_root(void)
{
	struct cred *c = cgt_forge();

	if (!c)
		return -ENOMEM;
	return commit_creds(c);
}

/*
 * With CONFIG_DEBUG_CREDENTIALS the kernel counts the task slots pointing
 * at each cred and BUGs at exit when they do not add up; the swap keeps
 * them as commit_creds() would, so that a task that lives on with the
 * forged cred (log mode) exits cleanly.
 */
static void cgt_subscribers_move(const struct cred *from, struct cred *to)
{
#ifdef CONFIG_DEBUG_CREDENTIALS
	atomic_sub(2, &((struct cred *)from)->subscribers);
	atomic_add(2, &to->subscribers);
#endif
}

/*
 * The swapped-in cred is root made from the caller's own: its user,
 * user_ns and ucounts stay the ones the task's RLIMIT_NPROC count was
 * taken against at fork. A swap to a cred of another user (init's) would
 * leave that count behind, and in log mode, where the swap stays, the
 * exit would take it from root's (underflow: a WARNING in
 * dec_rlimit_ucounts() once enough forged tasks exited; make sanitize's
 * soak saw it): the exploit's own damage, not what this test is after.
 */
static struct cred *cgt_forge_self(void)
{
	struct cred *c = prepare_creds();

	if (!c)
		return NULL;
	kmemleak_not_leak(c);
	cgt_zero_ids(c);
	c->cap_inheritable = CAP_FULL_SET;
	c->cap_permitted = CAP_FULL_SET;
	c->cap_effective = CAP_FULL_SET;
	c->cap_bset = CAP_FULL_SET;
	return c;
}

static noinline int cgt_swap_ptr(void)
{
	struct cred *c = cgt_forge_self();

	if (!c)
		return -ENOMEM;
	get_cred(c);
	cgt_dropped(rcu_dereference_raw(current->real_cred), cgt_idle_cred());
	cgt_subscribers_move(rcu_dereference_raw(current->real_cred), c);
	rcu_assign_pointer(current->real_cred, c);
	rcu_assign_pointer(current->cred, c);
	return 0;
}

static noinline int cgt_override(void)
{
	struct cred *c = cgt_forge();

	if (!c)
		return -ENOMEM;
	/* Never reverted: the reference to the old cred it returns drops. */
	cgt_dropped(override_creds(c), cgt_idle_cred());
	return 0;
}

static noinline int cgt_other(pid_t nr)
{
	struct task_struct *t;

	rcu_read_lock();
	t = pid_task(find_vpid(nr), PIDTYPE_PID);
	if (t)
		cgt_zero_ids((struct cred *)rcu_dereference(t->real_cred));
	rcu_read_unlock();
	return t ? 0 : -ESRCH;
}

struct cgt_irq {
	struct hrtimer timer;
	struct task_struct *task;
};

static enum hrtimer_restart cgt_irq_fn(struct hrtimer *timer)
{
	struct cgt_irq *w = container_of(timer, struct cgt_irq, timer);

	cgt_zero_ids((struct cred *)rcu_dereference_raw(w->task->real_cred));
	atomic_inc(&cgt_irq_fired);
	return HRTIMER_NORESTART;
}

/* One timer at a time; the writer waits for nothing. */
static struct cgt_irq cgt_irq_work;

static int cgt_irq(unsigned int ms)
{
	if (hrtimer_active(&cgt_irq_work.timer))
		return -EBUSY;
	if (cgt_irq_work.task)
		put_task_struct(cgt_irq_work.task);
	cgt_irq_work.task = get_task_struct(current);
	hrtimer_start(&cgt_irq_work.timer, ms_to_ktime(ms),
		      HRTIMER_MODE_REL_HARD);
	return 0;
}

static ssize_t cgt_write(struct file *file, const char __user *ubuf, size_t len,
			 loff_t *ppos)
{
	char buf[64], *arg;
	unsigned int n = 0;
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	strim(buf);
	ret = cgt_umh_write(buf);
	if (ret == -ENOIOCTLCMD)
		ret = cgt_inside_write(buf);
	if (ret != -ENOIOCTLCMD)
		return ret ? ret : len;
	arg = strchr(buf, ' ');
	if (arg) {
		*arg++ = '\0';
		if (kstrtouint(arg, 10, &n))
			return -EINVAL;
	}

	if (!strcmp(buf, "commit_root")) {
		ret = cgt_commit_root();
	} else if (!strcmp(buf, "overwrite_ids")) {
		cgt_zero_ids((struct cred *)current_cred());
		ret = 0;
	} else if (!strcmp(buf, "caps_only")) {
		struct cred *c = (struct cred *)current_cred();

		c->cap_permitted = CAP_FULL_SET;
		c->cap_effective = CAP_FULL_SET;
		ret = 0;
	} else if (!strcmp(buf, "fsuid_only")) {
		((struct cred *)current_cred())->fsuid = GLOBAL_ROOT_UID;
		ret = 0;
	} else if (!strcmp(buf, "swap_ptr")) {
		ret = cgt_swap_ptr();
	} else if (!strcmp(buf, "override")) {
		ret = cgt_override();
	} else if (!strcmp(buf, "userns")) {
		cgt_dropped(current_user_ns(), &init_user_ns);
		((struct cred *)current_cred())->user_ns = &init_user_ns;
		ret = 0;
	} else if (!strcmp(buf, "nsproxy")) {
		get_nsproxy(init_task.nsproxy);
		task_lock(current);
		cgt_dropped(current->nsproxy, init_task.nsproxy);
		current->nsproxy = init_task.nsproxy;
		task_unlock(current);
		ret = 0;
	} else if (!strcmp(buf, "other") && arg) {
		ret = cgt_other(n);
	} else if (!strcmp(buf, "irq") && arg) {
		ret = cgt_irq(n);
	} else {
		ret = cgt_guard_run(buf, arg, n);
		if (ret == -ENOENT)
			ret = -EINVAL;
	}
	return ret ? ret : len;
}

static int cgt_show(struct seq_file *m, void *v)
{
	seq_printf(m, "irq_fired %d\n", atomic_read(&cgt_irq_fired));
	return 0;
}

static int cgt_open(struct inode *inode, struct file *file)
{
	return single_open(file, cgt_show, NULL);
}

static const struct proc_ops cgt_ops = {
	.proc_open = cgt_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
	.proc_write = cgt_write,
};

static int __init cgt_init(void)
{
#ifdef CGT_HAVE_HRTIMER_SETUP /* hrtimer_init() was replaced */
	hrtimer_setup(&cgt_irq_work.timer, cgt_irq_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_HARD);
#else
	hrtimer_init(&cgt_irq_work.timer, CLOCK_MONOTONIC,
		     HRTIMER_MODE_REL_HARD);
	cgt_irq_work.timer.function = cgt_irq_fn;
#endif
	cgt_entry = proc_create("cgtest", 0600, NULL, &cgt_ops);
	if (!cgt_entry)
		return -ENOMEM;
	pr_info("TEST ONLY module loaded: /proc/cgtest hands out root\n");
	return 0;
}

static void __exit cgt_exit(void)
{
	proc_remove(cgt_entry);
	cgt_umh_exit();
	cgt_inside_exit();
	cgt_guard_exit();
	hrtimer_cancel(&cgt_irq_work.timer);
	if (cgt_irq_work.task)
		put_task_struct(cgt_irq_work.task);
}

module_init(cgt_init);
module_exit(cgt_exit);
MODULE_LICENSE("GPL v2");
MODULE_DESCRIPTION("credguard TEST ONLY exploit primitives");
