// SPDX-License-Identifier: GPL-2.0
/*
 * Value rules. A credential syscall's change is legitimate only when it is
 * what the kernel computes from the caller's old credentials (the shadow's
 * saved values, never the live ones) and the syscall's arguments (as
 * recorded at its entry, never re-read at its exit). Each rule below
 * computes the expected new values the way the kernel function named with
 * it does; a call the kernel refuses (no capability, an id that is not
 * one of the caller's, an unmapped id, a locked bit) expects no change.
 * Every changed field must then hold its expected value. A syscall that
 * returned an error may change nothing at all.
 *
 * Slow path only (a change was already seen): hook context, no sleeping.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/capability.h>
#include <linux/prctl.h>
#include <linux/ptrace.h>
#include <linux/securebits.h>
#include <linux/user_namespace.h>
#include <asm/syscall.h>

#include "rules.h"
#include "check.h"
#include "exec.h"
#include "ptrace.h"
#include "policy.h"
#include "shadow.h"

/* One id family: the fields it sets and the capability that frees it. */
struct cg_idfam {
	enum cg_field r, e, s, fs;
	int cap;
	bool uid;
};

static const struct cg_idfam cg_uids = { CG_F_UID,   CG_F_EUID,	 CG_F_SUID,
					 CG_F_FSUID, CAP_SETUID, true };
static const struct cg_idfam cg_gids = { CG_F_GID,   CG_F_EGID,	 CG_F_SGID,
					 CG_F_FSGID, CAP_SETGID, false };

/* CAP_FS_SET of linux/capability.h, as one word. */
#define CG_CAP_FS_SET                                                          \
	(BIT_ULL(CAP_CHOWN) | BIT_ULL(CAP_MKNOD) | BIT_ULL(CAP_DAC_OVERRIDE) | \
	 BIT_ULL(CAP_DAC_READ_SEARCH) | BIT_ULL(CAP_FOWNER) |                  \
	 BIT_ULL(CAP_FSETID) | BIT_ULL(CAP_LINUX_IMMUTABLE) |                  \
	 BIT_ULL(CAP_MAC_OVERRIDE))

/* The fields value rules judge; the rest keep their field rules. */
#define CG_M_RULED                                                   \
	(CG_M_UIDS | CG_M_GIDS | CG_M_CAPS | CG_M(CG_F_SECUREBITS) | \
	 CG_M_GROUPS)

#define CG_NOARG ((u32)-1)

/* A judgement: the old values, the arguments, what the call produces. */
struct cg_judge {
	const struct cg_shadow *s;
	const struct cg_vals *old;
	struct cg_vals exp;
	struct user_namespace *ns;
	const u32 *a;
};

static u64 cg_old(const struct cg_judge *j, enum cg_field f)
{
	return cg_field_get(f, j->old);
}

static u64 cg_exp(const struct cg_judge *j, enum cg_field f)
{
	return cg_field_get(f, &j->exp);
}

static void cg_expect(struct cg_judge *j, enum cg_field f, u64 x)
{
	cg_field_put(f, &j->exp, x);
}

/* ns_capable(old->user_ns, @cap): the old effective set, in its own ns. */
static bool cg_capable(const struct cg_judge *j, int cap)
{
	return cg_old(j, CG_F_CAP_EFF) & BIT_ULL(cap);
}

/* issecure(@bit), as the caller's (old) credentials say. */
static bool cg_secure(const struct cg_judge *j, int bit)
{
	return cg_old(j, CG_F_SECUREBITS) & issecure_mask(bit);
}

/*
 * The kernel id that uid (@uid) or gid @id of namespace @ns maps to;
 * CG_NOARG: none. The initial namespace maps every id to itself, whatever
 * its map in memory says now: a forged extent there would turn a user's
 * own id into root's for every task, and the rules would follow it.
 */
static u32 cg_map_id(struct user_namespace *ns, bool uid, u32 id)
{
	if (ns == &init_user_ns)
		return id;
	return uid ? __kuid_val(make_kuid(ns, id)) :
		     __kgid_val(make_kgid(ns, id));
}

/* The kernel id @id of the caller's namespace maps to; CG_NOARG: none. */
static u32 cg_kid(const struct cg_judge *j, const struct cg_idfam *f, u32 id)
{
	return cg_map_id(j->ns, f->uid, id);
}

