// SPDX-License-Identifier: GPL-2.0
/*
 * An exec's credential step. The rules of an exec (rules.c) need what the
 * kernel decides about the file it runs: whether its set-id bits apply
 * and to which owner, and which file capabilities it has. These come from
 * the kernel at the moment it decides, never from user memory or a later
 * re-read:
 *
 *   security_bprm_creds_from_file(bprm, file)   the credential step
 *     get_vfs_caps_from_disk(.., dentry, caps)  the file capabilities
 *
 * Entering the step opens the task's exec record (its shadow entry,
 * CG_SF_EXEC_OPEN); the first capabilities read from disk inside it are
 * kept; when the step returns, the set-id result and the capabilities'
 * contribution are computed from the file's owner, mode and mount and
 * the task's saved (old) credentials, and the record is done
 * (CG_SF_EXEC_DONE). The record lives in the task's own shadow entry,
 * written only by the task itself, and is judged at the exec's
 * commit_creds and exit.
 *
 * Without these probes (a kernel where they cannot attach) an exec's
 * change is judged by its field rules only: cg_exec_on says which.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/binfmts.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/mount.h>
#include <linux/user_namespace.h>

#include "exec.h"
#include "check.h"
#include "shadow.h"

bool cg_exec_on __read_mostly;

/* The running task's entry while its credential step is open, else NULL. */
static struct cg_shadow *cg_exec_open_shadow(void)
{
	struct cg_shadow *s = cg_shadow_find(current);

	return s && (s->flags & CG_SF_EXEC_OPEN) ? s : NULL;
}

/* @ns is @anc or one of its descendants. */
static bool cg_ns_within(const struct user_namespace *ns,
			 const struct user_namespace *anc)
{
	while (ns->level > anc->level)
		ns = ns->parent;
	return ns == anc;
}

/*
 * bprm_fill_uid(): the set-id bits of @file apply on a mount that allows
 * them (and whose superblock belongs to the caller's namespace), without
 * no_new_privs, to an owner mapped in the caller's namespace.
 */
static void cg_exec_setid(const struct cg_shadow *s, struct file *file,
			  u32 *euid, u32 *egid)
{
	const struct vfsmount *mnt = file->f_path.mnt;
	struct user_namespace *ns = cg_saved_userns(s);
	umode_t mode = READ_ONCE(file_inode(file)->i_mode);
	kuid_t uid;
	kgid_t gid;

	*euid = cg_field_get(CG_F_EUID, &s->v);
	*egid = cg_field_get(CG_F_EGID, &s->v);
	if (!(mode & (S_ISUID | S_ISGID)) || (mnt->mnt_flags & MNT_NOSUID) ||
	    cg_field_get(CG_F_NO_NEW_PRIVS, &s->v) ||
	    !cg_ns_within(ns, mnt->mnt_sb->s_user_ns))
		return;
	cg_file_owner(file, &uid, &gid);
	if (!kuid_has_mapping(ns, uid) || !kgid_has_mapping(ns, gid))
		return;
	if (mode & S_ISUID)
		*euid = __kuid_val(uid);
	if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		*egid = __kgid_val(gid);
}

static int cg_step_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct cg_shadow *s;

	preempt_disable();
	s = cg_shadow_find(current);
	if (s && !(s->flags & CG_SF_PENDING)) {
		s->flags = (s->flags & ~CG_SF_EXEC_ALL) | CG_SF_EXEC_OPEN;
		s->exec.file.fp = 0;
		s->exec.file.fi = 0;
	}
	preempt_enable();
	if (!s)
		return 1;
	*(struct file **)ri->data =
		(struct file *)regs_get_kernel_argument(regs, 1);
	return 0;
}

