/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Value rules: what a credential syscall may produce, not only which
 * fields it may change (rules.c).
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_RULES_H
#define CG_RULES_H

#include "shadow.h"
#include "policy.h"

/*
 * The value rule of a credential syscall, kept in its policy entry
 * (CG_P_RULE()). Each mirrors the kernel function named in rules.c.
 */
enum cg_rule {
	CG_R_NONE,
	CG_R_SETUID,
	CG_R_SETREUID,
	CG_R_SETRESUID,
	CG_R_SETFSUID,
	CG_R_SETGID,
	CG_R_SETREGID,
	CG_R_SETRESGID,
	CG_R_SETFSGID,
	CG_R_SETGROUPS,
	CG_R_CAPSET,
	CG_R_PRCTL,
	CG_R_EXEC,
	CG_R_NR
};

/* Or'ed into a rule: its id arguments are 16 bits wide (ia32's old calls). */
#define CG_R_ID16 0x20
static_assert(CG_R_NR <= CG_R_ID16 &&
	      (CG_R_ID16 | (CG_R_ID16 - 1)) == CG_P_RULE_MAX);

/*
 * At the entry of a syscall with a rule: its arguments, into @s->args (an
 * exec's are not needed: its credential step is probed, exec.c).
 */
void cg_rules_record(struct cg_shadow *s, struct pt_regs *regs,
		     unsigned int rule);

/*
 * The changed fields that the rule of the syscall judged (@allowed, its
 * policy entry) does not produce from @old with the recorded arguments.
 * @failed: the syscall returned an error (it may change nothing of the
 * caller's own, CG_M_BOTH).
 */
cg_mask_t cg_rules_bad(const struct cg_shadow *s, cg_mask_t allowed,
		       cg_mask_t changed, const struct cg_vals *old,
		       const struct cg_vals *new, bool failed);

/*
 * cap_capable(): does a cred of namespace @own, euid @euid and effective set
 * @eff hold @cap in @ns?
 */
bool cg_ns_capable(const struct user_namespace *own, kuid_t euid, u64 eff,
		   const struct user_namespace *ns, int cap);

#endif /* CG_RULES_H */