/* One of the caller's real, effective, saved (@fs: or fs) ids. */
static bool cg_own_id(const struct cg_judge *j, const struct cg_idfam *f, u32 k,
		      bool fs)
{
	return k == cg_old(j, f->r) || k == cg_old(j, f->e) ||
	       k == cg_old(j, f->s) || (fs && k == cg_old(j, f->fs));
}

/* __sys_setresuid(), __sys_setresgid(). */
static bool cg_setres(struct cg_judge *j, const struct cg_idfam *f)
{
	const enum cg_field to[3] = { f->r, f->e, f->s };
	bool cap = cg_capable(j, f->cap);
	int i;

	for (i = 0; i < 3; i++) {
		u32 k;

		if (j->a[i] == CG_NOARG)
			continue;
		k = cg_kid(j, f, j->a[i]);
		if (k == CG_NOARG || (!cap && !cg_own_id(j, f, k, false)))
			return false;
		cg_expect(j, to[i], k);
	}
	cg_expect(j, f->fs, cg_exp(j, f->e));
	return true;
}

/* __sys_setreuid(), __sys_setregid(). */
static bool cg_setre(struct cg_judge *j, const struct cg_idfam *f)
{
	bool cap = cg_capable(j, f->cap);
	u32 kr, ke = 0;

	if (j->a[0] != CG_NOARG) {
		kr = cg_kid(j, f, j->a[0]);
		if (kr == CG_NOARG ||
		    (!cap && kr != cg_old(j, f->r) && kr != cg_old(j, f->e)))
			return false;
		cg_expect(j, f->r, kr);
	}
	if (j->a[1] != CG_NOARG) {
		ke = cg_kid(j, f, j->a[1]);
		if (ke == CG_NOARG || (!cap && !cg_own_id(j, f, ke, false)))
			return false;
		cg_expect(j, f->e, ke);
	}
	if (j->a[0] != CG_NOARG ||
	    (j->a[1] != CG_NOARG && ke != cg_old(j, f->r)))
		cg_expect(j, f->s, cg_exp(j, f->e));
	cg_expect(j, f->fs, cg_exp(j, f->e));
	return true;
}

/* __sys_setuid(), __sys_setgid(). */
static bool cg_set1(struct cg_judge *j, const struct cg_idfam *f)
{
	u32 k = cg_kid(j, f, j->a[0]);

	if (k == CG_NOARG)
		return false;
	if (cg_capable(j, f->cap)) {
		cg_expect(j, f->r, k);
		cg_expect(j, f->s, k);
	} else if (k != cg_old(j, f->r) && k != cg_old(j, f->s)) {
		return false;
	}
	cg_expect(j, f->e, k);
	cg_expect(j, f->fs, k);
	return true;
}

/* __sys_setfsuid(), __sys_setfsgid(): a refused call returns no error. */
static bool cg_setfs(struct cg_judge *j, const struct cg_idfam *f)
{
	u32 k = cg_kid(j, f, j->a[0]);

	if (k != CG_NOARG &&
	    (cg_own_id(j, f, k, true) || cg_capable(j, f->cap)))
		cg_expect(j, f->fs, k);
	return true;
}

/*
 * cap_task_fix_setuid(): capabilities follow the uids from or to root
 * (cap_emulate_setxuid(); for fsuid, the file-system set only).
 */
static void cg_fix_setuid(struct cg_judge *j, bool fs)
{
	u32 root = cg_map_id(j->ns, true, 0);
	u64 prm = cg_exp(j, CG_F_CAP_PRM), eff = cg_exp(j, CG_F_CAP_EFF);
	bool was, is;

	if (cg_secure(j, SECURE_NO_SETUID_FIXUP))
		return;
	if (fs) {
		was = cg_old(j, CG_F_FSUID) == root;
		is = cg_exp(j, CG_F_FSUID) == root;
		if (was && !is)
			eff &= ~CG_CAP_FS_SET;
		if (!was && is)
			eff |= prm & CG_CAP_FS_SET;
		cg_expect(j, CG_F_CAP_EFF, eff);
		return;
	}
	was = cg_own_id(j, &cg_uids, root, false);
	is = cg_exp(j, CG_F_UID) == root || cg_exp(j, CG_F_EUID) == root ||
	     cg_exp(j, CG_F_SUID) == root;
	if (was && !is) {
		if (!cg_secure(j, SECURE_KEEP_CAPS))
			prm = eff = 0;
		cg_expect(j, CG_F_CAP_AMB, 0);
	}
	was = cg_old(j, CG_F_EUID) == root;
	is = cg_exp(j, CG_F_EUID) == root;
	if (was && !is)
		eff = 0;
	if (!was && is)
		eff = prm;
	cg_expect(j, CG_F_CAP_PRM, prm);
	cg_expect(j, CG_F_CAP_EFF, eff);
}