static int cg_step_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct file *file = *(struct file **)ri->data;
	struct cg_shadow *s;
	u64 fp, fi, caps = 0;
	u32 euid, egid;

	preempt_disable();
	s = cg_exec_open_shadow();
	if (!s)
		goto out;
	s->flags &= ~CG_SF_EXEC_OPEN;
	if (regs_return_value(regs))
		goto out; /* the exec fails: it may change nothing */
	fp = s->exec.file.fp;
	fi = s->exec.file.fi;
	if (fp & CG_XF_FCAP) /* bprm_caps_from_vfs_caps(): pP' before pA' */
		caps = (cg_field_get(CG_F_CAP_BND, &s->v) & fp & CG_XF_CAPS) |
		       (cg_field_get(CG_F_CAP_INH, &s->v) & fi) |
		       (fp & (CG_XF_FCAP | CG_XF_EFFECTIVE));
	cg_exec_setid(s, file, &euid, &egid);
	s->exec.got.euid = euid;
	s->exec.got.egid = egid;
	s->exec.got.caps = caps;
	s->flags |= CG_SF_EXEC_DONE;
out:
	preempt_enable();
	return 0;
}

/* Inside the step: where the capabilities read from disk go. */
static int cg_caps_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	unsigned long caps = regs_get_kernel_argument(regs, CG_VFS_CAPS_ARG);
	bool open;

	preempt_disable();
	open = cg_exec_open_shadow();
	preempt_enable();
	if (!open)
		return 1;
	*(struct cpu_vfs_cap_data **)ri->data = (struct cpu_vfs_cap_data *)caps;
	return 0;
}

/* The first capabilities read in the step are the file's (get_file_caps). */
static int cg_caps_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	const struct cpu_vfs_cap_data *c =
		*(struct cpu_vfs_cap_data **)ri->data;
	struct cg_shadow *s;
	u64 fp;

	if (regs_return_value(regs))
		return 0;
	preempt_disable();
	s = cg_exec_open_shadow();
	if (s && !(s->exec.file.fp & CG_XF_FCAP) &&
	    (c->magic_etc & VFS_CAP_REVISION_MASK)) {
		fp = (cg_cap_word(&c->permitted) & CG_XF_CAPS) | CG_XF_FCAP;
		if (c->magic_etc & VFS_CAP_FLAGS_EFFECTIVE)
			fp |= CG_XF_EFFECTIVE;
		s->exec.file.fi = cg_cap_word(&c->inheritable) & CG_XF_CAPS;
		s->exec.file.fp = fp;
	}
	preempt_enable();
	return 0;
}

/* The inner probe first: the step never opens without it. */
static struct kretprobe cg_exec_rps[] = {
	{
		.kp.symbol_name = "get_vfs_caps_from_disk",
		.entry_handler = cg_caps_entry,
		.handler = cg_caps_ret,
		.data_size = sizeof(void *),
	},
	{
		.kp.symbol_name = "security_bprm_creds_from_file",
		.entry_handler = cg_step_entry,
		.handler = cg_step_ret,
		.data_size = sizeof(void *),
	},
};

static bool cg_exec_rp_on[ARRAY_SIZE(cg_exec_rps)];

/*
 * Attached before the syscall hooks (no task is tracked yet, so no step
 * is half seen). A kernel where they cannot attach still runs credguard:
 * its execs are judged by their field rules, and the log says so.
 */
int cg_exec_init(void)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(cg_exec_rps); i++) {
		cg_exec_rps[i].maxactive =
			max_t(int, 64, 8 * num_possible_cpus());
		ret = cg_fault("exec_probe") ?
			      -EINVAL :
			      register_kretprobe(&cg_exec_rps[i]);
		if (ret) {
			pr_warn("cannot probe %s (%d): exec judged by its fields only\n",
				cg_exec_rps[i].kp.symbol_name, ret);
			cg_exec_exit();
			return 0;
		}
		cg_exec_rp_on[i] = true;
	}
	WRITE_ONCE(cg_exec_on, true);
	return 0;
}

void cg_exec_exit(void)
{
	int i;

	WRITE_ONCE(cg_exec_on, false);
	for (i = ARRAY_SIZE(cg_exec_rps) - 1; i >= 0; i--) {
		if (!cg_exec_rp_on[i])
			continue;
		unregister_kretprobe(&cg_exec_rps[i]);
		cg_exec_rp_on[i] = false;
	}
}
