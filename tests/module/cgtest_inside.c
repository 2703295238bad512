// SPDX-License-Identifier: GPL-2.0
/*
 * cgtest: TEST ONLY. Primitives that fire inside a credential syscall,
 * the way another CPU can time a write into a victim's setresuid() or
 * capset() window: "inside PRIM CALL" arms a one-shot return probe on
 * CALL's syscall entry points (every ABI) for the writing task; when that
 * task's next CALL returns, its live cred gets PRIM, in place, before the
 * syscall's exit:
 *
 *   ids     every id = 0
 *   uid0    uid, euid, suid, fsuid = 0
 *   gid0    gid, egid, sgid, fsgid = 0
 *   groups  group_info = a list of gid 0 (made when armed)
 *   caps    permitted and effective = full
 *   inh     inheritable = full
 *   amb     ambient = full
 *   bset    bounding = full
 *   secbits securebits = 0 (locks and all)
 *
 *   root    the root = init's root (the cwd stays)
 *   cwd     the cwd = init's root
 *   nsproxy task->nsproxy = init's
 *   net     the net_ns member of the task's (new) nsproxy = &init_net
 *   seccomp_count  the seccomp filter count + 1, the chain unchanged
 *   exiting PF_EXITING on (with entry-CALL: taken off at the return)
 *
 * CALL "exec-step" is an exec's credential step instead: PRIM goes into the
 * new cred it computed (bprm->cred), before the exec commits it. CALL
 * "entry-NAME": PRIM at the start of NAME's body instead of its return.
 *
 * "inside off" disarms. One task armed at a time.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/binfmts.h>
#include <linux/cred.h>
#include <linux/kprobes.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <net/net_namespace.h>

#include "cgtest.h"

#ifdef CONFIG_X86
/* ia32's execve and execveat are compat entry points. */
static const char *const cgt_abi_prefix[] = { "__x64_sys_", "__ia32_sys_",
					      "__ia32_compat_sys_" };
#elif defined(CONFIG_ARM64)
static const char *const cgt_abi_prefix[] = { "__arm64_sys_",
					      "__arm64_compat_sys_" };
#else
#error "cgtest: the syscall entry symbols of this architecture"
#endif
#define CGT_NPROBES ARRAY_SIZE(cgt_abi_prefix)

static DEFINE_MUTEX(cgt_inside_lock);
static struct kretprobe cgt_inside_rp[CGT_NPROBES];
static char cgt_inside_sym[CGT_NPROBES][64];
static bool cgt_inside_on[CGT_NPROBES];
static struct task_struct *cgt_inside_task;
static void (*cgt_inside_fn)(struct cred *c);
static atomic_t cgt_inside_armed = ATOMIC_INIT(0);

static void cgt_p_uid0(struct cred *c)
{
	c->uid = c->euid = c->suid = c->fsuid = GLOBAL_ROOT_UID;
}

static void cgt_p_gid0(struct cred *c)
{
	c->gid = c->egid = c->sgid = c->fsgid = GLOBAL_ROOT_GID;
}

/* Made in process context when armed: the probe cannot allocate. */
static struct group_info *cgt_root_groups;

static void cgt_p_groups(struct cred *c)
{
	if (!cgt_root_groups)
		return;
	cgt_dropped(c->group_info, cgt_idle_cred()->group_info);
	c->group_info = cgt_root_groups;
	cgt_root_groups = NULL;
}

static void cgt_p_caps(struct cred *c)
{
	c->cap_permitted = CAP_FULL_SET;
	c->cap_effective = CAP_FULL_SET;
}

static void cgt_p_inh(struct cred *c)
{
	c->cap_inheritable = CAP_FULL_SET;
}

static void cgt_p_amb(struct cred *c)
{
	c->cap_ambient = CAP_FULL_SET;
}

static void cgt_p_bset(struct cred *c)
{
	c->cap_bset = CAP_FULL_SET;
}

static void cgt_p_secbits(struct cred *c)
{
	c->securebits = 0;
}

/* The task's state beside its cred (@c unused). */
static void cgt_p_root(struct cred *c)
{
	cgt_fs_to_init(true, false);
}

static void cgt_p_cwd(struct cred *c)
{
	cgt_fs_to_init(false, true);
}

static void cgt_p_nsproxy(struct cred *c)
{
	get_nsproxy(init_task.nsproxy);
	task_lock(current);
	cgt_dropped(current->nsproxy, init_task.nsproxy);
	current->nsproxy = init_task.nsproxy;
	task_unlock(current);
}

static void cgt_p_net(struct cred *c)
{
	struct nsproxy *nsp = current->nsproxy;

	get_net(&init_net);
	task_lock(current);
	cgt_dropped(nsp->net_ns, &init_net);
	nsp->net_ns = &init_net;
	task_unlock(current);
}

static void cgt_p_seccomp_count(struct cred *c)
{
	cgt_seccomp_count();
}

static void cgt_p_exiting(struct cred *c)
{
	current->flags |= PF_EXITING;
}

static const struct {
	const char *name;
	void (*fn)(struct cred *c);
} cgt_inside_prims[] = {
	{ "ids", cgt_zero_ids },      { "uid0", cgt_p_uid0 },
	{ "gid0", cgt_p_gid0 },	      { "groups", cgt_p_groups },
	{ "caps", cgt_p_caps },	      { "inh", cgt_p_inh },
	{ "amb", cgt_p_amb },	      { "bset", cgt_p_bset },
	{ "secbits", cgt_p_secbits }, { "root", cgt_p_root },
	{ "cwd", cgt_p_cwd },	      { "nsproxy", cgt_p_nsproxy },
	{ "net", cgt_p_net },	      { "seccomp_count", cgt_p_seccomp_count },
	{ "exiting", cgt_p_exiting },
};