/* may_setgroups(): CAP_SETGID, and setgroups allowed in the namespace. */
static bool cg_setgroups(const struct cg_judge *j)
{
	return cg_capable(j, CAP_SETGID) &&
	       READ_ONCE(j->ns->gid_map.nr_extents) &&
	       (READ_ONCE(j->ns->flags) & USERNS_SETGROUPS_ALLOWED);
}

/* cap_capset(): the new sets (free) within what the old ones allow. */
static bool cg_capset(struct cg_judge *j, const struct cg_vals *new)
{
	u64 oi = cg_old(j, CG_F_CAP_INH), op = cg_old(j, CG_F_CAP_PRM);
	u64 ni = cg_field_get(CG_F_CAP_INH, new);
	u64 np = cg_field_get(CG_F_CAP_PRM, new);
	u64 ne = cg_field_get(CG_F_CAP_EFF, new);

	if (!cg_capable(j, CAP_SETPCAP) && (ni & ~(oi | op)))
		return false;
	if ((ni & ~(oi | cg_old(j, CG_F_CAP_BND))) || (np & ~op) || (ne & ~np))
		return false;
	cg_expect(j, CG_F_CAP_INH, ni);
	cg_expect(j, CG_F_CAP_PRM, np);
	cg_expect(j, CG_F_CAP_EFF, ne);
	cg_expect(j, CG_F_CAP_AMB, cg_old(j, CG_F_CAP_AMB) & np & ni);
	return true;
}

/* cap_task_prctl() PR_SET_SECUREBITS: no locked bit changed or unlocked. */
static bool cg_securebits(struct cg_judge *j, u32 to)
{
	u32 sb = cg_old(j, CG_F_SECUREBITS);

	if ((((sb & SECURE_ALL_LOCKS) >> 1) & (sb ^ to)) ||
	    (sb & SECURE_ALL_LOCKS & ~to) ||
	    (to & ~(SECURE_ALL_LOCKS | SECURE_ALL_BITS)) ||
	    !cg_capable(j, CAP_SETPCAP))
		return false;
	cg_expect(j, CG_F_SECUREBITS, to);
	return true;
}

/* cap_task_prctl() PR_CAP_AMBIENT. */
static bool cg_ambient(struct cg_judge *j, u32 op, u32 cap)
{
	u64 amb = cg_old(j, CG_F_CAP_AMB);

	if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
		if (cap)
			return false;
		cg_expect(j, CG_F_CAP_AMB, 0);
		return true;
	}
	if (!cap_valid(cap))
		return false;
	if (op == PR_CAP_AMBIENT_RAISE) {
		if (!(cg_old(j, CG_F_CAP_PRM) & cg_old(j, CG_F_CAP_INH) &
		      BIT_ULL(cap)) ||
		    cg_secure(j, SECURE_NO_CAP_AMBIENT_RAISE))
			return false;
		amb |= BIT_ULL(cap);
	} else if (op == PR_CAP_AMBIENT_LOWER) {
		amb &= ~BIT_ULL(cap);
	} else {
		return false;
	}
	cg_expect(j, CG_F_CAP_AMB, amb);
	return true;
}

/* prctl(): the options of cap_task_prctl() that change credentials. */
static bool cg_prctl(struct cg_judge *j)
{
	u32 opt = j->a[0], arg2 = j->a[1];
	u32 sb = cg_old(j, CG_F_SECUREBITS);

	switch (opt) {
	case PR_CAPBSET_DROP:
		if (!cap_valid(arg2) || !cg_capable(j, CAP_SETPCAP))
			return false;
		cg_expect(j, CG_F_CAP_BND,
			  cg_old(j, CG_F_CAP_BND) & ~BIT_ULL(arg2));
		return true;
	case PR_SET_SECUREBITS:
		return cg_securebits(j, arg2);
	case PR_SET_KEEPCAPS:
		if (arg2 > 1 || cg_secure(j, SECURE_KEEP_CAPS_LOCKED))
			return false;
		sb &= ~issecure_mask(SECURE_KEEP_CAPS);
		cg_expect(j, CG_F_SECUREBITS,
			  sb | (arg2 ? issecure_mask(SECURE_KEEP_CAPS) : 0));
		return true;
	case PR_CAP_AMBIENT:
		return cg_ambient(j, arg2, j->a[2]);
	default:
		return false; /* changes no credential */
	}
}

