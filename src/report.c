// SPDX-License-Identifier: GPL-2.0
/*
 * Reports: every violation becomes an event (events.c) and, unless the
 * "log" knob is off, one rate-limited kernel log line.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/kernel.h>
#include <linux/ratelimit.h>
#include <linux/string.h>

#include "credguard.h"
#include "syscalls.h"
#include "events.h"

static const char *const cg_where_names[CG_AT_NR] = {
	[CG_AT_ENTRY] = "entry",
	[CG_AT_EXIT] = "exit",
	[CG_AT_COMMIT] = "commit_creds",
	[CG_AT_NEXT_ENTRY] = "next_entry",
};

static const char *const cg_abi_names[CG_ABI_NR] = {
	[CG_ABI_64] = "x86_64",
	[CG_ABI_IA32] = "ia32",
	[CG_ABI_X32] = "x32",
};

static const char *const cg_field_names[CG_F_NR] = {
	[CG_F_UID] = "uid",
	[CG_F_GID] = "gid",
	[CG_F_SUID] = "suid",
	[CG_F_SGID] = "sgid",
	[CG_F_EUID] = "euid",
	[CG_F_EGID] = "egid",
	[CG_F_FSUID] = "fsuid",
	[CG_F_FSGID] = "fsgid",
	[CG_F_SECUREBITS] = "securebits",
	[CG_F_CAP_INH] = "cap_inheritable",
	[CG_F_CAP_PRM] = "cap_permitted",
	[CG_F_CAP_EFF] = "cap_effective",
	[CG_F_CAP_BND] = "cap_bset",
	[CG_F_CAP_AMB] = "cap_ambient",
	[CG_F_USERNS] = "user_ns",
	[CG_F_GROUPS] = "groups",
	[CG_F_NSPROXY] = "nsproxy",
	[CG_F_CREDSPLIT] = "cred_split",
};

const char *cg_where_name(enum cg_where w)
{
	return w < CG_AT_NR ? cg_where_names[w] : "?";
}

const char *cg_abi_name(enum cg_abi abi)
{
	return abi < CG_ABI_NR ? cg_abi_names[abi] : "?";
}

const char *cg_field_name(enum cg_field f)
{
	return f < CG_F_NR ? cg_field_names[f] : "?";
}

/* "old->new" for one field; returns the characters written. */
static int cg_field_fmt(char *buf, size_t len, enum cg_field f,
			const struct cg_vals *o, const struct cg_vals *n)
{
	switch (f) {
	case CG_F_UID ... CG_F_FSGID:
		return scnprintf(buf, len, " %s=%u->%u", cg_field_names[f],
				 o->ids[f], n->ids[f]);
	case CG_F_SECUREBITS:
		return scnprintf(buf, len, " %s=%#x->%#x", cg_field_names[f],
				 o->securebits, n->securebits);
	case CG_F_CAP_INH ... CG_F_CAP_AMB:
		return scnprintf(buf, len, " %s=%#llx->%#llx",
				 cg_field_names[f], o->caps[f - CG_F_CAP_INH],
				 n->caps[f - CG_F_CAP_INH]);
	case CG_F_USERNS:
		return scnprintf(buf, len, " %s=%u->%u", cg_field_names[f],
				 o->user_ns_inum, n->user_ns_inum);
	case CG_F_GROUPS:
		return scnprintf(buf, len, " %s=%d->%d", cg_field_names[f],
				 o->ngroups, n->ngroups);
	default:
		return scnprintf(buf, len, " %s", cg_field_names[f]);
	}
}

static DEFINE_RATELIMIT_STATE(cg_report_rs, 5 * HZ, 20);

void cg_report(const struct cg_event *ev)
{
	char changed[512], caller[168] = "", result[24] = "ok";
	int f, n = 0;

	/* Every violation goes to the ring; the log line is optional. */
	cg_event_emit(ev);
	if (!READ_ONCE(cg_log_reports))
		return;
	if (!__ratelimit(&cg_report_rs)) {
		cg_stat_inc(CG_S_REPORTS_SUPPRESSED);
		return;
	}
	changed[0] = '\0';
	for (f = 0; f < CG_F_NR; f++)
		if (ev->changed & CG_M(f))
			n += cg_field_fmt(changed + n, sizeof(changed) - n, f,
					  &ev->old, &ev->new);
	if (ev->caller)
		snprintf(caller, sizeof(caller), " caller=%pS",
			 (void *)ev->caller);
	if (ev->outcome)
		snprintf(result, sizeof(result), "error%d", ev->outcome);

	pr_warn("violation pid=%d tgid=%d comm=%*pE syscall=%s nr=%d abi=%s at=%s changed:%s action=%s result=%s%s\n",
		ev->pid, ev->tgid, (int)strnlen(ev->comm, sizeof(ev->comm)),
		ev->comm, cg_syscall_name(ev->nr, ev->abi), ev->nr,
		cg_abi_name(ev->abi), cg_where_name(ev->where), changed,
		cg_mode_name(ev->mode), result, caller);
}
