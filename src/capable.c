// SPDX-License-Identifier: GPL-2.0
/*
 * Capabilities held over a user namespace from outside it. cap_capable()
 * gives every capability in a namespace to a task of its parent whose
 * euid is its owner: an exploit that writes a root-made namespace's owner
 * (one word; or its parent and level) rules the namespace's tasks from
 * outside it (ptrace, signals, their files) without ever entering it, so
 * no boundary of a task in it need come. Each namespace has a record of
 * who it was made by (idmap.c); here every capability check aimed at a
 * namespace other than the caller's own and the initial one compares,
 * before the kernel walks them, the namespaces it would walk.
 *
 * Hook context: a kprobe on security_capable(), preemption disabled.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/cred.h>
#include <linux/kprobes.h>
#include <linux/preempt.h>
#include <linux/user_namespace.h>

#include "capable.h"
#include "check.h"
#include "idmap.h"
#include "shadow.h"

/* The user-namespace nesting limit (kernel/user_namespace.c). */
#define CG_USERNS_DEPTH 33

/*
 * The namespaces cap_capable() walks for @cred over @targ: from @targ up
 * to the first at @cred's level. Each is compared with its record before
 * its parent is followed (a forged parent leads nowhere unseen).
 */
static noinline void cg_capable_walk(const struct cred *cred,
				     struct user_namespace *targ)
{
	const struct user_namespace *home = cred->user_ns;
	struct user_namespace *ns = targ;
	struct cg_idmap_diff d;
	struct cg_shadow *s;
	int i;

	if (!in_task())
		return;
	for (i = 0; ns && i < CG_USERNS_DEPTH; i++) {
		if (ns == home || READ_ONCE(ns->level) <= home->level)
			return;
		if (cg_idmap_compare(ns, &d) & CG_M_USERNS_WHO)
			break;
		ns = READ_ONCE(ns->parent);
	}
	if (!ns || i == CG_USERNS_DEPTH)
		return;
	d.changed &= CG_M_USERNS_WHO;
	s = cg_shadow_find(current);
	if (s)
		cg_capable_violation(s, &d);
}

/* security_capable(cred, targ_ns, cap, opts) */
static int cg_capable_pre(struct kprobe *p, struct pt_regs *regs)
{
	const struct cred *cred = (void *)regs_get_kernel_argument(regs, 0);
	struct user_namespace *targ = (void *)regs_get_kernel_argument(regs, 1);

	if (likely(targ == cred->user_ns || targ == &init_user_ns))
		return 0;
	cg_capable_walk(cred, targ);
	return 0;
}

static struct kprobe cg_capable_probe = {
	.symbol_name = "security_capable",
	.pre_handler = cg_capable_pre,
};

static bool cg_capable_on;

void cg_capable_init(void)
{
	int ret = cg_fault("capable_probe") ?
			  -EINVAL :
			  register_kprobe(&cg_capable_probe);

	cg_capable_on = !ret;
	if (ret)
		pr_warn("cannot probe security_capable (%d): a forged user namespace owner is found at its own tasks' syscalls only\n",
			ret);
}

void cg_capable_exit(void)
{
	if (cg_capable_on)
		unregister_kprobe(&cg_capable_probe);
	cg_capable_on = false;
}
