// SPDX-License-Identifier: GPL-2.0
/*
 * Which system calls may change which credentials.
 *
 * A change seen at a syscall's exit is legitimate only when every field
 * that changed is allowed for that syscall (of that ABI). Everything else,
 * and any change seen at a syscall's entry, is a violation.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/kernel.h>
#include <linux/user_namespace.h>
#include <linux/uaccess.h>
#include <asm/unistd.h>
#ifdef CONFIG_IA32_EMULATION
#include <asm/unistd_32_ia32.h>
#endif

#include "policy.h"

/*
 * The setuid family may also raise or drop capabilities
 * (cap_emulate_setxuid), and setfsuid the effective file caps.
 */
#define P_SETUID                                               \
	(CG_M_UIDS | CG_M(CG_F_CAP_PRM) | CG_M(CG_F_CAP_EFF) | \
	 CG_M(CG_F_CAP_AMB))
#define P_SETGID CG_M_GIDS
#define P_SETFSUID (CG_M(CG_F_FSUID) | CG_M(CG_F_CAP_EFF))
#define P_SETFSGID CG_M(CG_F_FSGID)
#define P_SETGROUPS CG_M(CG_F_GROUPS)
/* capset() also trims the ambient set to permitted & inheritable. */
#define P_CAPSET                                                        \
	(CG_M(CG_F_CAP_INH) | CG_M(CG_F_CAP_PRM) | CG_M(CG_F_CAP_EFF) | \
	 CG_M(CG_F_CAP_AMB))
#define P_PRCTL \
	(CG_M(CG_F_SECUREBITS) | CG_M(CG_F_CAP_BND) | CG_M(CG_F_CAP_AMB))
/*
 * execve: set-id and file-capability binaries; the bounding set and the
 * groups never change; the time namespace may (time_for_children).
 */
#define P_EXEC                                                       \
	(CG_M_UIDS | CG_M_GIDS | (CG_M_CAPS & ~CG_M(CG_F_CAP_BND)) | \
	 CG_M(CG_F_SECUREBITS) | CG_M(CG_F_NSPROXY))
#define P_UNSHARE (CG_M(CG_F_NSPROXY) | CG_P_USERNS_CHILD)
#define P_SETNS (CG_M(CG_F_NSPROXY) | CG_P_USERNS_DESC)

static const u32 cg_policy_64[] = {
	[__NR_setuid] = P_SETUID,	[__NR_setreuid] = P_SETUID,
	[__NR_setresuid] = P_SETUID,	[__NR_setgid] = P_SETGID,
	[__NR_setregid] = P_SETGID,	[__NR_setresgid] = P_SETGID,
	[__NR_setfsuid] = P_SETFSUID,	[__NR_setfsgid] = P_SETFSGID,
	[__NR_setgroups] = P_SETGROUPS, [__NR_capset] = P_CAPSET,
	[__NR_prctl] = P_PRCTL,		[__NR_execve] = P_EXEC,
	[__NR_execveat] = P_EXEC,	[__NR_unshare] = P_UNSHARE,
	[__NR_setns] = P_SETNS,
};

#ifdef CONFIG_IA32_EMULATION
static const u32 cg_policy_ia32[] = {
	[__NR_ia32_setuid] = P_SETUID,
	[__NR_ia32_setuid32] = P_SETUID,
	[__NR_ia32_setreuid] = P_SETUID,
	[__NR_ia32_setreuid32] = P_SETUID,
	[__NR_ia32_setresuid] = P_SETUID,
	[__NR_ia32_setresuid32] = P_SETUID,
	[__NR_ia32_setgid] = P_SETGID,
	[__NR_ia32_setgid32] = P_SETGID,
	[__NR_ia32_setregid] = P_SETGID,
	[__NR_ia32_setregid32] = P_SETGID,
	[__NR_ia32_setresgid] = P_SETGID,
	[__NR_ia32_setresgid32] = P_SETGID,
	[__NR_ia32_setfsuid] = P_SETFSUID,
	[__NR_ia32_setfsuid32] = P_SETFSUID,
	[__NR_ia32_setfsgid] = P_SETFSGID,
	[__NR_ia32_setfsgid32] = P_SETFSGID,
	[__NR_ia32_setgroups] = P_SETGROUPS,
	[__NR_ia32_setgroups32] = P_SETGROUPS,
	[__NR_ia32_capset] = P_CAPSET,
	[__NR_ia32_prctl] = P_PRCTL,
	[__NR_ia32_execve] = P_EXEC,
	[__NR_ia32_execveat] = P_EXEC,
	[__NR_ia32_unshare] = P_UNSHARE,
	[__NR_ia32_setns] = P_SETNS,
};
#endif

/* x32 shares the 64-bit numbers except for its own execve/execveat. */
#define CG_X32_EXECVE 520
#define CG_X32_EXECVEAT 545

u32 cg_policy_allowed(int nr, enum cg_abi abi)
{
	if (nr < 0)
		return 0;
	switch (abi) {
	case CG_ABI_64:
		return nr < ARRAY_SIZE(cg_policy_64) ? cg_policy_64[nr] : 0;
	case CG_ABI_X32:
		if (nr == CG_X32_EXECVE || nr == CG_X32_EXECVEAT)
			return P_EXEC;
		if (nr == __NR_execve || nr == __NR_execveat)
			return 0; /* not valid x32 numbers */
		return nr < ARRAY_SIZE(cg_policy_64) ? cg_policy_64[nr] : 0;
	case CG_ABI_IA32:
#ifdef CONFIG_IA32_EMULATION
		return nr < ARRAY_SIZE(cg_policy_ia32) ? cg_policy_ia32[nr] : 0;
#else
		return 0;
#endif
	default:
		return 0;
	}
}

/* Is @ns a strict descendant of @anc? @ns is not trusted: read it safely. */
static bool cg_userns_descends(struct user_namespace *ns,
			       struct user_namespace *anc, bool direct)
{
	int depth;

	for (depth = 0; ns && depth < 64; depth++) {
		struct user_namespace *parent;

		if (get_kernel_nofault(parent, &ns->parent))
			return false;
		if (parent == anc)
			return true;
		if (direct)
			return false;
		ns = parent;
	}
	return false;
}

u32 cg_policy_disallowed(u32 changed, u32 allowed, const struct cg_vals *old,
			 const struct cg_vals *new)
{
	u32 extra = 0;

	if (changed & CG_M(CG_F_USERNS)) {
		bool ok = false;

		if (allowed & CG_P_USERNS_CHILD)
			ok = cg_userns_descends(new->user_ns, old->user_ns,
						true);
		else if (allowed & CG_P_USERNS_DESC)
			ok = cg_userns_descends(new->user_ns, old->user_ns,
						false);
		/*
		 * Entering a new user namespace grants the full capability
		 * sets there and resets the securebits; the ids stay.
		 */
		if (ok)
			extra = CG_M(CG_F_USERNS) | CG_M_CAPS |
				CG_M(CG_F_SECUREBITS);
	}
	return changed & ~(allowed | extra) & CG_M_FIELDS;
}