/*
 * cap_bprm_creds_from_file() after bprm_fill_uid(), from what the
 * credential step found (@x, exec.c). @down: the downgrade of an unsafe
 * exec (ptraced, a shared fs_struct, no_new_privs) taken.
 */
static void cg_exec_expect(struct cg_judge *j, const union cg_exec_rec *x,
			   bool down)
{
	u32 root = cg_map_id(j->ns, true, 0);
	u32 uid = cg_old(j, CG_F_UID), gid = cg_old(j, CG_F_GID);
	u32 euid = x->got.euid, egid = x->got.egid;
	u64 prm = x->got.caps & CG_XF_CAPS, amb = cg_old(j, CG_F_CAP_AMB);
	bool fcap = x->got.caps & CG_XF_FCAP;
	bool eff = x->got.caps & CG_XF_EFFECTIVE;
	bool setid = euid != uid || egid != gid;

	/* handle_privileged_root(): not for a set-uid-root file with fcaps. */
	if (!cg_secure(j, SECURE_NOROOT) &&
	    !(fcap && euid == root && uid != root)) {
		if (euid == root || uid == root)
			prm = cg_old(j, CG_F_CAP_BND) | cg_old(j, CG_F_CAP_INH);
		eff |= euid == root;
	}
	if (down && (setid || (prm & ~cg_old(j, CG_F_CAP_PRM)))) {
		if (!cg_capable(j, CAP_SETUID) ||
		    cg_old(j, CG_F_NO_NEW_PRIVS)) {
			euid = uid;
			egid = gid;
		}
		prm &= cg_old(j, CG_F_CAP_PRM);
	}
	if (fcap || setid)
		amb = 0; /* file capabilities or set-id cancel the ambient set */
	prm |= amb;
	cg_expect(j, CG_F_EUID, euid);
	cg_expect(j, CG_F_SUID, euid);
	cg_expect(j, CG_F_FSUID, euid);
	cg_expect(j, CG_F_EGID, egid);
	cg_expect(j, CG_F_SGID, egid);
	cg_expect(j, CG_F_FSGID, egid);
	cg_expect(j, CG_F_CAP_PRM, prm);
	cg_expect(j, CG_F_CAP_EFF, eff ? prm : amb);
	cg_expect(j, CG_F_CAP_AMB, amb);
	cg_expect(j, CG_F_SECUREBITS,
		  cg_old(j, CG_F_SECUREBITS) &
			  ~issecure_mask(SECURE_KEEP_CAPS));
}

/*
 * cap_capable(): does a cred of namespace @own, euid @euid and effective set
 * @eff hold @cap in @ns? Walks up from @ns as the kernel does (the owner of
 * a child namespace has every capability in it).
 */
bool cg_ns_capable(const struct user_namespace *own, kuid_t euid, u64 eff,
		   const struct user_namespace *ns, int cap)
{
	for (; ns; ns = ns->parent) {
		if (ns == own)
			return eff & BIT_ULL(cap);
		if (!own || ns->level <= own->level)
			return false;
		if (ns->parent == own && uid_eq(ns->owner, euid))
			return true;
	}
	return false;
}

/*
 * A traced exec keeps a set-id or capability gain only when the tracer may
 * ptrace the result (cap_bprm_creds_from_file(): ptracer_capable()). The
 * kernel asks task->ptracer_cred of the tracer found through task->parent;
 * here the tracer recorded when the link was made answers (ptrace.c), and
 * the task is traced while the kernel's link stands, whatever its ptrace
 * word says.
 */
static bool cg_tracer_capable(const struct cg_judge *j)
{
	if (!cg_ptrace_traced(j->s))
		return true;
	return cg_ptrace_tracer_capable(j->s, j->ns);
}

/*
 * execve(), execveat(): what the credential step found makes the only
 * change (the downgrade may or may not apply: either is accepted, unless
 * no_new_privs or a tracer without CAP_SYS_PTRACE over the task's
 * namespace makes it certain). Without a record the file gave nothing
 * (no set-id, no capabilities). Its commit_creds() and its exit are both
 * judged from the credentials before the exec (the shadow follows at the
 * exit), so a write after the commit can add nothing either.
 */