/* The flags an entry-time primitive set, taken off again at the return. */
#define CGT_ENTRY_FLAGS PF_EXITING

static int cgt_inside_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	if (current != READ_ONCE(cgt_inside_task) ||
	    !atomic_xchg(&cgt_inside_armed, 0))
		return 0;
	cgt_inside_fn((struct cred *)rcu_dereference_raw(current->real_cred));
	return 0;
}

/*
 * "entry-CALL": PRIM at CALL's start instead (after credguard's entry
 * check, before the call's work); flags it set are taken off at the
 * return, as an exploit would, to leave the caller looking clean.
 */
static int cgt_inside_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	if (current != READ_ONCE(cgt_inside_task) ||
	    !atomic_xchg(&cgt_inside_armed, 0))
		return 1;
	cgt_inside_fn((struct cred *)rcu_dereference_raw(current->real_cred));
	return 0;
}

static int cgt_inside_entry_ret(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	current->flags &= ~CGT_ENTRY_FLAGS;
	return 0;
}

static int cgt_step_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct linux_binprm *bprm =
		(struct linux_binprm *)regs_get_kernel_argument(regs, 0);

	if (current != READ_ONCE(cgt_inside_task))
		return 1;
	*(struct cred **)ri->data = bprm->cred;
	return 0;
}

static int cgt_step_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	if (regs_return_value(regs) || !atomic_xchg(&cgt_inside_armed, 0))
		return 0;
	cgt_inside_fn(*(struct cred **)ri->data);
	return 0;
}

static void cgt_inside_disarm(void)
{
	int i;

	atomic_set(&cgt_inside_armed, 0);
	for (i = 0; i < CGT_NPROBES; i++) {
		if (cgt_inside_on[i])
			unregister_kretprobe(&cgt_inside_rp[i]);
		cgt_inside_on[i] = false;
	}
	/* Held while armed: a later task at the same address is not it. */
	if (cgt_inside_task)
		put_task_struct(cgt_inside_task);
	WRITE_ONCE(cgt_inside_task, NULL);
}

static int cgt_inside_arm(const char *prim, const char *call)
{
	bool at_entry;
	int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(cgt_inside_prims); i++)
		if (!strcmp(prim, cgt_inside_prims[i].name))
			break;
	if (i == ARRAY_SIZE(cgt_inside_prims))
		return -EINVAL;
	cgt_inside_fn = cgt_inside_prims[i].fn;
	if (cgt_inside_fn == cgt_p_groups && !cgt_root_groups) {
		cgt_root_groups = groups_alloc(1);
		if (!cgt_root_groups)
			return -ENOMEM;
		cgt_root_groups->gid[0] = GLOBAL_ROOT_GID;
	}
	at_entry = !strncmp(call, "entry-", 6);
	if (at_entry)
		call += 6;
	get_task_struct(current);
	WRITE_ONCE(cgt_inside_task, current);
	for (i = 0; i < CGT_NPROBES; i++) {
		struct kretprobe *rp = &cgt_inside_rp[i];
		bool step = !strcmp(call, "exec-step");

		if (step && i)
			break;
		snprintf(cgt_inside_sym[i], sizeof(cgt_inside_sym[i]), "%s%s",
			 step ? "" : cgt_abi_prefix[i],
			 step ? "security_bprm_creds_from_file" : call);
		memset(rp, 0, sizeof(*rp));
		rp->kp.symbol_name = cgt_inside_sym[i];
		rp->entry_handler = step     ? cgt_step_entry :
				    at_entry ? cgt_inside_entry :
					       NULL;
		rp->handler = step     ? cgt_step_ret :
			      at_entry ? cgt_inside_entry_ret :
					 cgt_inside_ret;
		rp->data_size = step ? sizeof(struct cred *) : 0;
		rp->maxactive = 4;
		cgt_inside_on[i] = !register_kretprobe(rp);
		n += cgt_inside_on[i];
	}
	if (!n) {
		cgt_inside_disarm();
		return -ENOENT;
	}
	atomic_set(&cgt_inside_armed, 1);
	return 0;
}

/* "inside PRIM CALL" or "inside off"; -ENOIOCTLCMD: not this command. */
int cgt_inside_write(char *buf)
{
	char *prim, *call;
	int ret;

	if (strncmp(buf, "inside ", 7))
		return -ENOIOCTLCMD;
	prim = buf + 7;
	call = strchr(prim, ' ');
	if (call)
		*call++ = '\0';
	mutex_lock(&cgt_inside_lock);
	cgt_inside_disarm();
	if (!strcmp(prim, "off") && !call)
		ret = 0;
	else
		ret = call && *call ? cgt_inside_arm(prim, call) : -EINVAL;
	mutex_unlock(&cgt_inside_lock);
	return ret;
}

void cgt_inside_exit(void)
{
	mutex_lock(&cgt_inside_lock);
	cgt_inside_disarm();
	if (cgt_root_groups)
		put_group_info(cgt_root_groups);
	mutex_unlock(&cgt_inside_lock);
}