static bool cg_exec(struct cg_judge *j, const struct cg_vals *new)
{
	union cg_exec_rec none = { .got = { .euid = cg_old(j, CG_F_EUID),
					    .egid = cg_old(j, CG_F_EGID) } };
	const union cg_exec_rec *x = &j->s->exec;
	bool down = cg_old(j, CG_F_NO_NEW_PRIVS) || !cg_tracer_capable(j);

	if (!(j->s->flags & CG_SF_EXEC_DONE))
		x = &none;
	cg_exec_expect(j, x, down);
	if (!down && (cg_vals_diff(&j->exp, new) & CG_M_RULED)) {
		j->exp = *j->old;
		cg_exec_expect(j, x, true);
	}
	return true;
}

/* Computes the expected values into @j; false: the call changes nothing. */
static bool cg_rule_apply(struct cg_judge *j, unsigned int rule,
			  const struct cg_vals *new)
{
	switch (rule) {
	case CG_R_SETUID:
		return cg_set1(j, &cg_uids);
	case CG_R_SETREUID:
		return cg_setre(j, &cg_uids);
	case CG_R_SETRESUID:
		return cg_setres(j, &cg_uids);
	case CG_R_SETFSUID:
		return cg_setfs(j, &cg_uids);
	case CG_R_SETGID:
		return cg_set1(j, &cg_gids);
	case CG_R_SETREGID:
		return cg_setre(j, &cg_gids);
	case CG_R_SETRESGID:
		return cg_setres(j, &cg_gids);
	case CG_R_SETFSGID:
		return cg_setfs(j, &cg_gids);
	case CG_R_CAPSET:
		return cg_capset(j, new);
	case CG_R_PRCTL:
		return cg_prctl(j);
	case CG_R_EXEC:
		return cg_exec(j, new);
	default:
		return false;
	}
}

cg_mask_t cg_rules_bad(const struct cg_shadow *s, cg_mask_t allowed,
		       cg_mask_t changed, const struct cg_vals *old,
		       const struct cg_vals *new, bool failed)
{
	unsigned int rule = cg_rule_of(allowed) & ~CG_R_ID16;
	struct cg_judge j = { .s = s, .old = old, .a = s->args };
	cg_mask_t free = 0;

	/* The caller's own credentials and namespaces (no sibling's). */
	if (failed)
		return changed & CG_M_BOTH;
	if (rule == CG_R_NONE || (rule == CG_R_EXEC && !READ_ONCE(cg_exec_on)))
		return 0;
	j.exp = *old;
	/* The user namespace is the old one: no rule lets it change. */
	j.ns = cg_saved_userns(s);
	if (rule == CG_R_SETGROUPS) {
		if (cg_setgroups(&j))
			free = CG_M_GROUPS; /* the list is the caller's */
	} else if (!cg_rule_apply(&j, rule, new)) {
		j.exp = *old;
	} else if (rule <= CG_R_SETFSUID) {
		cg_fix_setuid(&j, rule == CG_R_SETFSUID);
	}
	return cg_vals_diff(&j.exp, new) & changed & CG_M_RULED & ~free;
}

/* 16-bit ids as the kernel widens them (low2highuid()). */
static u32 cg_id16(unsigned long x)
{
	return (u16)x == (u16)-1 ? CG_NOARG : (u16)x;
}

void cg_rules_record(struct cg_shadow *s, struct pt_regs *regs,
		     unsigned int rule)
{
	unsigned long a[6];
	int i;

	/* Its arguments take the place of an earlier exec's record. */
	s->flags &= ~CG_SF_EXEC_ALL;
	if ((rule & ~CG_R_ID16) == CG_R_EXEC)
		return;
	syscall_get_arguments(current, regs, a);
	for (i = 0; i < ARRAY_SIZE(s->args); i++) {
		if (rule & CG_R_ID16)
			s->args[i] = cg_id16(a[i]);
		else if ((rule & ~CG_R_ID16) == CG_R_PRCTL && i > 0)
			/* unsigned long arguments: too wide is invalid */
			s->args[i] = a[i] > U32_MAX ? U32_MAX : a[i];
		else
			s->args[i] = a[i]; /* uid_t, gid_t, int: truncated */
	}
}
